using System.Text;

namespace Alignment.Cli.Output;

/// <summary>
/// A writer that passes everything to another writer through <see cref="TerminalText.EscapeLines"/>: line breaks and tabs are kept,
/// every other control character (ESC, BEL, backspace, a lone carriage return, C1 controls, …) is written as a visible escape. The tool
/// puts one in front of standard error, so every message it prints, whatever value from an input file or library exception it
/// quotes, is safe for the terminal.
/// </summary>
/// <param name="inner">The writer written to.</param>
internal sealed class TerminalSafeWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    /// <summary>The writer written to, for the one caller that writes control characters on purpose (the progress line).</summary>
    public TextWriter Inner { get; } = inner;

    /// <inheritdoc />
    public override Encoding Encoding => Inner.Encoding;

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => Inner.NewLine;
        set => Inner.NewLine = value;
    }

    /// <summary>The writer for a console's standard error: <paramref name="error"/> itself when it is already safe, else a safe wrapper.</summary>
    /// <param name="error">The writer.</param>
    /// <returns>The safe writer.</returns>
    public static TerminalSafeWriter For(TextWriter error) => error as TerminalSafeWriter ?? new TerminalSafeWriter(error);

    /// <summary>The writer underneath any safe wrapper.</summary>
    /// <param name="writer">A writer, safe or not.</param>
    /// <returns>The writer that <paramref name="writer"/> writes to.</returns>
    public static TextWriter Unwrap(TextWriter writer) => writer is TerminalSafeWriter safe ? safe.Inner : writer;

    /// <inheritdoc />
    public override void Write(char value)
    {
        if (TerminalText.IsUnsafe(value) && value != '\n')
        {
            Inner.Write(TerminalText.Escape(value.ToString()));
        }
        else
        {
            Inner.Write(value);
        }
    }

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Inner.Write(TerminalText.EscapeLines(new string(buffer, index, count)));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<char> buffer) => Inner.Write(TerminalText.EscapeLines(new string(buffer)));

    /// <inheritdoc />
    public override void Write(string? value) => Inner.Write(TerminalText.EscapeLines(value));

    /// <inheritdoc />
    public override void WriteLine() => Inner.WriteLine();

    /// <inheritdoc />
    public override void WriteLine(string? value) => Inner.WriteLine(TerminalText.EscapeLines(value));

    /// <inheritdoc />
    public override Task WriteAsync(char value) => Inner.WriteAsync(TerminalText.EscapeLines(value.ToString()));

    /// <inheritdoc />
    public override Task WriteAsync(string? value) => Inner.WriteAsync(TerminalText.EscapeLines(value));

    /// <inheritdoc />
    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        Inner.WriteAsync(TerminalText.EscapeLines(new string(buffer.Span)).AsMemory(), cancellationToken);

    /// <inheritdoc />
    public override Task WriteLineAsync() => Inner.WriteLineAsync();

    /// <inheritdoc />
    public override Task WriteLineAsync(string? value) => Inner.WriteLineAsync(TerminalText.EscapeLines(value));

    /// <inheritdoc />
    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        Inner.WriteLineAsync(TerminalText.EscapeLines(new string(buffer.Span)).AsMemory(), cancellationToken);

    /// <inheritdoc />
    public override void Flush() => Inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync() => Inner.FlushAsync();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);
}
