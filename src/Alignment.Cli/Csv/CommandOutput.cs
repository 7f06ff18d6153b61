using System.Text;

namespace Alignment.Cli.Csv;

/// <summary>
/// Where a command writes its result: a file named by <c>--out</c>, or standard output. Everything is first written to a temporary
/// file; <see cref="CommitAsync"/> moves it into place (or copies it to standard output), so a command that fails half way leaves
/// nothing partial behind: no half-written output file, no half-printed table.
/// </summary>
/// <remarks>
/// <para>
/// The temporary file is created readable and writable by the user alone (mode 0600 on Unix): in the target's own folder for
/// <c>--out</c> (so the final rename stays on one file system and is atomic), in the system's temporary folder for standard output.
/// </para>
/// <para>
/// An existing <c>--out</c> file keeps its permission bits (they are copied to the temporary file before the rename); a new one is
/// created 0600. A symbolic link is never replaced or written through: naming one is bad input, as are a read-only file, a folder, a
/// missing folder and a folder the user cannot write in. Each message names the path and the option.
/// </para>
/// </remarks>
internal sealed class CommandOutput : IAsyncDisposable
{
    private const UnixFileMode PermissionBits =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly CliConsole _console;
    private readonly string? _path;
    private readonly string _option;
    private readonly string _temp;
    private readonly FileStream _stream;
    private readonly StreamWriter _writer;
    private bool _committed;

    private CommandOutput(CliConsole console, string? path, string option, string temp, FileStream stream)
    {
        _console = console;
        _path = path;
        _option = option;
        _temp = temp;
        _stream = stream;
        _writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
    }

    /// <summary>The writer for the result; lines end with <c>\n</c>.</summary>
    public TextWriter Writer => _writer;

    /// <summary>The temporary file the result is staged in until <see cref="CommitAsync"/>.</summary>
    internal string StagingPath => _temp;

    /// <summary>Opens the output.</summary>
    /// <param name="console">The console, for standard output.</param>
    /// <param name="path">The output file, or <see langword="null"/> for standard output.</param>
    /// <param name="option">The option that named the file, for error messages (for example <c>--out</c>).</param>
    /// <returns>The output.</returns>
    /// <exception cref="CliInputException">
    /// The output file's folder does not exist or cannot be written in, or the path is a folder, a symbolic link or a read-only file.
    /// </exception>
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

            CheckTarget(path, option);
        }

        string temp = Path.Combine(folder, $".alignment-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 1 << 16,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new CommandOutput(console, path, option, temp, new FileStream(temp, options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw path is null
                ? new CliInputException(folder, null, null, $"cannot create the temporary file that stages standard output: {e.Message}")
                : new CliInputException(path, null, option, $"cannot create a file in the folder '{folder}': {Reason(e)}; nothing was written");
        }
    }

    /// <summary>Finishes the output: moves the temporary file over the target, or copies it to standard output.</summary>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CliInputException">The output cannot be written (a full disk, a closed standard output), or the target became a symbolic link, folder, special or read-only file, or cannot be replaced.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (_path is not null)
            {
                _stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException e)
        {
            throw new CliInputException(_path ?? Path.GetDirectoryName(_temp) ?? _temp, null, _path is null ? null : _option, $"cannot write the output: {e.Message}; nothing was written");
        }

        if (_path is null)
        {
            _stream.Position = 0;
            using var reader = new StreamReader(_stream, Encoding.UTF8, false, 1 << 16, leaveOpen: true);
            var buffer = new char[1 << 14];
            int read;
            try
            {
                while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await _console.Out.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await _console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new CliInputException("standard output", null, null, $"cannot write: {e.Message}");
            }

            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            UnixFileMode? mode = CheckTarget(_path, _option);
            try
            {
                if (mode is UnixFileMode keep && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(_temp, keep);
                }

                File.Move(_temp, Path.GetFullPath(_path), overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliInputException(_path, null, _option, $"cannot replace the file: {Reason(e)}; it was left as it was");
            }
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

    /// <summary>
    /// Checks that the target can be replaced: not a symbolic link, not a folder, not a device, pipe or socket, not read-only. Returns an existing file's permission
    /// bits (on Unix), to be kept.
    /// </summary>
    private static UnixFileMode? CheckTarget(string path, string option)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        if (info.LinkTarget is { } link)
        {
            throw new CliInputException(
                path, null, option, $"is a symbolic link (to '{link}'); the tool does not replace or write through links: name the file itself");
        }

        if (Directory.Exists(info.FullName))
        {
            throw new CliInputException(path, null, option, "is a folder; name a file");
        }

        if (!info.Exists)
        {
            return null;
        }

        if (FileKind.IsSpecial(info.FullName))
        {
            throw new CliInputException(
                path, null, option, "is not a regular file (a device, a named pipe or a socket), which the tool does not replace: name a file, or leave out the option to write to standard output");
        }

        if (info.IsReadOnly)
        {
            throw new CliInputException(path, null, option, "the file is read-only; nothing was written");
        }

        return OperatingSystem.IsWindows() ? null : info.UnixFileMode & PermissionBits;
    }

    private static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : e.Message;

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
