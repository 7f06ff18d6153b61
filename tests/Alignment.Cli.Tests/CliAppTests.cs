using System.CommandLine;

namespace Alignment.Cli.Tests;

public sealed class CliAppTests
{
    public static TheoryData<string> CommandNames()
    {
        var data = new TheoryData<string>();
        var root = CliApp.BuildRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null), Program.Commands);
        foreach (var command in root.Subcommands)
        {
            data.Add(command.Name);
        }

        return data;
    }

    [Fact]
    public async Task RunAsync_Version_PrintsVersionAndExitsZero()
    {
        var run = await CliRun.RunAsync("--version");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(CliVersion.Current, run.Out.Trim());
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task RunAsync_Help_ListsEveryCommandAndExitsZero()
    {
        var run = await CliRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains("[command] [options]", run.Out); // the usage line starts with the executable name: testhost here, alignment when installed
        foreach (var command in Program.Commands)
        {
            var name = command.Create(new CliConsole(TextWriter.Null, TextWriter.Null)).Name;
            Assert.Contains(name, run.Out);
        }

        Assert.Empty(run.Error);
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public async Task RunAsync_CommandHelp_PrintsUsageAndExitsZero(string name)
    {
        var run = await CliRun.RunAsync(name, "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        // Positional arguments (diff OLD NEW, validate FILE) come before [options]; a command with subcommands (release) shows [command].
        Assert.Matches($@" {name}( <[^>]+>)*( \[command\])? \[options\]", run.Out);
        Assert.Contains("--help", run.Out);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Program_Commands_HaveUniqueNamesAndDescriptions()
    {
        var root = CliApp.BuildRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null), Program.Commands);

        Assert.NotEmpty(root.Subcommands);
        Assert.Equal(root.Subcommands.Count, root.Subcommands.Select(c => c.Name).Distinct().Count());
        Assert.All(root.Subcommands, c => Assert.False(string.IsNullOrWhiteSpace(c.Description)));
    }

    [Fact]
    public async Task RunAsync_NoCommand_ExitsTwoWithUsageOnStandardError()
    {
        var run = await CliRun.RunAsync();

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Required command was not provided.", run.Error);
        Assert.Contains("Run 'alignment --help' for usage.", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_ExitsTwoNamingIt()
    {
        var run = await CliRun.RunAsync("frobnicate");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("'frobnicate'", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task RunAsync_UnknownOption_ExitsTwoAndPointsToCommandHelp()
    {
        var run = await CliRun.RunAsync("demo", "--bogus");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("'--bogus'", run.Error);
        Assert.Contains("Run 'alignment demo --help' for usage.", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task RunAsync_CommandThrowsInputError_ExitsOneNamingFileLineAndField()
    {
        var throwing = new DelegateCommand("load", (_, _) => throw new CliInputException("leads.csv", 12, "employeeCount", "not a whole number ('abc')."));

        var run = await CliRun.RunAsync([throwing], ["load"]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("alignment: error: leads.csv, line 12, field 'employeeCount': not a whole number ('abc')." + Environment.NewLine, run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task RunAsync_CommandFailsUnexpectedly_ExitsThreeWithDetails()
    {
        var throwing = new DelegateCommand("boom", (_, _) => throw new InvalidOperationException("bug here"));

        var run = await CliRun.RunAsync([throwing], ["boom"]);

        Assert.Equal(ExitCodes.InternalError, run.ExitCode);
        Assert.Contains("alignment: internal error: System.InvalidOperationException: bug here", run.Error);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ExitsWithCancelledCode()
    {
        using var cts = new CancellationTokenSource();
        var waiting = new DelegateCommand("wait", async (_, token) =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return ExitCodes.Success;
        });

        var run = await CliRun.RunAsync([waiting], ["wait"], cts.Token);

        Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
        Assert.Contains("cancelled", run.Error);
    }

    [Fact]
    public async Task RunAsync_CommandWritesThroughConsole_OutputIsCaptured()
    {
        var writing = new DelegateCommand("hello", async (console, _) =>
        {
            await console.Out.WriteLineAsync("to out");
            await console.Error.WriteLineAsync("to error");
            return ExitCodes.Success;
        });

        var run = await CliRun.RunAsync([writing], ["hello"]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("to out" + Environment.NewLine, run.Out);
        Assert.Equal("to error" + Environment.NewLine, run.Error);
    }

    private sealed class DelegateCommand(string name, Func<CliConsole, CancellationToken, Task<int>> action) : ICliCommand
    {
        public Command Create(CliConsole console)
        {
            var command = new Command(name, $"Test command {name}.");
            command.SetAction((_, token) => action(console, token));
            return command;
        }
    }
}
