namespace Alignment.Models;

/// <summary>
/// One sign-off of a model release: who approved, for which side, when, and the exact content they approved (its content hash,
/// for a scoring model <c>ScoringModelJson.ComputeContentHash</c>). An approval counts only while the model still has that hash.
/// </summary>
/// <param name="ApprovedBy">Who approved (a name or an e-mail address, as the host identifies people).</param>
/// <param name="Side">The side the approver speaks for.</param>
/// <param name="ApprovedAt">When they approved.</param>
/// <param name="ContentHash">The content hash of the model they approved (64 lower-case hex digits).</param>
public sealed record ModelApproval(string ApprovedBy, ApprovalSide Side, DateTimeOffset ApprovedAt, string ContentHash)
{
    /// <summary>An optional remark of the approver.</summary>
    public string? Comment { get; init; }
}
