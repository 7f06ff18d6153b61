namespace Alignment.Scoring;

/// <summary>What a scoring rule may know besides the lead: the instant the score is taken at.</summary>
/// <remarks>A batch reads the clock once into <see cref="AsOf"/>, so every lead of a batch is scored at the same instant and rules never read the clock.</remarks>
/// <param name="AsOf">The instant the score is taken at. Activities after it never count.</param>
public readonly record struct ScoringContext(DateTimeOffset AsOf);
