using Alignment.Segmentation.Definitions;
using Alignment.Models;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Segmentation.Playbooks;

namespace Alignment.Segmentation.Rules;

/// <summary>
/// A compiled rule-based segmentation model: ordered definitions plus a default segment, so every lead lands in exactly one
/// segment. Field names were resolved to typed accessors when the model was loaded; matching does no string lookups by field
/// name and allocates nothing (<see cref="Match(ReadOnlySpan{Lead}, ReadOnlySpan{ScoreCard}, Span{SegmentMatch})"/> is the batch path).
/// </summary>
/// <remarks>Immutable and thread-safe. Create one with <see cref="SegmentationModelLoader"/>.</remarks>
public sealed class SegmentationModel : ISegmenter
{
    /// <summary>Reads, validates and compiles a segmentation model from its JSON text; never returns a partial model.</summary>
    /// <param name="json">The model document.</param>
    /// <param name="options">The attribute schema, overlap handling, document name and read limits; <see langword="null"/> for the defaults.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <see cref="ModelLoadOptions.Limits"/> is out of range.</exception>
    /// <exception cref="ModelException">The document is invalid; lists every problem with its JSON path.</exception>
    public static SegmentationModel Load(string json, SegmentationLoadOptions? options = null) => SegmentationModelLoader.Load(json, options);

    /// <summary>Reads a segmentation model and returns every problem instead of throwing: the twin of <see cref="Load"/>.</summary>
    /// <param name="json">The model document.</param>
    /// <param name="options">The attribute schema, overlap handling, document name and read limits; <see langword="null"/> for the defaults.</param>
    /// <param name="model">The compiled model, or <see langword="null"/> when it is invalid.</param>
    /// <param name="errors">Every problem with its JSON path, or empty.</param>
    /// <returns><see langword="true"/> when the model loaded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <see cref="ModelLoadOptions.Limits"/> is out of range.</exception>
    public static bool TryLoad(string json, SegmentationLoadOptions? options, [NotNullWhen(true)] out SegmentationModel? model, out ImmutableArray<ModelError> errors)
    {
        bool loaded = SegmentationModelLoader.TryLoad(json, options, out var compiled, out var list);
        model = loaded ? compiled : null;
        errors = loaded ? [] : [.. list];
        return loaded;
    }

    /// <summary>Validates and compiles a model document built in code (for example one with a clustering added by <see cref="Clustering.ClusteringRun.ToClusteringDocument"/>).</summary>
    /// <param name="document">The document.</param>
    /// <param name="options">The attribute schema, overlap handling and document name; <see langword="null"/> for the defaults.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ModelException">The document is invalid; lists every problem with its JSON path.</exception>
    public static SegmentationModel Compile(SegmentationModelDocument document, SegmentationLoadOptions? options = null) => SegmentationModelLoader.Load(document, options);

    private static readonly System.Diagnostics.Metrics.Counter<long> DefaultSegmented = CreateSegmented(new(Alignment.Diagnostics.AlignmentDiagnostics.MeterName));

    private readonly System.Diagnostics.Metrics.Counter<long> _segmented;

    private readonly Condition[][] _conditions;

    /// <summary>Builders larger than this after an explanation are not kept for the next one on the thread.</summary>
    private const int MaxKeptExplainCapacity = 4096;

    [ThreadStatic]
    private static StringBuilder? t_explainText;
    private readonly FrozenDictionary<string, SegmentDefinition> _byId;

    private static System.Diagnostics.Metrics.Counter<long> CreateSegmented(System.Diagnostics.Metrics.Meter meter) =>
        meter.CreateCounter<long>("alignment.leads.segmented", "{lead}", "Leads put in a segment by Assign, tagged by segment and whether it was the default.");

    internal SegmentationModel(string id, string? version, string contentHash, ImmutableArray<SegmentDefinition> definitions, SegmentDefinition defaultSegment, Condition[][] conditions, ImmutableArray<SegmentOverlap> overlaps, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        ContentHash = contentHash;
        Model = new ModelReference(id, version ?? string.Empty, contentHash);
        _segmented = meterFactory is null ? DefaultSegmented : CreateSegmented(meterFactory.Create(new System.Diagnostics.Metrics.MeterOptions(Alignment.Diagnostics.AlignmentDiagnostics.MeterName)));
        Id = id;
        Version = version;
        Definitions = definitions;
        Default = defaultSegment;
        _conditions = conditions;
        Overlaps = overlaps;
        _byId = definitions.Append(defaultSegment).ToFrozenDictionary(d => d.Id.Value, StringComparer.Ordinal);
    }

    /// <summary>The model's id.</summary>
    public string Id { get; }

    /// <summary>The model's version, when given.</summary>
    public string? Version { get; }

    /// <summary>
    /// The content hash of the model: lower-case hex SHA-256 of the canonical JSON of its parsed document (see
    /// <see cref="SegmentationModelLoader.ComputeContentHash"/>), so layout and comments do not change it and any edit does.
    /// </summary>
    public string ContentHash { get; }

    /// <summary>The model's id, version and content hash; the same instance is attached to every <see cref="SegmentAssignment"/> the model makes.</summary>
    public ModelReference Model { get; }

    /// <summary>The definitions in precedence order (the default segment not included).</summary>
    public ImmutableArray<SegmentDefinition> Definitions { get; }

    /// <summary>The default segment.</summary>
    public SegmentDefinition Default { get; }

    /// <summary>Every pair of definitions that can both match one lead, found at load.</summary>
    public ImmutableArray<SegmentOverlap> Overlaps { get; }

    /// <summary>Finds a segment (a definition or the default) by id.</summary>
    /// <param name="id">The segment id.</param>
    /// <param name="segment">The segment, when found.</param>
    /// <returns><see langword="true"/> when the model has the segment.</returns>
    public bool TryGetSegment(SegmentId id, out SegmentDefinition segment)
    {
        segment = null!;
        return id.Value is not null && _byId.TryGetValue(id.Value, out segment!);
    }

    /// <summary>The playbook of a segment.</summary>
    /// <param name="id">The segment id.</param>
    /// <param name="playbook">Its playbook, when the model has the segment and gives it one.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetPlaybook(SegmentId id, out Playbook playbook)
    {
        playbook = null!;
        if (TryGetSegment(id, out var segment) && segment.Playbook is { } p)
        {
            playbook = p;
            return true;
        }

        return false;
    }

    /// <summary>Finds a lead's segment without building a reason. Allocates nothing.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="score">Its score card, or <see langword="null"/> when not scored (score conditions then do not hold).</param>
    /// <returns>The segment and the index of the definition that matched (-1 for the default).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    /// <exception cref="ArgumentException">The lead carries custom attributes of another schema than the model was loaded with.</exception>
    public SegmentMatch Match(Lead lead, ScoreCard? score)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return MatchCore(lead, score);
    }

    /// <summary>The batch path: finds the segment of many leads into a caller-provided span. Allocates nothing per lead.</summary>
    /// <param name="leads">The leads.</param>
    /// <param name="scores">Their score cards, in the same order; empty when none is scored.</param>
    /// <param name="destination">Receives one match per lead; at least as long as <paramref name="leads"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="scores"/> is neither empty nor as long as <paramref name="leads"/>, <paramref name="destination"/> is too short, or a lead carries attributes of another schema.</exception>
    /// <exception cref="ArgumentNullException">A lead is null.</exception>
    public void Match(ReadOnlySpan<Lead> leads, ReadOnlySpan<ScoreCard?> scores, Span<SegmentMatch> destination)
    {
        if (scores.Length != 0 && scores.Length != leads.Length)
        {
            throw new ArgumentException($"There are {leads.Length} leads but {scores.Length} score cards; pass one per lead or none.", nameof(scores));
        }

        if (destination.Length < leads.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} matches but there are {leads.Length} leads.", nameof(destination));
        }

        for (int i = 0; i < leads.Length; i++)
        {
            var lead = leads[i] ?? throw new ArgumentNullException(nameof(leads), $"Lead {i} is null.");
            destination[i] = MatchCore(lead, scores.Length == 0 ? null : scores[i]);
        }
    }

    /// <inheritdoc />
    public SegmentAssignment Assign(Lead lead, ScoreCard? score)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var match = MatchCore(lead, score);
        _segmented.Add(1, new KeyValuePair<string, object?>("segment", match.Segment.Value), new KeyValuePair<string, object?>("default", match.IsDefault));
        return new SegmentAssignment(lead.Id, match.Segment, Explain(lead, score, match)) { IsDefault = match.IsDefault, Model = Model };
    }

    /// <summary>Explains a lead's segment: the definition that matched and why, and why each earlier definition did not.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="score">Its score card, or <see langword="null"/>.</param>
    /// <returns>The explanation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    public string Explain(Lead lead, ScoreCard? score)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return Explain(lead, score, MatchCore(lead, score));
    }

    private SegmentMatch MatchCore(Lead lead, ScoreCard? score)
    {
        var all = _conditions;
        for (int d = 0; d < all.Length; d++)
        {
            var conditions = all[d];
            bool ok = true;
            for (int c = 0; c < conditions.Length; c++)
            {
                if (!conditions[c].Matches(lead, score))
                {
                    ok = false;
                    break;
                }
            }

            if (ok)
            {
                return new SegmentMatch(Definitions[d].Id, d);
            }
        }

        return new SegmentMatch(Default.Id, -1);
    }

    private string Explain(Lead lead, ScoreCard? score, SegmentMatch match)
    {
        // One builder per thread, taken while in use (a nested call makes its own), so an explanation allocates only its text.
        var text = t_explainText ?? new StringBuilder(256);
        t_explainText = null;
        text.Clear();
        int last = match.IsDefault ? Definitions.Length : match.Definition;
        if (match.IsDefault)
        {
            text.Append(CultureInfo.InvariantCulture, $"No definition matched; default segment '{Default.Id}'.");
        }
        else
        {
            var def = Definitions[match.Definition];
            text.Append(CultureInfo.InvariantCulture, $"Matched '{def.Id}' (definition {match.Definition + 1} of {Definitions.Length}): ");
            var matched = _conditions[match.Definition];
            for (int c = 0; c < matched.Length; c++)
            {
                if (c > 0)
                {
                    text.Append("; ");
                }

                text.Append(matched[c].Explain(lead, score));
            }

            text.Append('.');
        }

        if (last > 0)
        {
            text.Append(match.IsDefault ? " Definitions not matched: " : " Earlier definitions not matched: ");
            for (int d = 0; d < last; d++)
            {
                var failed = FirstFailed(_conditions[d], lead, score);
                text.Append(CultureInfo.InvariantCulture, $"{(d > 0 ? "; " : "")}'{Definitions[d].Id}' ({failed.Explain(lead, score)})");
            }

            text.Append('.');
        }

        string explanation = text.ToString();
        if (text.Capacity <= MaxKeptExplainCapacity)
        {
            t_explainText = text;
        }

        return explanation;
    }

    private static Condition FirstFailed(Condition[] conditions, Lead lead, ScoreCard? score)
    {
        foreach (var c in conditions)
        {
            if (!c.Matches(lead, score))
            {
                return c;
            }
        }

        throw new InvalidOperationException("Sequence contains no matching element");
    }
}
