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

        if (options.IdempotencyKeyHold < TimeSpan.FromSeconds(1) || options.IdempotencyKeyHold > TimeSpan.FromHours(1))
        {
            result.AddError($"must be between 1 second and 1 hour, not {options.IdempotencyKeyHold}", nameof(options.IdempotencyKeyHold));
        }

        if (options.IdempotencyWait < TimeSpan.Zero || options.IdempotencyWait > TimeSpan.FromMinutes(1))
        {
            result.AddError($"must be between 0 and 1 minute, not {options.IdempotencyWait}", nameof(options.IdempotencyWait));
        }

        if (options.ReceiptRetention < TimeSpan.FromHours(1) || options.ReceiptRetention <= options.IdempotencyKeyHold)
        {
            result.AddError($"must be at least 1 hour and more than IdempotencyKeyHold, not {options.ReceiptRetention}", nameof(options.ReceiptRetention));
        }

        if (options.RetentionInterval < TimeSpan.FromSeconds(1) || options.RetentionInterval > TimeSpan.FromDays(1))
        {
            result.AddError($"must be between 1 second and 1 day, not {options.RetentionInterval}", nameof(options.RetentionInterval));
        }

        if (options.RetentionBatchSize is < 1 or > 100_000)
        {
            result.AddError($"must be between 1 and 100,000, not {options.RetentionBatchSize}", nameof(options.RetentionBatchSize));
        }

        return result.Build();
    }
}
