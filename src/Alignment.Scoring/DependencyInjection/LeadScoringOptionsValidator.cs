using Alignment.Models;
using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Checks <see cref="LeadScoringOptions"/> at start-up, including that the model loads and compiles against the registered schema and plugins.</summary>
internal sealed class LeadScoringOptionsValidator(AttributeSchema schema, IEnumerable<IScoringRule> plugins) : IValidateOptions<LeadScoringOptions>
{
    public ValidateOptionsResult Validate(string? name, LeadScoringOptions options)
    {
        var failures = new List<string>();
        bool hasPath = !string.IsNullOrWhiteSpace(options.ModelPath);
        bool hasJson = !string.IsNullOrWhiteSpace(options.ModelJson);
        if (hasPath == hasJson)
        {
            failures.Add($"{nameof(LeadScoringOptions)}.{nameof(LeadScoringOptions.ModelPath)} / {nameof(LeadScoringOptions.ModelJson)}: set exactly one of them.");
        }
        else if (hasPath && !File.Exists(options.ModelPath))
        {
            failures.Add($"{nameof(LeadScoringOptions)}.{nameof(LeadScoringOptions.ModelPath)}: the file '{options.ModelPath}' does not exist.");
        }
        else
        {
            try
            {
                ScoringServiceFactory.Load(options, schema, plugins);
            }
            catch (ModelException ex)
            {
                failures.Add($"{nameof(LeadScoringOptions)}: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                failures.Add($"{nameof(LeadScoringOptions)}: the model could not be loaded: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
