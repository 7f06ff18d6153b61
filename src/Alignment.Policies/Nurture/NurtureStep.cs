namespace Alignment.Policies.Nurture;

/// <summary>One compiled step of a nurture track.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
/// <param name="Id">The step's id, unique within its track; shown in explanations.</param>
/// <param name="Kind">What the step does.</param>
/// <param name="Topic">The collateral topic asked of the content provider; <see langword="null"/> for a task without collateral.</param>
/// <param name="Delay">How long after the previous step (or the enrolment, for the first step) this step is due.</param>
public sealed record NurtureStep(string Id, NurtureStepKind Kind, string? Topic, TimeSpan Delay);
