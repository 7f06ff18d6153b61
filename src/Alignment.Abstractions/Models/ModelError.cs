using System.Globalization;
using System.Text.Json;

namespace Alignment.Models;

/// <summary>
/// One problem with a model document (a scoring model, a release, a segmentation model, a routing policy or roster, a nurture
/// policy): where it is, what is wrong and, when there is an obvious fix, what to write instead. Every loader of every engine
/// reports its problems as a list of these, and <see cref="ModelException"/> carries the list when a load throws.
/// </summary>
/// <param name="Path">
/// The JSON path of the offending element, such as <c>$.fit[3].when.in</c>, or <c>$</c> for the whole document; a syntax error adds
/// the line and position.
/// </param>
/// <param name="Message">What is wrong, in one sentence.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ModelError(string Path, string Message)
{
    /// <summary>What to write instead, such as <c>did you mean 'company.industry'?</c>, or <see langword="null"/> when there is no obvious fix.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? Suggestion { get; init; }

    /// <summary>
    /// Which document of a model made of several the error is in (a routing policy is loaded from a <c>policy</c> and a
    /// <c>roster</c>), or <see langword="null"/> for a model of one document.
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? Document { get; init; }

    /// <summary>An error for a document that is not well-formed JSON or does not fit the model's shape, from the reader's exception.</summary>
    /// <param name="exception">The exception <see cref="JsonSerializer"/> or <see cref="JsonDocument"/> threw.</param>
    /// <returns>The error at the exception's path (or <c>$</c>) with its line and position, and its message without the reader's trailing location text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static ModelError FromJsonException(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string path = exception.Path ?? "$";
        if (exception.LineNumber is { } line)
        {
            path = string.Create(CultureInfo.InvariantCulture, $"{path} (line {line + 1}, position {exception.BytePositionInLine + 1})");
        }

        // A converter that knows the fix ends its message with "(did you mean 'x'?)": that part is the suggestion.
        string message = FirstSentence(exception.Message);
        int open = message.LastIndexOf(" (did you mean '", StringComparison.Ordinal);
        return open > 0 && message.EndsWith("'?)", StringComparison.Ordinal)
            ? new ModelError(path, message[..open]) { Suggestion = message[(open + 2)..^1] }
            : new ModelError(path, message);
    }

    /// <summary>Writes <c>path: message</c> (<c>document path: message</c> when <see cref="Document"/> is set), followed by <c> (suggestion)</c> when there is one.</summary>
    /// <returns>The error's text.</returns>
    public override string ToString()
    {
        string where = Document is null ? Path : $"{Document} {Path}";
        return Suggestion is null ? $"{where}: {Message}" : $"{where}: {Message} ({Suggestion})";
    }

    // The reader's messages end with " Path: $.x | LineNumber: 3 | BytePositionInLine: 4." which the path above already says.
    internal static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        string text = cut > 0 ? message[..cut] : message;
        return text.TrimEnd().TrimEnd('.');
    }
}
