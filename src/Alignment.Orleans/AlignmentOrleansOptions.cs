namespace Alignment.Orleans;

/// <summary>
/// How a silo's routing cells keep the service-level clocks of their open handoffs: a grain timer at the earliest due time
/// while the cell is active, and an Orleans reminder that brings the cell back on a surviving silo when its own silo is lost.
/// Set with <c>siloBuilder.AddAlignmentOrleans(o => ...)</c>; checked when the silo starts.
/// </summary>
public sealed class AlignmentOrleansOptions
{
    /// <summary>
    /// How often a cell's reminder fires while the cell has handoffs awaiting their first touch or decisions not yet published: the
    /// longest a breach or a decision waits after its cell's silo is lost (plus the time the cluster takes to declare the silo
    /// dead). At least Orleans' <c>ReminderOptions.MinimumReminderPeriod</c> (one minute by default). A new period applies to
    /// reminders registered after the change: a cell drops its reminder once its clocks and outbox are empty, and registers it
    /// again, with the period then set, when it next needs it.
    /// </summary>
    /// <value>One minute by default.</value>
    public TimeSpan SlaReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a cell waits before it hands a breached lead out again when nobody has handled it (no router subscribed, or the
    /// router that got it failed). Handling is idempotent, so a repeat is harmless.
    /// </summary>
    /// <value>Ten seconds by default.</value>
    public TimeSpan SlaRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock the cells read due times with; the routers' own clock in tests that shift time.</summary>
    /// <value><see cref="TimeProvider.System"/> by default.</value>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    internal string? Validate(TimeSpan minimumReminderPeriod)
    {
        if (SlaReminderPeriod < minimumReminderPeriod || SlaReminderPeriod > TimeSpan.FromDays(1))
        {
            return $"AlignmentOrleansOptions.SlaReminderPeriod must be at least Orleans' ReminderOptions.MinimumReminderPeriod ({minimumReminderPeriod}) and at most one day (was {SlaReminderPeriod}).";
        }

        if (SlaRetryInterval <= TimeSpan.Zero || SlaRetryInterval > TimeSpan.FromHours(1))
        {
            return $"AlignmentOrleansOptions.SlaRetryInterval must be more than zero and at most one hour (was {SlaRetryInterval}).";
        }

        return Clock is null ? "AlignmentOrleansOptions.Clock must not be null." : null;
    }
}

/// <summary>Checks <see cref="AlignmentOrleansOptions"/> when the silo starts, against the silo's own reminder options.</summary>
internal sealed class AlignmentOrleansOptionsValidator(Microsoft.Extensions.Options.IOptions<global::Orleans.Hosting.ReminderOptions> reminders)
    : Microsoft.Extensions.Options.IValidateOptions<AlignmentOrleansOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AlignmentOrleansOptions options) =>
        options.Validate(reminders.Value.MinimumReminderPeriod) is { } error
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(error)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
