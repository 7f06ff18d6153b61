using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Alignment.Models;

/// <summary>
/// The first pass of every model loader of the SDK: checks a model, policy, roster or release file against <see cref="ModelReadLimits"/>
/// and the rules that hold for every model kind, before its content is interpreted. One linear pass over the text, whatever it holds.
/// </summary>
/// <remarks>
/// <para>What it refuses, each with the JSON path:</para>
/// <list type="bullet">
/// <item><description>a file, nesting depth, object count, array or string over its limit (the error names the limit and how to raise it);</description></item>
/// <item><description>a property name that appears twice in one object (<c>"points":15,"points":999999</c>): a JSON reader would keep the last one, so what reviewers approved would not be what runs;</description></item>
/// <item><description>control characters (U+0000 to U+001F, U+007F, U+0080 to U+009F) in a string, except tab, line feed and carriage return in values, and any control character in a property name: they hide text in a terminal or a review;</description></item>
/// <item><description>malformed JSON (with the line and position). Comments and trailing commas are allowed, as in every model format of the SDK.</description></item>
/// </list>
/// <para>Thread-safe: it keeps no state between calls.</para>
/// </remarks>
public static class ModelJsonGuard
{
    private const int MaxErrors = 50;

    /// <summary>Checks a model file's text.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="limits">The limits; <see langword="null"/> for the defaults.</param>
    /// <returns>Every problem found, empty when the file may be read. Scanning stops at the first limit exceeded or syntax error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range (<see cref="ModelReadLimits.Validate"/>).</exception>
    public static IReadOnlyList<ModelError> Check(string json, ModelReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        limits ??= new ModelReadLimits();
        limits.Validate();
        // A UTF-16 code unit is at least one UTF-8 byte, so a text longer than the limit in chars is over it in bytes.
        if (json.Length > limits.MaxBytes)
        {
            return [TooLarge(json.Length, limits.MaxBytes, atLeast: true)];
        }

        int byteCount = Encoding.UTF8.GetByteCount(json);
        if (byteCount > limits.MaxBytes)
        {
            return [TooLarge(byteCount, limits.MaxBytes, atLeast: false)];
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(byteCount, 1));
        try
        {
            // A string can hold half of a surrogate pair, which no UTF-8 file can: refused here, not replaced, so that no later reader throws.
            if (System.Text.Unicode.Utf8.FromUtf16(json, rented, out int read, out int written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
            {
                return [new("$", string.Create(CultureInfo.InvariantCulture, $"the text is not valid Unicode: character {read:N0} is half of a UTF-16 surrogate pair"))];
            }

            return Scan(rented.AsSpan(0, written), limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Checks a model file's UTF-8 bytes.</summary>
    /// <param name="utf8Json">The file's bytes (a UTF-8 byte order mark is allowed).</param>
    /// <param name="limits">The limits; <see langword="null"/> for the defaults.</param>
    /// <returns>Every problem found, empty when the file may be read. Scanning stops at the first limit exceeded or syntax error.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range (<see cref="ModelReadLimits.Validate"/>).</exception>
    public static IReadOnlyList<ModelError> CheckUtf8(ReadOnlySpan<byte> utf8Json, ModelReadLimits? limits = null)
    {
        limits ??= new ModelReadLimits();
        limits.Validate();
        if (utf8Json.Length > limits.MaxBytes)
        {
            return [TooLarge(utf8Json.Length, limits.MaxBytes, atLeast: false)];
        }

        return Scan(utf8Json, limits);
    }

    /// <summary>The message for a file over <see cref="ModelReadLimits.MaxBytes"/>.</summary>
    /// <param name="size">The size seen.</param>
    /// <param name="limit">The limit.</param>
    /// <param name="atLeast">Whether <paramref name="size"/> is a lower bound (the file was not read to its end).</param>
    /// <returns>The error, at path <c>$</c>.</returns>
    public static ModelError TooLarge(long size, long limit, bool atLeast) =>
        new("$", string.Create(CultureInfo.InvariantCulture, $"the file is {(atLeast ? "more than " : "")}{size:N0} bytes, over the limit of {limit:N0} ({LimitHint(nameof(ModelReadLimits.MaxBytes))})"));

    private static string LimitHint(string property) =>
        $"ModelReadLimits.{property}; raise it only for files you trust: in code through the loader's ModelReadLimits, on the command line with --limit {char.ToLowerInvariant(property[0])}{property[1..]}=N";

    private static List<ModelError> Scan(ReadOnlySpan<byte> utf8, ModelReadLimits limits)
    {
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..]; // a UTF-8 byte order mark, which editors on Windows write
        }

        var errors = new List<ModelError>();
        var frames = new List<Frame>();
        var names = new List<HashSet<string>>();
        int objects = 0;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = limits.MaxDepth + 1,
        });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (!CountItem(frames, limits, errors))
                        {
                            return errors;
                        }

                        if (frames.Count + 1 > limits.MaxDepth)
                        {
                            errors.Add(new(PathOf(frames), string.Create(CultureInfo.InvariantCulture, $"the file nests deeper than {limits.MaxDepth:N0} levels ({LimitHint(nameof(ModelReadLimits.MaxDepth))})")));
                            return errors;
                        }

                        bool isObject = reader.TokenType == JsonTokenType.StartObject;
                        if (isObject && ++objects > limits.MaxObjects)
                        {
                            errors.Add(new(PathOf(frames), string.Create(CultureInfo.InvariantCulture, $"the file has more than {limits.MaxObjects:N0} objects (rules, conditions, steps, reps) ({LimitHint(nameof(ModelReadLimits.MaxObjects))})")));
                            return errors;
                        }

                        if (isObject)
                        {
                            int depth = frames.Count;
                            while (names.Count <= depth)
                            {
                                names.Add(new HashSet<string>(StringComparer.Ordinal));
                            }

                            if (names[depth].Count > 64)
                            {
                                names[depth] = new HashSet<string>(StringComparer.Ordinal); // Clear would keep the large bucket array
                            }
                            else
                            {
                                names[depth].Clear();
                            }
                        }

                        frames.Add(new Frame(isObject));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                    {
                        int depth = frames.Count - 1;
                        if (!TryGetString(ref reader, out string name))
                        {
                            errors.Add(new(PathOf(frames), BrokenEscape("property name")));
                            return errors;
                        }

                        frames[depth] = frames[depth] with { Property = name };
                        if (!CheckString(ref reader, name, frames, limits, errors, isName: true))
                        {
                            return errors;
                        }

                        if (!names[depth].Add(name) && errors.Count < MaxErrors)
                        {
                            errors.Add(new(PathOf(frames), $"the property '{Printable(name)}' appears more than once in this object; a reader would keep only the last value, so remove the others"));
                        }

                        break;
                    }

                    case JsonTokenType.String:
                        if (!CountItem(frames, limits, errors) || !CheckString(ref reader, null, frames, limits, errors, isName: false))
                        {
                            return errors;
                        }

                        break;
                    default: // numbers, true, false, null
                        if (!CountItem(frames, limits, errors))
                        {
                            return errors;
                        }

                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            errors.Add(new(
                string.Create(CultureInfo.InvariantCulture, $"{PathOf(frames)} (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})"),
                "malformed JSON: " + ModelError.FirstSentence(ex.Message)));
        }

        return errors;
    }

    // Counts one item of the enclosing array; false (with the error added) when the array is over its limit.
    private static bool CountItem(List<Frame> frames, ModelReadLimits limits, List<ModelError> errors)
    {
        if (frames.Count == 0 || frames[^1].IsObject)
        {
            return true;
        }

        var top = frames[^1];
        if (top.Count >= limits.MaxArrayLength)
        {
            frames[^1] = top with { Count = top.Count + 1 };
            errors.Add(new(PathOf(frames, upToParent: true), string.Create(CultureInfo.InvariantCulture, $"the array has more than {limits.MaxArrayLength:N0} items ({LimitHint(nameof(ModelReadLimits.MaxArrayLength))})")));
            return false;
        }

        frames[^1] = top with { Count = top.Count + 1 };
        return true;
    }

    private static bool CheckString(ref Utf8JsonReader reader, string? text, List<Frame> frames, ModelReadLimits limits, List<ModelError> errors, bool isName)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (text is null && (reader.ValueIsEscaped || raw.Length > limits.MaxStringLength || ContainsC1OrDelete(raw)))
        {
            if (!TryGetString(ref reader, out text))
            {
                errors.Add(new(PathOf(frames), BrokenEscape(isName ? "property name" : "string")));
                return false;
            }
        }

        int length = text?.Length ?? raw.Length; // unescaped ASCII-or-UTF-8 bytes not over the limit: chars are at most bytes
        if (length > limits.MaxStringLength)
        {
            errors.Add(new(PathOf(frames), string.Create(CultureInfo.InvariantCulture, $"the {(isName ? "property name" : "string")} is {length:N0} characters long, over the limit of {limits.MaxStringLength:N0} ({LimitHint(nameof(ModelReadLimits.MaxStringLength))})")));
            return false;
        }

        if (text is not null && errors.Count < MaxErrors)
        {
            foreach (char c in text)
            {
                if (IsRefused(c, isName))
                {
                    errors.Add(new(PathOf(frames), string.Create(CultureInfo.InvariantCulture, $"the {(isName ? "property name" : "string")} contains the control character U+{(int)c:X4}; remove it (control characters can hide text in a terminal or a review)")));
                    break;
                }
            }
        }

        return true;
    }

    // GetString refuses an escape of half a surrogate pair ("\ud800" alone) or bytes that are not UTF-8: bad input, not a crash.
    private static bool TryGetString(ref Utf8JsonReader reader, out string text)
    {
        try
        {
            text = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static string BrokenEscape(string what) =>
        $"the {what} is not valid text: it holds bytes that are not UTF-8 or an escape of half a UTF-16 surrogate pair (such as \\ud800 alone); write the character itself or both halves of the pair";

    private static bool IsRefused(char c, bool isName) =>
        c < 0x20 ? isName || (c != '\t' && c != '\n' && c != '\r') : c is '\u007F' or >= '\u0080' and <= '\u009F';

    // An unescaped JSON string cannot hold raw C0 controls (the reader refuses them), but it can hold DEL and the C1 controls
    // (U+0080 to U+009F, encoded C2 80 to C2 9F in UTF-8).
    private static bool ContainsC1OrDelete(ReadOnlySpan<byte> raw)
    {
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b == 0x7F || (b == 0xC2 && i + 1 < raw.Length && raw[i + 1] is >= 0x80 and <= 0x9F))
            {
                return true;
            }
        }

        return false;
    }

    private static string PathOf(List<Frame> frames, bool upToParent = false)
    {
        var sb = new StringBuilder("$");
        for (int i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            bool last = i == frames.Count - 1;
            if (f.IsObject)
            {
                if (f.Property is { } p)
                {
                    AppendName(sb, p);
                }
            }
            else if (!(last && upToParent) && f.Count > 0)
            {
                sb.Append('[').Append((f.Count - 1).ToString(CultureInfo.InvariantCulture)).Append(']');
            }
        }

        return sb.ToString();
    }

    private static void AppendName(StringBuilder sb, string name)
    {
        bool simple = name.Length > 0 && !char.IsAsciiDigit(name[0]);
        foreach (char c in name)
        {
            simple &= char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        if (simple)
        {
            sb.Append('.').Append(name);
        }
        else
        {
            sb.Append("['").Append(Printable(name).Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
        }
    }

    // Text quoted in a message: control characters shown as \uXXXX, and at most 100 characters.
    private static string Printable(string text)
    {
        var sb = new StringBuilder();
        foreach (char c in text.Length > 100 ? text[..100] : text)
        {
            if (c < 0x20 || c is '\u007F' or >= '\u0080' and <= '\u009F')
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return text.Length > 100 ? sb.Append('…').ToString() : sb.ToString();
    }

    // One open object or array: for an object the current property name, for an array the number of items seen so far.
    private readonly record struct Frame(bool IsObject, string? Property = null, int Count = 0);
}
