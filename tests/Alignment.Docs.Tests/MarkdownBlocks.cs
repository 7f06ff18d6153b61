namespace Alignment.Docs.Tests;

/// <summary>Reads fenced code blocks out of a Markdown page. Also compiled into Alignment.Scoring.Tests.</summary>
internal static class MarkdownBlocks
{
    /// <summary>One fenced block: its language, the line it starts on (1-based, the fence line) and its text.</summary>
    public sealed record Block(string Language, int Line, string Text, string? Marker);

    /// <summary>Every fenced block of the page, in order. <see cref="Block.Marker"/> is the text of an <c>&lt;!-- name --&gt;</c> comment on the line just before the fence, if any.</summary>
    public static IReadOnlyList<Block> Read(string markdown)
    {
        string[] lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<Block>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (!line.StartsWith("```", StringComparison.Ordinal) || line.Length == 3)
            {
                continue;
            }

            string language = line[3..].Trim();
            string? marker = null;
            if (i > 0 && lines[i - 1].Trim() is { } previous && previous.StartsWith("<!--", StringComparison.Ordinal) && previous.EndsWith("-->", StringComparison.Ordinal))
            {
                marker = previous[4..^3].Trim();
            }

            int start = i + 1;
            int end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            Assert.True(end < lines.Length, $"The ```{language} block at line {i + 1} is never closed.");
            blocks.Add(new Block(language, i + 1, string.Join('\n', lines[start..end]), marker));
            i = end;
        }

        return blocks;
    }
}
