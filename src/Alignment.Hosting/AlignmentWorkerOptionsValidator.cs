using Microsoft.Extensions.Options;

namespace Alignment.Hosting;

/// <summary>Validates <see cref="AlignmentWorkerOptions"/> at start-up; every problem is named by its option.</summary>
internal sealed class AlignmentWorkerOptionsValidator : IValidateOptions<AlignmentWorkerOptions>
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, AlignmentWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if ((options.Workers & ~AlignmentWorkers.All) != 0)
        {
            errors.Add($"AlignmentWorkerOptions.Workers: {options.Workers} is not a combination of Nurture, SlaCheck, DecayWatch, DecisionRelay, ModelRefresh and ChallengerFlush.");
        }

        if (string.IsNullOrWhiteSpace(options.InstanceId) || options.InstanceId.Length > 200 || options.InstanceId.Any(char.IsControl))
        {
            errors.Add("AlignmentWorkerOptions.InstanceId: must be 1 to 200 printable characters, unique per instance.");
        }

        Range(errors, nameof(options.NurtureInterval), options.NurtureInterval, TimeSpan.FromMilliseconds(10), Hour);
        Range(errors, nameof(options.SlaCheckInterval), options.SlaCheckInterval, TimeSpan.FromMilliseconds(10), Hour);
        Range(errors, nameof(options.DecayPollInterval), options.DecayPollInterval, TimeSpan.FromMilliseconds(10), Hour);
        Range(errors, nameof(options.RelayInterval), options.RelayInterval, TimeSpan.FromMilliseconds(10), Hour);
        Range(errors, nameof(options.RelayBusyInterval), options.RelayBusyInterval, TimeSpan.FromMilliseconds(1), Hour);
        Range(errors, nameof(options.ModelRefreshInterval), options.ModelRefreshInterval, TimeSpan.FromMilliseconds(10), Hour);
        Range(errors, nameof(options.ChallengerFlushInterval), options.ChallengerFlushInterval, TimeSpan.FromMilliseconds(10), Hour);
        for (int i = 0; i < options.ModelTenants.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.ModelTenants[i]))
            {
                errors.Add($"AlignmentWorkerOptions.ModelTenants[{i}]: a tenant must not be empty.");
            }
        }

        Range(errors, nameof(options.LeaseDuration), options.LeaseDuration, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        Range(errors, nameof(options.ErrorBackoff), options.ErrorBackoff, TimeSpan.FromMilliseconds(1), Hour);
        Range(errors, nameof(options.MaxErrorBackoff), options.MaxErrorBackoff, options.ErrorBackoff, Hour);
        if (options.DecayBatchSize is < 1 or > 100_000)
        {
            errors.Add($"AlignmentWorkerOptions.DecayBatchSize: {options.DecayBatchSize} is outside 1 to 100,000.");
        }

        // A selected leader renews its lease once per interval: at most half the lease, so one late renewal does not lose it.
        if ((options.Workers & AlignmentWorkers.SlaCheck) != 0 && options.SlaCheckInterval > options.LeaseDuration / 2)
        {
            errors.Add($"AlignmentWorkerOptions.SlaCheckInterval: {options.SlaCheckInterval} is more than half of LeaseDuration ({options.LeaseDuration}); the SLA leader renews its lease once per interval.");
        }

        if ((options.Workers & AlignmentWorkers.DecisionRelay) != 0 && options.RelayInterval > options.LeaseDuration / 2)
        {
            errors.Add($"AlignmentWorkerOptions.RelayInterval: {options.RelayInterval} is more than half of LeaseDuration ({options.LeaseDuration}); the relay leader renews its lease once per interval.");
        }

        if ((options.Workers & AlignmentWorkers.DecayWatch) != 0 && options.DecayPollInterval > options.LeaseDuration / 2)
        {
            errors.Add($"AlignmentWorkerOptions.DecayPollInterval: {options.DecayPollInterval} is more than half of LeaseDuration ({options.LeaseDuration}); the decay leader renews its lease once per interval.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string option, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"AlignmentWorkerOptions.{option}: {value} is outside {min} to {max}.");
        }
    }
}
