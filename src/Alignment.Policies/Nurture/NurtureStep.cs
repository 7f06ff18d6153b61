namespace Alignment.Policies.Nurture;

/// <summary>One compiled step of a nurture track.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
/// <param name="id">The step's id, unique within its track; shown in explanations.</param>
/// <param name="kind">What the step does.</param>
/// <param name="topic">The collateral topic asked of the content provider; <see langword="null"/> for a task without collateral.</param>
/// <param name="delay">How long after the previous step (or the enrolment, for the first step) this step is due.</param>
public sealed class NurtureStep(string id, NurtureStepKind kind, string? topic, TimeSpan delay)
{
    /// <summary>The step's id, unique within its track; shown in explanations.</summary>
    public string Id { get; } = id;

    /// <summary>What the step does.</summary>
    public NurtureStepKind Kind { get; } = kind;

    /// <summary>The collateral topic asked of the content provider; <see langword="null"/> for a task without collateral.</summary>
    public string? Topic { get; } = topic;

    /// <summary>How long after the previous step (or the enrolment, for the first step) this step is due.</summary>
    public TimeSpan Delay { get; } = delay;

    /// <summary>The step plugin that carries the step out (the step's <c>"handler"</c>), or <see langword="null"/> for the host's <see cref="INurtureStepHandler"/>.</summary>
    public Alignment.Nurture.INurtureStepAction? Action { get; init; }
}
