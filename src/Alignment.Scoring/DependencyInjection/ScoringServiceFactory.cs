using System.Diagnostics.Metrics;
using System.Text;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;

namespace Microsoft.Extensions.DependencyInjection;

internal static class ScoringServiceFactory
{
    public static ScoringModel Load(ScoringOptions options, AttributeSchema schema, IEnumerable<IScoringRule> plugins, IMeterFactory? meterFactory = null)
    {
        var limits = options.Limits ?? new ModelReadLimits();
        string source = options.ModelPath ?? "ScoringOptions.ModelJson";
        string json = string.IsNullOrWhiteSpace(options.ModelJson) ? ReadFile(options.ModelPath!, limits.MaxBytes) : options.ModelJson;
        return ScoringModel.Load(json, new ScoringModelOptions { Schema = schema, PluginRules = [.. plugins], Document = source, Limits = limits, MeterFactory = meterFactory });
    }

    // Reads at most maxBytes + 1 bytes, so a path that names a device or a pipe that never ends cannot exhaust the host.
    private static string ReadFile(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length - 1, maxBytes - total) + 1)) > 0)
        {
            buffer.Write(chunk, 0, read);
            total += read;
            if (total > maxBytes)
            {
                throw new ModelException(path, [ModelJsonGuard.TooLarge(maxBytes, maxBytes, atLeast: true)]);
            }
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    
}
