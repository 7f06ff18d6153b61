using Alignment.Webhooks;
using Microsoft.Extensions.Options;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>Checks <see cref="WebhookOptions"/> at start-up and reports every problem at once.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (options.InitialRetryDelay <= TimeSpan.Zero)
        {
            result.AddError("must be a positive duration", nameof(options.InitialRetryDelay));
        }

        if (options.MaxRetryDelay <= TimeSpan.Zero)
        {
            result.AddError("must be a positive duration", nameof(options.MaxRetryDelay));
        }
        else if (options.InitialRetryDelay > options.MaxRetryDelay)
        {
            result.AddError($"must be at least InitialRetryDelay ({options.InitialRetryDelay})", nameof(options.MaxRetryDelay));
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            result.AddError("must be between 1 and 100", nameof(options.MaxAttempts));
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            result.AddError("must be a positive duration", nameof(options.AttemptTimeout));
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            result.AddError("must be a positive duration", nameof(options.PollInterval));
        }

        if (options.MaxConcurrency is < 1 or > 256)
        {
            result.AddError("must be between 1 and 256", nameof(options.MaxConcurrency));
        }

        if (options.SignatureTolerance <= TimeSpan.Zero)
        {
            result.AddError("must be a positive duration", nameof(options.SignatureTolerance));
        }

        if (options.RegistrationDnsTimeout <= TimeSpan.Zero || options.RegistrationDnsTimeout > TimeSpan.FromMinutes(1))
        {
            result.AddError("must be a positive duration of at most 1 minute", nameof(options.RegistrationDnsTimeout));
        }

        if (options.DeliveredRetention < TimeSpan.FromMinutes(1))
        {
            result.AddError("must be at least 1 minute", nameof(options.DeliveredRetention));
        }

        if (options.RetentionInterval < TimeSpan.FromSeconds(1) || options.RetentionInterval > TimeSpan.FromDays(1))
        {
            result.AddError("must be between 1 second and 1 day", nameof(options.RetentionInterval));
        }

        if (options.RetentionBatchSize is < 1 or > 100_000)
        {
            result.AddError("must be between 1 and 100,000", nameof(options.RetentionBatchSize));
        }

        return result.Build();
    }
}
