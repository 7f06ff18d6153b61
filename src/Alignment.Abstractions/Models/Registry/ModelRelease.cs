using System.Collections.Immutable;

namespace Alignment.Models.Registry;

/// <summary>
/// One release of a model in a <see cref="IModelRegistry"/>: its content (the model's JSON, as both teams reviewed it), the hash of
/// that content, and every approval given to it, valid or void. An approval counts only for the content hash it names, so an edit
/// (the same key published with other content) voids the approvals given before it.
/// </summary>
public sealed record ModelRelease
{
    /// <summary>Creates a release without approvals.</summary>
    /// <param name="key">Which release.</param>
    /// <param name="content">The model's JSON.</param>
    /// <param name="contentHash">
    /// The hash of the content, 64 lower-case hex digits, as the model kind computes it (for a scoring model
    /// <c>ScoringModelJson.ComputeContentHash</c>, the hash every score card of that model carries).
    /// </param>
    /// <exception cref="ArgumentException">The key lacks a tenant, id or version, the content is empty, or the hash is not 64 lower-case hex digits.</exception>
    public ModelRelease(ReleaseKey key, string content, string contentHash)
    {
        key.Validate(nameof(key));
        ArgumentException.ThrowIfNullOrWhiteSpace(content);
        if (!ModelApprovals.IsContentHash(contentHash))
        {
            throw new ArgumentException($"{key}: content hash '{contentHash}' is not 64 lower-case hex digits.", nameof(contentHash));
        }

        Key = key;
        Content = content;
        ContentHash = contentHash;
    }

    /// <summary>Which release.</summary>
    public ReleaseKey Key { get; }

    /// <summary>The model's JSON.</summary>
    public string Content { get; }

    /// <summary>The hash of <see cref="Content"/>: what an approval must name to count.</summary>
    public string ContentHash { get; }

    /// <summary>Every approval recorded, valid or void, in the order given.</summary>
    public ImmutableArray<ModelApproval> Approvals { get; init; } = [];

    /// <summary>
    /// What differs between this release and the model its content loaded to: a loader (<see cref="IModelReleaseLoader{TModel}"/>)
    /// refuses a release whose content is another id, version or content hash than its key and hash say, so the history, the
    /// approvals and every decision name the same model.
    /// </summary>
    /// <param name="id">The loaded model's id.</param>
    /// <param name="version">The loaded model's version.</param>
    /// <param name="contentHash">The loaded model's content hash.</param>
    /// <returns>One problem per difference; empty when they agree.</returns>
    public IReadOnlyList<string> Mismatches(string id, string? version, string contentHash)
    {
        var problems = new List<string>(0);
        if (!string.Equals(id, Key.Id, StringComparison.Ordinal) || !string.Equals(version ?? string.Empty, Key.Version, StringComparison.Ordinal))
        {
            problems.Add($"the content is {id}@{version}, but the release is {Key.Id}@{Key.Version}");
        }

        if (!string.Equals(contentHash, ContentHash, StringComparison.Ordinal))
        {
            problems.Add($"the content loads to hash {ModelApprovals.Short(contentHash)}, but the release names {ModelApprovals.Short(ContentHash)}");
        }

        return problems;
    }

    /// <summary>Why the release cannot be activated (<see cref="ModelApprovals.GetProblems"/>); empty when it can.</summary>
    public ImmutableArray<string> ActivationProblems => ModelApprovals.GetProblems(ContentHash, Approvals);
}
