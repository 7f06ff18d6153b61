using System.Text;
using System.Text.RegularExpressions;
using CsCheck;

namespace Alignment.Cli.Tests.Fuzz;

/// <summary>
/// One generated case: which seed to mutate, how, where, with what, and which files to give the command beside it. Every field
/// is a small integer so that CsCheck shrinks a failure towards the first seed, the first mutation and position 0.
/// </summary>
internal sealed record FuzzCase(int Seed, int Mutation, int Position, int Length, int Payload, int Companion)
{
    public static Gen<FuzzCase> Gen { get; } =
        CsCheck.Gen.Select(
            CsCheck.Gen.Int[0, 10_000], CsCheck.Gen.Int[0, FuzzMutation.Count - 1], CsCheck.Gen.Int[0, 100_000],
            CsCheck.Gen.Int[0, 64], CsCheck.Gen.Int[0, 1_000], CsCheck.Gen.Int[0, 1_000])
        .Select(static t => new FuzzCase(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6));
}

/// <summary>The mutations: text-level (truncation, deletion, stray characters, duplication) and structure-aware (numbers, strings, keys, cells, lines).</summary>
internal static partial class FuzzMutation
{
    public const int Count = 11;

    public static readonly string[] Names =
    [
        "truncate", "delete", "insert", "duplicate span", "replace number", "swap a value's type", "duplicate a key or add a cell",
        "drop a cell", "swap lines", "very long value", "stray quote",
    ];

    // Characters and tokens that break parsers: quotes, separators, controls and terminal escapes, brackets, JSON literals,
    // byte order marks, lone surrogates, formulas, impossible dates, grouped numbers.
    private static readonly string[] Payloads =
    [
        "\"", "\"\"", ",", "\n", "\r\n", "\r", "\u001b[31m", "\u0007", "\0", "\u0085", "\u202e", "{", "}", "[", "]", ":", "\\",
        "null", "true", "[]", "{}", "\uFEFF", "\ud800", "=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "\\u001b", "\\u0000", "\\ud800",
        "2026-02-30", "9999-12-31T23:59:59Z", "0001-01-01", "1,250,000.00", "1e308", "-1e308", "NaN", "Infinity", "-0", "é", "😀", InvalidUtf8,
    ];

    // Written to the file as the bytes FF FE, which are not UTF-8 (ToFileBytes).
    private const string InvalidUtf8 = "\uE000";
    private static readonly byte[] InvalidUtf8Marker = Encoding.UTF8.GetBytes(InvalidUtf8);

    /// <summary>The file's bytes: UTF-8 (a lone surrogate becomes U+FFFD), with <see cref="InvalidUtf8"/> as bytes that are not UTF-8.</summary>
    public static byte[] ToFileBytes(string text)
    {
        byte[] bytes = new UTF8Encoding(false, false).GetBytes(text);
        if (!text.Contains(InvalidUtf8, StringComparison.Ordinal))
        {
            return bytes;
        }

        var result = new List<byte>(bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes.AsSpan(i).StartsWith(InvalidUtf8Marker))
            {
                result.Add(0xFF);
                result.Add(0xFE);
                i += InvalidUtf8Marker.Length - 1;
            }
            else
            {
                result.Add(bytes[i]);
            }
        }

        return [.. result];
    }

    private static readonly string[] Numbers =
    [
        "1e308", "-1e308", "2147483647", "-2147483648", "2147483648", "9223372036854775807", "-9223372036854775808", "1e-400", "-0",
        "0", "0.0000001", "1e15", "-1", "10675200", "36500", "36501", "100000000", "4294967296", "1.7976931348623157E+308", "5e-324",
    ];

    private static readonly string[] Values =
    [
        "null", "true", "[]", "{}", "[1,2]", "{\"a\":1}", "\"\"", "\"x\"", "0", "-1", "1e308", "\"\\u001b[31m\"", "\"a\\tb\"", "\"\\u0000\"",
        "\"" + new string('x', 5_000) + "\"", "[" + string.Join(',', Enumerable.Range(0, 2_000)) + "]",
    ];

    private static readonly string[] LongRuns = [new string('x', 100_000), new string('9', 400), new string('"', 1_000), new string(',', 5_000), new string('y', 1_100_000), new string('[', 10_000), "\n" + new string('\n', 20_000)];

    /// <summary>Applies a case's mutation to a seed's text; deterministic.</summary>
    public static string Apply(FuzzCase c, string text, bool isJson)
    {
        int pos = text.Length == 0 ? 0 : c.Position % (text.Length + 1);
        int len = Math.Min(c.Length, text.Length - pos);
        switch (c.Mutation)
        {
            case 0:
                return text[..pos];
            case 1:
                return text.Remove(pos, len);
            case 2:
                return text.Insert(pos, Pick(Payloads, c.Payload));
            case 3:
                return text.Insert(pos, text.Substring(pos, len));
            case 4:
                return ReplaceMatch(NumberLiteral(), text, c.Position, Pick(Numbers, c.Payload));
            case 5:
                return isJson
                    ? ReplaceMatch(JsonValue(), text, c.Position, Pick(Values, c.Payload))
                    : ReplaceCell(text, c.Position, Pick([.. Payloads, .. Numbers], c.Payload));
            case 6:
                return isJson ? DuplicateKey(text, c.Position, Pick(Values, c.Payload)) : ChangeCells(text, c.Position, add: true);
            case 7:
                return isJson ? ReplaceMatch(JsonValue(), text, c.Position, Pick(Payloads, c.Payload)) : ChangeCells(text, c.Position, add: false);
            case 8:
                return SwapLines(text, c.Position);
            case 9:
                return isJson
                    ? ReplaceMatch(StringLiteral(), text, c.Position, "\"" + Pick(LongRuns, c.Payload).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"")
                    : ReplaceCell(text, c.Position, Pick(LongRuns, c.Payload));
            default:
                return text.Insert(pos, "\"");
        }
    }

    private static string Pick(string[] list, int i) => list[i % list.Length];

    private static string ReplaceMatch(Regex regex, string text, int k, string replacement)
    {
        var matches = regex.Matches(text);
        if (matches.Count == 0)
        {
            return text;
        }

        var m = matches[k % matches.Count];
        return string.Concat(text.AsSpan(0, m.Index), replacement, text.AsSpan(m.Index + m.Length));
    }

    // Inserts a second "key": value in front of an existing one, in the same object.
    private static string DuplicateKey(string text, int k, string value)
    {
        var keys = PropertyName().Matches(text);
        if (keys.Count == 0)
        {
            return text;
        }

        var m = keys[k % keys.Count];
        return text.Insert(m.Index, m.Value + " " + value + ", ");
    }

    private static string[] Lines(string text) => text.Split('\n');

    private static string ReplaceCell(string text, int k, string value)
    {
        var lines = Lines(text);
        int line = k % lines.Length;
        var cells = lines[line].Split(',');
        cells[(k / lines.Length) % cells.Length] = value;
        lines[line] = string.Join(',', cells);
        return string.Join('\n', lines);
    }

    private static string ChangeCells(string text, int k, bool add)
    {
        var lines = Lines(text);
        int line = k % lines.Length;
        if (add)
        {
            lines[line] += k % 2 == 0 ? ",extra" : ",";
        }
        else
        {
            int cut = lines[line].LastIndexOf(',');
            lines[line] = cut < 0 ? string.Empty : lines[line][..cut];
        }

        return string.Join('\n', lines);
    }

    private static string SwapLines(string text, int k)
    {
        var lines = Lines(text);
        if (lines.Length < 2)
        {
            return text;
        }

        int a = k % (lines.Length - 1);
        (lines[a], lines[a + 1]) = (lines[a + 1], lines[a]);
        return string.Join('\n', lines);
    }

    /// <summary>Text for a failure report: control characters visible, long runs shortened.</summary>
    public static string Printable(string text)
    {
        var sb = new StringBuilder();
        int run = 0;
        char last = '\0';
        foreach (char ch in text)
        {
            run = ch == last ? run + 1 : 0;
            last = ch;
            if (run == 20)
            {
                sb.Append('…');
            }

            if (run >= 20)
            {
                continue;
            }

            sb.Append(ch < 0x20 && ch != '\n' || ch is >= '\u007F' and <= '\u009F' ? $"\\u{(int)ch:X4}" : ch.ToString());
        }

        return sb.Length > 4_000 ? sb.ToString(0, 4_000) + "…" : sb.ToString();
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][+-]?\d+)?")]
    private static partial Regex NumberLiteral();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<=:\s*)(""(?:[^""\\]|\\.)*""|-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null|\[\s*\]|\{\s*\})")]
    private static partial Regex JsonValue();

    [GeneratedRegex(@"""[A-Za-z_][A-Za-z0-9_]*""\s*:")]
    private static partial Regex PropertyName();
}
