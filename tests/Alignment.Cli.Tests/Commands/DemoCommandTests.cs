using Alignment.Cli.Commands;

namespace Alignment.Cli.Tests.Commands;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_NoOptions_PrintsVersionPipelineAndNotBuiltNotice()
    {
        var run = await CliRun.RunAsync("demo");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        var lines = run.Out.Split(Environment.NewLine);
        Assert.Equal($"alignment {CliVersion.Current}", lines[0]);
        Assert.Equal("Pipeline: capture → score → segment → handoff → nurture → outcomes", lines[1]);
        Assert.Contains("The full demo is not built yet", run.Out);
        Assert.Contains($"Output folder: {Path.GetFullPath("demo-out")}", run.Out);
    }

    [Fact]
    public async Task Demo_OutOption_ReportsThatFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "alignment-demo-test");

        var run = await CliRun.RunAsync("demo", "--out", dir);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains($"Output folder: {dir}", run.Out);
    }

    [Fact]
    public async Task Demo_OutWithoutValue_IsAUsageError()
    {
        var run = await CliRun.RunAsync("demo", "--out");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--out", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public void Pipeline_ListsTheSixStagesInOrder()
    {
        Assert.Equal(["capture", "score", "segment", "handoff", "nurture", "outcomes"], DemoCommand.Pipeline.Select(p => p.Stage));
    }

    [Fact]
    public async Task Demo_Help_DescribesTheOutOption()
    {
        var run = await CliRun.RunAsync("demo", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--out <DIR>", run.Out);
    }
}
