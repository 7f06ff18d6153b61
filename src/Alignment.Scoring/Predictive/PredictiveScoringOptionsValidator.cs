using Microsoft.Extensions.Options;

namespace Alignment.Scoring.Predictive;

/// <summary>Checks <see cref="PredictiveScoringOptions"/> and reports every problem at once.</summary>
internal sealed class PredictiveScoringOptionsValidator : IValidateOptions<PredictiveScoringOptions>
{
    public ValidateOptionsResult Validate(string? name, PredictiveScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (options.Fields is null)
        {
            result.AddError("must not be null", nameof(options.Fields));
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < options.Fields.Count; i++)
            {
                var field = options.Fields[i];
                if (string.IsNullOrWhiteSpace(field))
                {
                    result.AddError($"field {i} must have a non-empty name", nameof(options.Fields));
                }
                else if (!seen.Add(field))
                {
                    result.AddError($"field '{field}' is listed more than once", nameof(options.Fields));
                }
            }
        }

        if (options.MissingAsValueFields is null)
        {
            result.AddError("must not be null", nameof(options.MissingAsValueFields));
        }
        else if (options.Fields is not null)
        {
            foreach (var field in options.MissingAsValueFields)
            {
                if (field is null || !options.Fields.Contains(field))
                {
                    result.AddError($"field '{field}' is not one of Fields", nameof(options.MissingAsValueFields));
                }
            }
        }

        if (double.IsNaN(options.TagSupportThreshold) || options.TagSupportThreshold < 0)
        {
            result.AddError("must be zero or more", nameof(options.TagSupportThreshold));
        }

        return result.Build();
    }
}
