using System.Security.Cryptography;
using System.Text.Json;
using Alignment.Models;
using Alignment.Segmentation.Definitions;

namespace Alignment.Segmentation.Rules;

/// <summary>
/// Loads a segmentation model from JSON (or from a <see cref="SegmentationModelDocument"/>): validates everything, reports every
/// problem with its JSON path, resolves field names to typed accessors, and finds overlapping definitions.
/// </summary>
/// <remarks>Thread-safe. Never returns a partial model.</remarks>
public static partial class SegmentationModelLoader
{
    /// <summary>Loads a model from JSON text.</summary>
    /// <param name="json">The model document.</param>
    /// <param name="options">Load settings, including the file's <see cref="ModelLoadOptions.Limits"/>; <see langword="null"/> for the defaults.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <see cref="ModelLoadOptions.Limits"/> is out of range.</exception>
    /// <exception cref="ModelException">The document is invalid; the exception lists every problem with its path.</exception>
    internal static SegmentationModel Load(string json, SegmentationLoadOptions? options)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryLoad(json, options, out var model, out var errors) ? model : throw new ModelException(DocumentOf(options), errors);
    }

    /// <summary>Loads a model from a document built in code (for example with a clustering added by <see cref="Clustering.ClusteringRun.ToClusteringDocument"/>).</summary>
    /// <param name="document">The document.</param>
    /// <param name="options">Load settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ModelException">The document is invalid.</exception>
    internal static SegmentationModel Load(SegmentationModelDocument document, SegmentationLoadOptions? options)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = new List<ModelError>();
        var model = new Compiler(options ?? new SegmentationLoadOptions(), errors).Compile(document);
        return model ?? throw new ModelException(DocumentOf(options), errors);
    }

    /// <summary>Tries to load a model from JSON text.</summary>
    /// <param name="json">The model document.</param>
    /// <param name="options">Load settings, including the file's <see cref="ModelLoadOptions.Limits"/>; <see langword="null"/> for the defaults.</param>
    /// <param name="model">The model, when valid.</param>
    /// <param name="errors">Every problem found, each with its JSON path; empty when valid.</param>
    /// <returns><see langword="true"/> when the model is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <see cref="ModelLoadOptions.Limits"/> is out of range.</exception>
    internal static bool TryLoad(string json, SegmentationLoadOptions? options, out SegmentationModel model, out IReadOnlyList<ModelError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        model = null!;
        var list = new List<ModelError>();
        errors = list;
        var document = Parse(json, options?.Limits, list);
        if (document is null)
        {
            return false;
        }

        var compiled = new Compiler(options ?? new SegmentationLoadOptions(), list).Compile(document);
        if (compiled is null)
        {
            return false;
        }

        model = compiled;
        return true;
    }

    /// <summary>Reads a model document from JSON without validating its content (the file is checked against <paramref name="limits"/> first).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="limits">The file's limits (size, nesting, objects, arrays, strings); <see langword="null"/> for the defaults.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">
    /// The text is not a well-formed model document, is over a limit, repeats a property or holds a control character; every error has its path.
    /// </exception>
    public static SegmentationModelDocument ReadDocument(string json, ModelReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<ModelError>();
        return Parse(json, limits, errors) ?? throw new ModelException("segmentation model", errors);
    }

    /// <summary>Writes a model document as indented JSON in the documented format.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    public static string WriteDocument(SegmentationModelDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(document, SegmentationJsonContext.Default.SegmentationModelDocument);
    }

    /// <summary>
    /// The content hash of a model document: lower-case hex SHA-256 of its canonical JSON, the document written unindented in the
    /// documented format (camelCase, absent members left out). Whitespace and comments in the source do not change it; any edit does.
    /// It is the hash a <see cref="Models.Registry.ModelRelease"/> of the model names and <see cref="SegmentationModel.ContentHash"/> gives.
    /// </summary>
    /// <param name="document">The document.</param>
    /// <returns>64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    public static string ComputeContentHash(SegmentationModelDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        byte[] canonical = JsonSerializer.SerializeToUtf8Bytes(document, Canonical.SegmentationModelDocument);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    /// <summary>The unindented twin of <see cref="SegmentationJsonContext.Default"/>, for the content hash.</summary>
    private static readonly SegmentationJsonContext Canonical = new(new JsonSerializerOptions(SegmentationJsonContext.Default.Options) { WriteIndented = false });

    private static string DocumentOf(SegmentationLoadOptions? options) => options?.Document ?? "segmentation model";

    private static SegmentationModelDocument? Parse(string json, ModelReadLimits? limits, List<ModelError> errors)
    {
        // The first pass: limits, duplicate properties, control characters, malformed JSON; nothing is deserialized before it passes.
        var problems = ModelJsonGuard.Check(json, limits);
        if (problems.Count > 0)
        {
            errors.AddRange(problems);
            return null;
        }

        try
        {
            var document = JsonSerializer.Deserialize(json, SegmentationJsonContext.Default.SegmentationModelDocument);
            if (document is null)
            {
                errors.Add(new("$", "The document is null; expected an object."));
            }

            return document;
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            errors.Add(new(e.Path ?? "$", $"Not a valid segmentation model document{where}: {e.Message}"));
            return null;
        }
    }
}
