using System.Diagnostics.CodeAnalysis;
using Alignment.Models;
using Alignment.Models.Registry;
using System.Collections.Immutable;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Governance;

/// <summary>
/// A scoring model with its sign-offs: the definition plus the approvals given to it. The approvals live beside the model, not in it,
/// so the model's content hash (<see cref="ContentHash"/>) never depends on who approved it. An approval counts only for the content
/// hash it names: any edit to the model changes the hash and voids every earlier approval. Read and write releases with
/// <see cref="ScoringModelReleaseJson"/>.
/// </summary>
/// <remarks>
/// A release is <see cref="IsPublishable">publishable</see> when its current content has at least one approval from
/// <see cref="ApprovalSide.Marketing"/> and one from <see cref="ApprovalSide.Sales"/>, given by two different people.
/// Immutable and thread-safe: <see cref="Approve"/> and <see cref="Edit"/> return new releases.
/// </remarks>
public sealed class ScoringModelRelease
{
    /// <summary>Creates a release from a definition and the approvals recorded for it (valid or void).</summary>
    /// <param name="definition">The model.</param>
    /// <param name="approvals">The approvals, in the order they were given; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    /// <exception cref="ArgumentException">An approval is null, names nobody, has an undefined side, or a content hash that is not 64 hex digits.</exception>
    public ScoringModelRelease(ScoringModelDefinition definition, IEnumerable<ModelApproval>? approvals = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        ContentHash = ScoringModelJson.ComputeContentHash(definition);
        Approvals = [.. approvals ?? []];
        for (int i = 0; i < Approvals.Length; i++)
        {
            Check(Approvals[i], i, nameof(approvals));
        }
    }

    /// <summary>The model.</summary>
    public ScoringModelDefinition Definition { get; }

    /// <summary>The model's id.</summary>
    public string Id => Definition.Id;

    /// <summary>The model's semantic version.</summary>
    public string Version => Definition.Version;

    /// <summary>The content hash of <see cref="Definition"/>: what an approval must name to count.</summary>
    public string ContentHash { get; }

    /// <summary>Every approval recorded, valid or void, in the order given.</summary>
    public ImmutableArray<ModelApproval> Approvals { get; }

    /// <summary>The approvals of the current content (their hash is <see cref="ContentHash"/>).</summary>
    public ImmutableArray<ModelApproval> ValidApprovals => [.. Approvals.Where(a => a.ContentHash == ContentHash)];

    /// <summary>The approvals voided by an edit (their hash is not <see cref="ContentHash"/>); kept as history.</summary>
    public ImmutableArray<ModelApproval> VoidApprovals => [.. Approvals.Where(a => a.ContentHash != ContentHash)];

    /// <summary>Whether both sides signed off the current content, by two different people.</summary>
    public bool IsPublishable => GetPublishProblems().IsEmpty;

    /// <summary>Tells whether a side has approved the current content.</summary>
    /// <param name="side">The side.</param>
    /// <returns><see langword="true"/> when at least one valid approval is from <paramref name="side"/>.</returns>
    public bool IsApprovedBy(ApprovalSide side) => Approvals.Any(a => a.Side == side && a.ContentHash == ContentHash);

    /// <summary>Lists why the release cannot be published; empty when it can.</summary>
    /// <returns>Each missing sign-off, in the order marketing, sales, with the approvals an edit voided.</returns>
    public ImmutableArray<string> GetPublishProblems() => ModelApprovals.GetProblems(ContentHash, Approvals);

    /// <summary>Throws unless the release is publishable.</summary>
    /// <exception cref="ModelNotPublishableException">A side has not approved the current content; lists every problem.</exception>
    public void EnsurePublishable()
    {
        var problems = GetPublishProblems();
        if (!problems.IsEmpty)
        {
            throw new ModelNotPublishableException($"Scoring model {Id}@{Version}", problems);
        }
    }

    /// <summary>Records an approval of the current content.</summary>
    /// <param name="approvedBy">Who approves.</param>
    /// <param name="side">The side they speak for.</param>
    /// <param name="timeProvider">The clock that dates the approval.</param>
    /// <param name="comment">An optional remark.</param>
    /// <returns>A new release with the approval added; this release when the same person already approved this content for this side.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="approvedBy"/> is empty or holds a control character, or <paramref name="side"/> is not defined.</exception>
    /// <exception cref="InvalidOperationException">The same person already approved this content for the other side.</exception>
    public ScoringModelRelease Approve(string approvedBy, ApprovalSide side, TimeProvider timeProvider, string? comment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(approvedBy);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (ScoringNames.DescribeRefusedCharacter(approvedBy, "The approver's name") is { } problem)
        {
            throw new ArgumentException(problem + ".", nameof(approvedBy));
        }

        if (!Enum.IsDefined(side))
        {
            throw new ArgumentException($"Approval side {(int)side} is not defined.", nameof(side));
        }

        foreach (var a in ValidApprovals)
        {
            if (string.Equals(a.ApprovedBy, approvedBy, StringComparison.OrdinalIgnoreCase))
            {
                if (a.Side == side)
                {
                    return this;
                }

                throw new InvalidOperationException($"{approvedBy} already approved content {Short(ContentHash)} of {Id}@{Version} for {SideName(a.Side)}; the {SideName(side)} approval must come from someone else.");
            }
        }

        var approval = new ModelApproval(approvedBy, side, timeProvider.GetUtcNow(), ContentHash) { Comment = comment };
        return new ScoringModelRelease(Definition, Approvals.Add(approval));
    }

    /// <summary>Replaces the model with an edited one, keeping the approval history; approvals of other content no longer count.</summary>
    /// <param name="edited">The edited model.</param>
    /// <returns>A new release; publishable again only once both sides approve the edited content.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="edited"/> is null.</exception>
    public ScoringModelRelease Edit(ScoringModelDefinition edited) => new(edited, Approvals);

    /// <summary>
    /// The release as a <see cref="IModelRegistry"/> keeps it for <paramref name="tenant"/>: the model's JSON and this content hash,
    /// without the approvals (a registry takes approvals one by one, with <see cref="IModelRegistry.ApproveAsync"/>).
    /// </summary>
    /// <param name="tenant">The tenant or business unit the release is for.</param>
    /// <returns>The registry release.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public ModelRelease ToModelRelease(string tenant) =>
        new(new ReleaseKey(tenant, ModelKind.Scoring, Id, Version), ScoringModelJson.Write(Definition, indented: true), ContentHash);

    /// <summary>Compiles the model.</summary>
    /// <param name="options">The attribute schema and plugin rules; <see langword="null"/> for none.</param>
    /// <returns>The compiled model; its <see cref="ScoringModel.ContentHash"/> equals <see cref="ContentHash"/>.</returns>
    /// <exception cref="ModelException">The model does not compile against the options.</exception>
    public ScoringModel Compile(ScoringModelOptions? options = null) => ScoringModel.Compile(Definition, options);

    /// <summary>Reads a release file (or a plain model file, as a release without approvals) and checks it.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="options">The document name and read limits; <see langword="null"/> for the defaults.</param>
    /// <returns>The release.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ModelException">The file is over a limit, or the JSON, the model or an approval is invalid; lists every problem with its JSON path.</exception>
    public static ScoringModelRelease Load(string json, ModelLoadOptions? options = null) =>
        ScoringModelReleaseJson.Parse(json, options?.Document ?? "release", options?.Limits);

    /// <summary>Reads a release file and returns every problem instead of throwing: the twin of <see cref="Load"/>.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="options">The document name and read limits; <see langword="null"/> for the defaults.</param>
    /// <param name="release">The release, or <see langword="null"/> when the file is invalid.</param>
    /// <param name="errors">Every problem with its JSON path, or empty.</param>
    /// <returns><see langword="true"/> when the file is a valid release.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    public static bool TryLoad(string json, ModelLoadOptions? options, [NotNullWhen(true)] out ScoringModelRelease? release, out ImmutableArray<ModelError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            release = Load(json, options);
            errors = [];
            return true;
        }
        catch (ModelException ex)
        {
            release = null;
            errors = ex.Errors;
            return false;
        }
    }

    /// <summary>Writes the release as a release file: the model with its approvals.</summary>
    /// <param name="indented">Whether to indent the JSON.</param>
    /// <returns>The file's text, which <see cref="Load"/> reads back to an equal release.</returns>
    public string ToJson(bool indented = true) => ScoringModelReleaseJson.Write(this, indented);

    /// <summary>Describes the release: id, version, short hash and sign-off state.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() =>
        $"{Id}@{Version} ({Short(ContentHash)}, {(IsPublishable ? "publishable" : "not publishable")}, {ValidApprovals.Length} valid approval(s))";

    internal static string SideName(ApprovalSide side) => side == ApprovalSide.Sales ? "sales" : "marketing";

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    private static void Check(ModelApproval? a, int index, string paramName)
    {
        if (a is null)
        {
            throw new ArgumentException($"Approval {index} is null.", paramName);
        }

        if (string.IsNullOrWhiteSpace(a.ApprovedBy))
        {
            throw new ArgumentException($"Approval {index} names nobody (approvedBy is empty).", paramName);
        }

        if (ScoringNames.DescribeRefusedCharacter(a.ApprovedBy, $"Approval {index}: the approver's name") is { } problem)
        {
            throw new ArgumentException(problem + ".", paramName);
        }

        if (!Enum.IsDefined(a.Side))
        {
            throw new ArgumentException($"Approval {index} has an undefined side {(int)a.Side}.", paramName);
        }

        if (!ModelApprovals.IsContentHash(a.ContentHash))
        {
            throw new ArgumentException($"Approval {index} (by {a.ApprovedBy}) has content hash '{a.ContentHash}'; expected 64 lower-case hex digits.", paramName);
        }
    }
}
