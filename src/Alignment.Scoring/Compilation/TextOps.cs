using System.Buffers;
using System.Collections.Frozen;

namespace Alignment.Scoring.Compilation;

/// <summary>Text tests called by the emitted kernels, which pass plain strings (the span work happens here).</summary>
internal static class TextOps
{
    /// <summary>Whether the text contains any of the pieces: one vectorized multi-substring search instead of one search per piece.</summary>
    public static bool ContainsAny(string? text, SearchValues<string> pieces) => text is not null && text.AsSpan().ContainsAny(pieces);

    /// <summary>Whether the text is one of a large set of values (the set's comparer decides case).</summary>
    public static bool InSet(string? text, FrozenSet<string> values) => text is not null && values.Contains(text);
}
