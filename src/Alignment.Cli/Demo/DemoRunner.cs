namespace Alignment.Cli.Demo;

/// <summary>Generates the sample data, runs the pipeline and writes <c>report.html</c> and <c>summary.json</c>.</summary>
internal static class DemoRunner
{
    /// <summary>The report's file name.</summary>
    public const string ReportFile = "report.html";

    /// <summary>The summary's file name.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>Runs the whole demo in memory.</summary>
    /// <param name="seed">The seed of the sample data.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What the run measured.</returns>
    public static async Task<DemoRun> RunAsync(int seed = SampleDataGenerator.DefaultSeed, CancellationToken cancellationToken = default)
    {
        var models = DemoModels.Load(SampleDataGenerator.Start);
        var sample = SampleDataGenerator.Generate(seed);
        using var pipeline = new DemoPipeline(models, sample, seed);
        return await pipeline.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the report and the summary into <paramref name="folder"/>, each through a temporary file so that a failed write leaves no partial file.</summary>
    /// <param name="run">The run.</param>
    /// <param name="folder">The output folder (created when missing).</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The paths written.</returns>
    public static async Task<(string Report, string Summary)> WriteAsync(DemoRun run, DirectoryInfo folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(folder);
        folder.Create();
        string report = Path.Combine(folder.FullName, ReportFile), summary = Path.Combine(folder.FullName, SummaryFile);
        string html = DemoReport.ToHtml(run), json = DemoSummary.ToJson(run);
        await File.WriteAllTextAsync(report + ".tmp", html, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(summary + ".tmp", json, cancellationToken).ConfigureAwait(false);
        File.Move(report + ".tmp", report, overwrite: true);
        File.Move(summary + ".tmp", summary, overwrite: true);
        return (report, summary);
    }
}
