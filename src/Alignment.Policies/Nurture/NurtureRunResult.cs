using System.Collections.Immutable;

namespace Alignment.Policies.Nurture;

/// <summary>What one scheduler run did: how many enrolments it claimed and the outcome of each.</summary>
public sealed class NurtureRunResult
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="asOf">The instant of the run.</param>
    /// <param name="claimed">How many due enrolments the run claimed.</param>
    /// <param name="outcomes">What happened to each, with its explanation.</param>
    internal NurtureRunResult(DateTimeOffset asOf, int claimed, ImmutableArray<NurtureOutcome> outcomes)
    {
        AsOf = asOf;
        Claimed = claimed;
        Outcomes = outcomes;
    }

    /// <summary>The instant of the run.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>How many due enrolments the run claimed.</summary>
    public int Claimed { get; }

    /// <summary>What happened to each, with its explanation.</summary>
    public ImmutableArray<NurtureOutcome> Outcomes { get; }

    /// <summary>The number of steps handed to the step handler by this run.</summary>
    public int StepsSent => Outcomes.Count(static o => o is NurtureOutcome.StepSent { Repeated: false });
}
