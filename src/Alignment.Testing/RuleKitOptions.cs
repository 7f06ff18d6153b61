using Alignment.Leads;

namespace Alignment.Testing;

/// <summary>What <see cref="RuleKit"/> runs a rule over and what the rule claims.</summary>
/// <remarks>Settable; not thread-safe while being changed. A check reads it once.</remarks>
public sealed class RuleKitOptions
{
    /// <summary>The attribute schema the rule was built with; generated leads carry a value for every attribute of it.</summary>
    /// <value>Defaults to <see cref="AttributeSchema.Empty"/>.</value>
    public AttributeSchema Schema { get; set; } = AttributeSchema.Empty;

    /// <summary>
    /// The attributes of <see cref="Schema"/> the rule declares it reads; changing any other attribute of a lead must not change its
    /// points (<see cref="RulePromise.ReadsOnlyItsSchema"/>).
    /// </summary>
    /// <value>Defaults to empty: the rule reads no custom attribute.</value>
    public IList<string> Reads { get; } = [];

    /// <summary>Leads of your own to check besides the generated ones (edge cases your rule knows about); they should use <see cref="Schema"/>.</summary>
    /// <value>Defaults to empty.</value>
    public IList<Lead> Leads { get; } = [];

    /// <summary>How many leads to generate.</summary>
    /// <value>Defaults to 200. Between 0 and 100,000.</value>
    public int GeneratedLeads { get; set; } = 200;

    /// <summary>The seed of the generated leads: the same seed gives the same leads.</summary>
    /// <value>Defaults to 21.</value>
    public int Seed { get; set; } = 21;

    /// <summary>Whether the rule claims to allocate nothing per lead (<see cref="RulePromise.NoAllocationPerLead"/> is checked only then).</summary>
    /// <value>Defaults to <see langword="true"/>, as the engine's guidance asks of every rule.</value>
    public bool ClaimsNoAllocation { get; set; } = true;

    /// <summary>The scoring instant every lead is scored at.</summary>
    /// <value>Defaults to 2026-01-01T00:00:00Z.</value>
    public DateTimeOffset AsOf { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How long one call of a nurture step plugin may take before the kit reports it (<see cref="RuleKit.CheckNurtureStepAction"/>).</summary>
    /// <value>Defaults to 5 seconds; must be positive.</value>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// For <see cref="RuleKit.CheckNurtureStepAction"/>: how many times a step's effect exists where the plugin puts it (for example the
    /// meetings booked with the step's idempotency key in a fake calendar), so the kit can check each step took effect exactly once;
    /// <see langword="null"/> when the effects cannot be seen, and then only the calls are checked.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public Func<Alignment.Nurture.NurtureActionRequest, int>? StepEffects { get; set; }
}
