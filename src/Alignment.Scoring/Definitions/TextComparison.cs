namespace Alignment.Scoring.Definitions;

/// <summary>How a scoring model compares text (equals, in-set, contains, starts-with).</summary>
public enum TextComparison
{
    /// <summary>Case-insensitive and culture-invariant (<see cref="StringComparison.OrdinalIgnoreCase"/>). The default.</summary>
    IgnoreCase = 0,

    /// <summary>Case-sensitive, byte for byte (<see cref="StringComparison.Ordinal"/>).</summary>
    Ordinal = 1,
}
