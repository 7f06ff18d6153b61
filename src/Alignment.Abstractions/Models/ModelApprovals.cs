using System.Collections.Immutable;

namespace Alignment.Models;

/// <summary>
/// The sign-off rule both teams agreed on, for every kind of model: a release may be published or activated only when its current
/// content (its content hash) carries an approval from <see cref="ApprovalSide.Marketing"/> and one from
/// <see cref="ApprovalSide.Sales"/>, given by two different people. An approval of other content (before an edit) does not count.
/// </summary>
public static class ModelApprovals
{
    /// <summary>Lists why content with <paramref name="contentHash"/> cannot be published under <paramref name="approvals"/>; empty when it can.</summary>
    /// <param name="contentHash">The content hash of the release as it is now.</param>
    /// <param name="approvals">Every approval recorded for the release, valid or void.</param>
    /// <returns>Each missing sign-off, marketing first, naming approvals an edit voided; or that both approvals are by one person.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ImmutableArray<string> GetProblems(string contentHash, IEnumerable<ModelApproval> approvals)
    {
        ArgumentNullException.ThrowIfNull(contentHash);
        ArgumentNullException.ThrowIfNull(approvals);
        var all = approvals as IReadOnlyCollection<ModelApproval> ?? [.. approvals];
        var valid = all.Where(a => a.ContentHash == contentHash).ToList();
        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (var side in (ReadOnlySpan<ApprovalSide>)[ApprovalSide.Marketing, ApprovalSide.Sales])
        {
            if (valid.Any(a => a.Side == side))
            {
                continue;
            }

            var voided = all.Where(a => a.Side == side && a.ContentHash != contentHash).Select(a => a.ApprovedBy).Distinct(StringComparer.Ordinal).ToList();
            problems.Add(voided.Count == 0
                ? $"no {SideName(side)} approval of content {Short(contentHash)}"
                : $"no {SideName(side)} approval of content {Short(contentHash)} (the approval by {string.Join(", ", voided)} was for earlier content and is void)");
        }

        if (problems.Count == 0)
        {
            bool twoPeople = valid.Where(m => m.Side == ApprovalSide.Marketing)
                .Any(m => valid.Any(s => s.Side == ApprovalSide.Sales && !string.Equals(s.ApprovedBy, m.ApprovedBy, StringComparison.OrdinalIgnoreCase)));
            if (!twoPeople)
            {
                problems.Add($"the marketing and sales approvals of content {Short(contentHash)} are by the same person; each side needs its own approver");
            }
        }

        return problems.ToImmutable();
    }

    /// <summary>
    /// Checks that an approval can count: it names somebody in one spelling (not empty; no control, format or separator character
    /// such as a zero-width or no-break space; no leading, trailing or doubled space; Unicode normalization form KC), so that one
    /// person cannot pass for two, a defined side, and a content hash of the right form.
    /// </summary>
    /// <param name="approval">The approval.</param>
    /// <param name="paramName">The parameter the caller names in the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="approval"/> is null.</exception>
    /// <exception cref="ArgumentException">The approval names nobody, holds a refused character, has an undefined side or a malformed hash.</exception>
    public static void Validate(ModelApproval approval, string paramName)
    {
        ArgumentNullException.ThrowIfNull(approval, paramName);
        if (string.IsNullOrWhiteSpace(approval.ApprovedBy))
        {
            throw new ArgumentException("The approval names nobody (approvedBy is empty).", paramName);
        }

        foreach (char c in approval.ApprovedBy)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator
                || (category == System.Globalization.UnicodeCategory.SpaceSeparator && c != ' '))
            {
                throw new ArgumentException($"The approver's name holds the character U+{(int)c:X4} ({category}); names are plain text.", paramName);
            }
        }

        // One spelling per person: "sam", "sam " and a decomposed or compatibility form of the same name must not count as two.
        string name = approval.ApprovedBy;
        if (name != name.Trim() || name.Contains("  ", StringComparison.Ordinal) || !name.IsNormalized(System.Text.NormalizationForm.FormKC))
        {
            throw new ArgumentException($"The approver's name '{name}' has leading, trailing or doubled spaces, or is not in Unicode normalization form KC; give the name as the host identifies the person.", paramName);
        }

        if (!Enum.IsDefined(approval.Side))
        {
            throw new ArgumentException($"Approval side {(int)approval.Side} is not defined.", paramName);
        }

        if (!IsContentHash(approval.ContentHash))
        {
            throw new ArgumentException($"The approval by {approval.ApprovedBy} has content hash '{approval.ContentHash}'; expected 64 lower-case hex digits.", paramName);
        }
    }

    /// <summary>Whether <paramref name="hash"/> has the form of a content hash: 64 lower-case hex digits (SHA-256).</summary>
    /// <param name="hash">The text.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool IsContentHash(string? hash) => hash is { Length: 64 } && hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    internal static string SideName(ApprovalSide side) => side == ApprovalSide.Sales ? "sales" : "marketing";

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
