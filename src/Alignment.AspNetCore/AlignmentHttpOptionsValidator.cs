using Microsoft.Extensions.Options;

namespace Alignment.AspNetCore;

/// <summary>Checks <see cref="AlignmentHttpOptions"/>, reporting every problem at once.</summary>
internal sealed class AlignmentHttpOptionsValidator : IValidateOptions<AlignmentHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, AlignmentHttpOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (options.MaxRequestBodyBytes is < 1024 or > 64L * 1024 * 1024)
        {
            result.AddError($"must be between 1,024 and 67,108,864 bytes, not {options.MaxRequestBodyBytes}", nameof(options.MaxRequestBodyBytes));
        }

        if (options.RateLimitPermits < 1)
        {
            result.AddError($"must be at least 1, not {options.RateLimitPermits}", nameof(options.RateLimitPermits));
        }

        if (options.RateLimitWindow < TimeSpan.FromMilliseconds(1) || options.RateLimitWindow > TimeSpan.FromHours(1))
        {
            result.AddError($"must be between 1 millisecond and 1 hour, not {options.RateLimitWindow}", nameof(options.RateLimitWindow));
        }

        if (options.AuthenticationSchemes.Count == 0 || options.AuthenticationSchemes.Any(string.IsNullOrWhiteSpace))
        {
            result.AddError("must name at least one scheme, and no empty one", nameof(options.AuthenticationSchemes));
        }

        if (options.AttendeeFollowUpSla <= TimeSpan.Zero)
        {
            result.AddError($"must be positive, not {options.AttendeeFollowUpSla}", nameof(options.AttendeeFollowUpSla));
        }

        return result.Build();
    }
}
