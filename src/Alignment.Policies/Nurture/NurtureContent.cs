using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>One piece of collateral a nurture step may send (case study, guide, webinar recording).</summary>
/// <remarks>Immutable. The engine sends only content that is approved, published, not expired and younger than the policy's <see cref="NurturePolicy.ContentMaxAge"/>.</remarks>
/// <param name="id">The collateral's stable id (recorded with every sent step).</param>
/// <param name="topic">The topic steps ask for (for example <c>case-study</c> or <c>webinar-recording</c>).</param>
/// <param name="publishedAt">When it was published; freshness is measured from it.</param>
public sealed class NurtureContent(string id, string topic, DateTimeOffset publishedAt)
{
    /// <summary>The collateral's stable id (recorded with every sent step).</summary>
    public string Id { get; } = id;

    /// <summary>The topic steps ask for (for example <c>case-study</c> or <c>webinar-recording</c>).</summary>
    public string Topic { get; } = topic;

    /// <summary>When it was published; freshness is measured from it.</summary>
    public DateTimeOffset PublishedAt { get; } = publishedAt;

    /// <summary>The segment the collateral is written for; <see langword="null"/> for every segment.</summary>
    public SegmentId? Segment { get; init; }

    /// <summary>The campaign (webinar, event) the collateral belongs to; <see langword="null"/> for evergreen collateral.</summary>
    public string? Campaign { get; init; }

    /// <summary>Whether marketing and sales approved it for use.</summary>
    /// <value>Defaults to <see langword="false"/>: unapproved content is never sent.</value>
    public bool Approved { get; init; }

    /// <summary>When it stops being usable; <see langword="null"/> for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>A title for the explanation and the CRM.</summary>
    public string? Title { get; init; }
}
