using System.Text.Json;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace Alignment.Benchmarks.Guards;

/// <summary>
/// Writes <c>*-allocations.json</c> next to BenchmarkDotNet's JSON report: for every case, the total bytes allocated and the
/// total operations of the measured allocation run. BenchmarkDotNet's own <c>BytesAllocatedPerOperation</c> is an integer
/// division, so with <c>OperationsPerInvoke</c> = 5,000,000 a 24 B-per-lead allocation (0.48 B per activity) reads as 0 B;
/// the guards divide these totals instead.
/// </summary>
public sealed class AllocationTotalsExporter : ExporterBase
{
    /// <summary>The file name suffix the guard checker looks for.</summary>
    public const string Suffix = "-allocations.json";

    /// <inheritdoc />
    protected override string FileExtension => "json";

    /// <inheritdoc />
    protected override string FileCaption => "allocations";

    /// <inheritdoc />
    public override void ExportToLog(Summary summary, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(logger);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("Benchmarks");
            foreach (var report in summary.Reports)
            {
                var gc = report.GcStats;
                long? total = gc.TotalOperations > 0 ? gc.GetTotalAllocatedBytes(false) : null;
                json.WriteStartObject();
                json.WriteString("Type", report.BenchmarkCase.Descriptor.Type.Name);
                json.WriteString("Method", report.BenchmarkCase.Descriptor.WorkloadMethod.Name);
                json.WriteString("Parameters", report.BenchmarkCase.Parameters.PrintInfo);
                json.WriteNumber("TotalOperations", gc.TotalOperations);
                if (total is long bytes)
                {
                    json.WriteNumber("TotalAllocatedBytes", bytes);
                }
                else
                {
                    json.WriteNull("TotalAllocatedBytes");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        logger.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
