using Microsoft.Extensions.Options;

namespace Alignment.Policies.Nurture;

/// <summary>Validates <see cref="NurtureOptions"/> without reflection, reporting every failure at once (JSON policy errors with their paths).</summary>
internal sealed class NurtureOptionsValidator(IEnumerable<Alignment.Nurture.INurtureStepAction> actions) : IValidateOptions<NurtureOptions>
{
    public ValidateOptionsResult Validate(string? name, NurtureOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (options.Policy is null)
        {
            if (string.IsNullOrWhiteSpace(options.PolicyJson))
            {
                result.AddError("required; set PolicyJson (the nurture policy as JSON) or Policy", nameof(NurtureOptions.PolicyJson));
            }
            else
            {
                var load = NurturePolicyLoader.Load(options.PolicyJson, options.Limits, [.. actions]);
                foreach (var error in load.Errors)
                {
                    result.AddError(error.ToString(), nameof(NurtureOptions.PolicyJson));
                }
            }
        }

        if (string.IsNullOrWhiteSpace(options.InstanceId))
        {
            result.AddError("must not be empty", nameof(NurtureOptions.InstanceId));
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration > TimeSpan.FromDays(1))
        {
            result.AddError($"must be between 1 second and 1 day (was {options.LeaseDuration})", nameof(NurtureOptions.LeaseDuration));
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            result.AddError($"must be between 1 and 100000 (was {options.BatchSize})", nameof(NurtureOptions.BatchSize));
        }

        if (options.MissingLeadRetry <= TimeSpan.Zero)
        {
            result.AddError($"must be greater than zero (was {options.MissingLeadRetry})", nameof(NurtureOptions.MissingLeadRetry));
        }

        return result.Build();
    }
}
