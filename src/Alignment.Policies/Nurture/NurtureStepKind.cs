namespace Alignment.Policies.Nurture;

/// <summary>What a nurture step does. Values are stable: they are persisted with sent steps.</summary>
public enum NurtureStepKind
{
    /// <summary>Sends a marketing e-mail carrying one piece of fresh, approved collateral on the step's topic.</summary>
    Email = 0,

    /// <summary>Creates a call task for a rep (or the inside-sales queue); carries collateral when the step names a topic.</summary>
    RepCallTask = 1,
}
