namespace Alignment.Cli.Demo;

/// <summary>Where a lead ended the simulated year.</summary>
internal enum LeadOutcome
{
    /// <summary>With marketing, on a nurture track.</summary>
    Nurture,

    /// <summary>With sales or in the pipeline, not closed yet.</summary>
    Open,

    /// <summary>Won.</summary>
    Won,

    /// <summary>Lost (perhaps recycled since).</summary>
    Lost,

    /// <summary>Disqualified.</summary>
    Disqualified,
}
