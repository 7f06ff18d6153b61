using Alignment.Scoring;
using Alignment.Scoring.Backtesting;

namespace Alignment.Models.Challengers;

/// <summary>The checks every <see cref="IChallengerLedger"/> makes on what it is given, so that every backend refuses the same input the same way.</summary>
public static class ChallengerLedgerRules
{
    /// <summary>Checks an attachment: complete keys of one tenant, the challenger a scoring release, a sequence not negative, someone named.</summary>
    /// <param name="attachment">The attachment.</param>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="attachment"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is incomplete, the tenants differ, the sequence is negative or nobody is named.</exception>
    public static void Validate(ChallengerAttachment attachment, string paramName)
    {
        ArgumentNullException.ThrowIfNull(attachment, paramName);
        attachment.Challenger.Validate(paramName);
        attachment.Champion.Validate(paramName);
        if (attachment.Challenger.Tenant != attachment.Champion.Tenant)
        {
            throw new ArgumentException($"The challenger ({attachment.Challenger}) and the champion ({attachment.Champion}) belong to different tenants.", paramName);
        }

        if (attachment.ChampionSequence < 0)
        {
            throw new ArgumentException($"The champion's activation sequence must not be negative (got {attachment.ChampionSequence}).", paramName);
        }

        if (string.IsNullOrWhiteSpace(attachment.AttachedBy))
        {
            throw new ArgumentException("An attachment names who attached the challenger (AttachedBy).", paramName);
        }
    }

    /// <summary>Checks a batch: every lead named, grades, states and outcomes defined.</summary>
    /// <param name="observations">The observations.</param>
    /// <param name="outcomes">The outcomes.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">An entry has no lead, or an undefined grade, state or outcome (the message gives its index).</exception>
    public static void Validate(IReadOnlyList<ChallengerObservation> observations, IReadOnlyList<ChallengerOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(outcomes);
        for (int i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            if (o.Lead.Value is null)
            {
                throw new ArgumentException($"Observation {i} names no lead.", nameof(observations));
            }

            if (!Defined(o.Champion) || !Defined(o.Challenger))
            {
                throw new ArgumentException($"Observation {i} (lead {o.Lead}) has an undefined grade or state.", nameof(observations));
            }
        }

        for (int i = 0; i < outcomes.Count; i++)
        {
            var o = outcomes[i];
            if (o.Lead.Value is null)
            {
                throw new ArgumentException($"Outcome {i} names no lead.", nameof(outcomes));
            }

            if (!Enum.IsDefined(o.Outcome))
            {
                throw new ArgumentException($"Outcome {i} (lead {o.Lead}): outcome {(int)o.Outcome} is not defined.", nameof(outcomes));
            }
        }
    }

    private static bool Defined(ChallengerScore s) => Enum.IsDefined(s.Grade) && Enum.IsDefined(s.State);
}
