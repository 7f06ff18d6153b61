namespace Alignment.Scoring.Predictive;

/// <summary>A stage of the sales pipeline, as the predictive scorer sees it.</summary>
/// <param name="Name">The stage name, unique within a pipeline (compared ordinally).</param>
/// <param name="Sequence">The stage's position: lower sequences come earlier in the pipeline.</param>
/// <param name="IsWon">Whether a lead in this stage is won (it then scores 100).</param>
public sealed record PipelineStage(string Name, int Sequence, bool IsWon);
