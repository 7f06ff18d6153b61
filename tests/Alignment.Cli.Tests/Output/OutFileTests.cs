using Alignment.Cli.Csv;

namespace Alignment.Cli.Tests.Output;

/// <summary>
/// --out writes a temporary file in the target's folder and renames it over the target: an existing file keeps its permissions, a
/// symbolic link is refused (exit 1, the link left alone), an unwritable or missing folder and a read-only file are exit 1 naming the
/// path; standard output is staged in a file only the user can read.
/// </summary>
public sealed class OutFileTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static Task<CliRun> ScoreAsync(TempFolder dir, string output)
    {
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");
        return CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--out", output);
    }

    [Fact]
    public async Task Out_OverASymbolicLink_IsRefusedAndTheLinkAndItsTargetAreLeftAlone()
    {
        using var dir = new TempFolder();
        string real = dir.Write("real.csv", "precious");
        string link = dir.File_("scores.csv");
        File.CreateSymbolicLink(link, real);

        var run = await ScoreAsync(dir, link);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"alignment: error: {link}, field '--out': is a symbolic link (to '{real}'); the tool does not replace or write through links: name the file itself\n", run.Error);
        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.Equal("precious\n", File.ReadAllText(real));
        Assert.Equal(["leads.csv", "model.json", "real.csv", "scores.csv"], dir.Files());
    }

    [Fact]
    public async Task Out_OverANamedPipeOrADevice_IsRefusedAndLeftAsItWas()
    {
        using var dir = new TempFolder();
        string fifo = dir.File_("scores.csv");
        Assert.Equal(0, Run("mkfifo", fifo));
        var specials = new List<string> { fifo };
        string device = dir.File_("null-device.csv");
        if (Environment.UserName == "root" && Run("mknod", device, "c", "1", "3") == 0)
        {
            specials.Add(device); // a second /dev/null: as root the tool could otherwise replace the real one
        }

        foreach (string target in specials)
        {
            var run = await ScoreAsync(dir, target);

            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Equal($"alignment: error: {target}, field '--out': is not a regular file (a device, a named pipe or a socket), which the tool does not replace: name a file, or leave out the option to write to standard output\n", run.Error);
            Assert.True(FileKind.IsSpecial(target), target + " was replaced by a regular file");
        }
    }

    [Fact]
    public async Task StandardOutput_ThatCannotBeWritten_IsExitOneNamingIt_NotAnInternalError()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");
        using var error = new StringWriter();

        int code = await CliApp.RunAsync(["score", "--model", model, "--leads", leads, "--as-of", "2026-03-01"], new CliConsole(new FullDisk(), error), Program.Commands);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("alignment: error: standard output: cannot write: No space left on device\n", error.ToString());
    }

    private static int Run(string file, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    // Standard output on a full disk (as `> /dev/full`): every write fails.
    private sealed class FullDisk : StringWriter
    {
        public override void Write(char value) => throw new IOException("No space left on device");

        public override void Write(char[] buffer, int index, int count) => throw new IOException("No space left on device");

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) => throw new IOException("No space left on device");

        public override Task FlushAsync(CancellationToken cancellationToken) => throw new IOException("No space left on device");
    }

    [Fact]
    public async Task Out_OverAPrivateFile_KeepsItsPermissions_NewFilesArePrivate()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempFolder();
        string existing = dir.Write("scores.csv", "old");
        File.SetUnixFileMode(existing, Private);
        string shared = dir.Write("shared.csv", "old");
        File.SetUnixFileMode(shared, Private | UnixFileMode.GroupRead);
        string created = dir.File_("new.csv");

        var overPrivate = await ScoreAsync(dir, existing);
        var overShared = await ScoreAsync(dir, shared);
        var fresh = await ScoreAsync(dir, created);

        Assert.Equal(ExitCodes.Success, overPrivate.ExitCode);
        Assert.Equal("id,total,fit,engagement,grade,state\nL1,15,15,0,C,notQualified\n", File.ReadAllText(existing));
        Assert.Equal(Private, File.GetUnixFileMode(existing));
        Assert.Equal(ExitCodes.Success, overShared.ExitCode);
        Assert.Equal(Private | UnixFileMode.GroupRead, File.GetUnixFileMode(shared));
        Assert.Equal(ExitCodes.Success, fresh.ExitCode);
        Assert.Equal(Private, File.GetUnixFileMode(created));
        Assert.Equal(["leads.csv", "model.json", "new.csv", "scores.csv", "shared.csv"], dir.Files());
    }

    [Fact]
    public async Task Out_IntoAnUnwritableOrMissingFolder_OrOverAReadOnlyFile_ExitsOneNamingThePath()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempFolder();
        string locked = Path.Combine(dir.Path, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        // A process with CAP_DAC_OVERRIDE (root in a container) writes in any folder with mode bits; sysfs refuses even root.
        string unwritable = Path.Combine(Environment.IsPrivilegedProcess && OperatingSystem.IsLinux() ? "/sys" : locked, "scores.csv");
        string missing = Path.Combine(dir.Path, "no-such-folder", "scores.csv");
        string readOnly = dir.Write("read-only.csv", "old");
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.GroupRead);

        try
        {
            var intoUnwritable = await ScoreAsync(dir, unwritable);
            var intoMissing = await ScoreAsync(dir, missing);
            var overReadOnly = await ScoreAsync(dir, readOnly);

            Assert.Equal(ExitCodes.BadInput, intoUnwritable.ExitCode);
            Assert.Equal(
                $"alignment: error: {unwritable}, field '--out': cannot create a file in the folder '{Path.GetDirectoryName(unwritable)}': permission denied; nothing was written\n",
                intoUnwritable.Error);
            Assert.Equal(ExitCodes.BadInput, intoMissing.ExitCode);
            Assert.Equal($"alignment: error: {missing}, field '--out': the folder '{Path.GetDirectoryName(missing)}' does not exist\n", intoMissing.Error);
            Assert.Equal(ExitCodes.BadInput, overReadOnly.ExitCode);
            Assert.Equal($"alignment: error: {readOnly}, field '--out': the file is read-only; nothing was written\n", overReadOnly.Error);
            Assert.Equal("old\n", File.ReadAllText(readOnly));
            Assert.Empty(Directory.GetFiles(locked));
            Assert.Equal(["leads.csv", "model.json", "read-only.csv"], dir.Files());
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task StandardOutput_IsStagedInAFileOnlyTheUserCanRead()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var console = new StringWriter();
        await using (var output = CommandOutput.Open(new CliConsole(console, TextWriter.Null), null))
        {
            await output.Writer.WriteAsync("id\nL1\n");
            await output.Writer.FlushAsync();

            Assert.True(File.Exists(output.StagingPath));
            Assert.Equal(Path.GetFullPath(Path.GetTempPath()), Path.GetFullPath(Path.GetDirectoryName(output.StagingPath)! + Path.DirectorySeparatorChar));
            Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(output.StagingPath) & GroupOrOther);
            await output.CommitAsync(CancellationToken.None);
            Assert.False(File.Exists(output.StagingPath));
        }

        Assert.Equal("id\nL1\n", console.ToString());
    }
}
