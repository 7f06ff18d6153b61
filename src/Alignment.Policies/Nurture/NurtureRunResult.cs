using System.Collections.Immutable;

namespace Alignment.Policies.Nurture;

/// <summary>What one scheduler run did: how many enrolments it claimed and the outcome of each.</summary>
/// <param name="AsOf">The instant of the run.</param>
/// <param name="Claimed">How many due enrolments the run claimed.</param>
/// <param name="Outcomes">What happened to each, with its explanation.</param>
public sealed record NurtureRunResult(DateTimeOffset AsOf, int Claimed, ImmutableArray<NurtureOutcome> Outcomes)
{
    /// <summary>The number of steps handed to the step handler by this run.</summary>
    public int StepsSent => Outcomes.Count(static o => o is NurtureOutcome.StepSent { Repeated: false });
}
