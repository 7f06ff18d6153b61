using System.Text;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.DependencyInjection;

/// <summary>Reads and loads the model <see cref="SegmentationOptions"/> names, within its <see cref="SegmentationOptions.Limits"/>.</summary>
internal static class SegmentationModelFile
{
    /// <summary>Loads the configured model.</summary>
    /// <param name="options">The options.</param>
    /// <param name="meterFactory">Creates the model's meter; <see langword="null"/> for the shared one.</param>
    /// <param name="schema">The leads' custom attributes, which conditions may name as <c>attributes.&lt;name&gt;</c>.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelException">The file is over <see cref="ModelReadLimits.MaxBytes"/>, or the model is invalid.</exception>
    public static SegmentationModel Load(SegmentationOptions options, AttributeSchema schema, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        var limits = options.Limits ?? new ModelReadLimits();
        string json = options.ModelJson ?? Read(options.ModelPath!, limits.MaxBytes);
        return SegmentationModel.Load(json, new SegmentationLoadOptions { Document = options.ModelJson is null ? options.ModelPath! : "SegmentationOptions.ModelJson", Schema = schema, MeterFactory = meterFactory, OverlapsAreErrors = options.OverlapsAreErrors, Limits = limits });
    }

    /// <summary>
    /// Reads a model file as UTF-8, at most <paramref name="maxBytes"/> + 1 bytes, so that a path naming a device or a pipe that never
    /// ends cannot exhaust the host.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes the file may hold.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ModelException">The file holds more than <paramref name="maxBytes"/> bytes; the error names the limit.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static string Read(string path, long maxBytes)
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
                var error = ModelJsonGuard.TooLarge(maxBytes, maxBytes, atLeast: true);
                throw new ModelException(path, [error]);
            }
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
