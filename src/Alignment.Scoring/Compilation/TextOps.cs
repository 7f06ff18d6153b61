using System.Buffers;

namespace Alignment.Scoring.Compilation;

/// <summary>Text tests called by compiled kernels (expression trees cannot take spans themselves).</summary>
internal static class TextOps
{
    /// <summary>Whether the text contains any of the pieces: one vectorized multi-substring search instead of one search per piece.</summary>
    public static bool ContainsAny(string? text, SearchValues<string> pieces) => text is not null && text.AsSpan().ContainsAny(pieces);
}
