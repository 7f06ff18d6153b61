using System.Text;

namespace Alignment.Cli.Csv;

/// <summary>
/// Where a command writes its result: a file named by <c>--out</c>, or standard output. Everything is first written to a temporary
/// file; <see cref="CommitAsync"/> moves it into place (or copies it to standard output), so a command that fails half way leaves
/// nothing partial behind: no half-written output file, no half-printed table.
/// </summary>
internal sealed class CommandOutput : IAsyncDisposable
{
    private readonly CliConsole _console;
    private readonly string? _target;
    private readonly string _temp;
    private readonly StreamWriter _writer;
    private bool _committed;

    private CommandOutput(CliConsole console, string? target, string temp, StreamWriter writer)
    {
        _console = console;
        _target = target;
        _temp = temp;
        _writer = writer;
    }

    /// <summary>The writer for the result; lines end with <c>\n</c>.</summary>
    public TextWriter Writer => _writer;

    /// <summary>Opens the output.</summary>
    /// <param name="console">The console, for standard output.</param>
    /// <param name="path">The output file, or <see langword="null"/> for standard output.</param>
    /// <param name="option">The option that named the file, for error messages (for example <c>--out</c>).</param>
    /// <returns>The output.</returns>
    /// <exception cref="CliInputException">The output file's folder does not exist.</exception>
    public static CommandOutput Open(CliConsole console, string? path, string option = "--out")
    {
        string folder;
        if (path is null)
        {
            folder = Path.GetTempPath();
        }
        else
        {
            string full = Path.GetFullPath(path);
            folder = Path.GetDirectoryName(full) ?? Path.GetTempPath();
            if (!Directory.Exists(folder))
            {
                throw new CliInputException(path, null, option, $"the folder '{folder}' does not exist");
            }

            if (Directory.Exists(full))
            {
                throw new CliInputException(path, null, option, "is a folder; name a file");
            }
        }

        string temp = Path.Combine(folder, $".alignment-{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        return new CommandOutput(console, path, temp, writer);
    }

    /// <summary>Finishes the output: moves the temporary file over the target, or copies it to standard output.</summary>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A task.</returns>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_target is null)
        {
            _writer.BaseStream.Position = 0;
            using var reader = new StreamReader(_writer.BaseStream, Encoding.UTF8, false, 1 << 16, leaveOpen: true);
            var buffer = new char[1 << 14];
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await _console.Out.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            await _console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            File.Move(_temp, _target, overwrite: true);
        }

        _committed = true;
        TryDelete(_temp);
    }

    /// <summary>Closes the output; without a commit the temporary file is deleted and the target is left untouched.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        TryDelete(_temp);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The file stays in the temporary folder; nothing the user named is affected.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
