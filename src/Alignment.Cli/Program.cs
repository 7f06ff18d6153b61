using Alignment.Cli.Commands;

namespace Alignment.Cli;

/// <summary>The entry point of the <c>alignment</c> tool.</summary>
internal static class Program
{
    /// <summary>
    /// Every command of the tool. To add one, write a class that implements <see cref="ICliCommand"/> in its own file
    /// under Commands/ and add one line here.
    /// </summary>
    internal static IReadOnlyList<ICliCommand> Commands { get; } =
    [
        new DemoCommand(),
        new ScoreCommand(),
        new BacktestCommand(),
        new DiffCommand(),
        new PredictCommand(),
        new SegmentCommand(),
        new ClusterCommand(),
        new PlanCommand(),
        new ContentCommand(),
        new ConsistencyCommand(),
        new ReportCommand(),
        new RouteCommand(),
        new ValidateCommand(),
        new MapCommand(),
        new ReleaseCommand(),
        new ServeCommand(),
    ];

    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliConsole.System, Commands);
}
