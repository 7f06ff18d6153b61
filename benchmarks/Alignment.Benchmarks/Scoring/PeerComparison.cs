namespace Alignment.Benchmarks.Scoring;

/// <summary>A numeric comparison of the peer rule grammar (<c>==</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>).</summary>
public enum PeerComparison
{
    /// <summary><c>==</c>.</summary>
    Equal,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,
}
