using Alignment.Models;
using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Checks <see cref="ScoringOptions"/> at start-up, including that the model loads and compiles against the registered schema and plugins.</summary>
internal sealed class ScoringOptionsValidator(AttributeSchema schema, IEnumerable<IScoringRule> plugins) : IValidateOptions<ScoringOptions>
{
    public ValidateOptionsResult Validate(string? name, ScoringOptions options)
    {
        var failures = new List<string>();
        bool hasPath = !string.IsNullOrWhiteSpace(options.ModelPath);
        bool hasJson = !string.IsNullOrWhiteSpace(options.ModelJson);
        if (hasPath == hasJson)
        {
            failures.Add($"{nameof(ScoringOptions)}.{nameof(ScoringOptions.ModelPath)} / {nameof(ScoringOptions.ModelJson)}: set exactly one of them.");
        }
        else if (hasPath && !File.Exists(options.ModelPath))
        {
            failures.Add($"{nameof(ScoringOptions)}.{nameof(ScoringOptions.ModelPath)}: the file '{options.ModelPath}' does not exist.");
        }
        else
        {
            try
            {
                ScoringServiceFactory.Load(options, schema, plugins);
            }
            catch (ModelException ex)
            {
                failures.Add($"{nameof(ScoringOptions)}: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                failures.Add($"{nameof(ScoringOptions)}: the model could not be loaded: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
