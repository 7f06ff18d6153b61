using System.Globalization;

namespace Alignment.Segmentation.Collateral;

/// <summary>What changed in a tenant's sales content.</summary>
public enum ContentChangeKind
{
    /// <summary>A rep suggested new material or a change to an item.</summary>
    Suggested = 0,

    /// <summary>Marketing turned a suggestion into a draft (a new item or a revision, pending approval).</summary>
    Drafted = 1,

    /// <summary>An item was added (revision 1), pending approval.</summary>
    Created = 2,

    /// <summary>An item was revised: a new revision, pending approval.</summary>
    Revised = 3,

    /// <summary>A sales reviewer approved an item's revision.</summary>
    Approved = 4,

    /// <summary>A sales reviewer sent an item's revision back, with a reason.</summary>
    SentBack = 5,

    /// <summary>An item was re-reviewed and found still right: its expiry moved out.</summary>
    Reviewed = 6,

    /// <summary>An item was retired for good.</summary>
    Retired = 7,

    /// <summary>An item's expiry passed without a new review: it is no longer offered.</summary>
    Expired = 8,
}

/// <summary>
/// One state change of a tenant's sales content (a suggestion, or an item's history entry), as published in an
/// <see cref="Decisions.AlignmentDecision.ContentChanged"/> decision. <see cref="Key"/> identifies it: the same change has the same key
/// wherever and however often it is published, so a sink can deduplicate on it.
/// </summary>
/// <param name="Tenant">The tenant whose content changed.</param>
/// <param name="Kind">What changed.</param>
/// <param name="At">When (an item's history entry's instant; a suggestion's time of suggesting or drafting).</param>
public sealed record ContentChange(string Tenant, ContentChangeKind Kind, DateTimeOffset At)
{
    /// <summary>The item; <see langword="null"/> for a suggestion of new material.</summary>
    public string? ItemId { get; init; }

    /// <summary>The item's revision the change happened to; 0 when there is no item yet.</summary>
    public int Revision { get; init; }

    /// <summary>The suggestion (for <see cref="ContentChangeKind.Suggested"/> and <see cref="ContentChangeKind.Drafted"/>).</summary>
    public string? SuggestionId { get; init; }

    /// <summary>Who: the rep who suggested, the owner who drafted or revised, the reviewer, the person who retired it; when known.</summary>
    public string? By { get; init; }

    /// <summary>Why: the reason an item was sent back or retired, a suggestion's text; when given.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// The change's identity: <c>content-{kind}:{tenant}/{item}:{revision}:{UTC ticks}</c> for an item's history entry and
    /// <c>content-{kind}:{tenant}/suggestion/{id}</c> for a suggestion (suggested once, drafted once). <c>%</c>, <c>/</c> and
    /// <c>:</c> in the tenant and ids are escaped, so two changes never share a key.
    /// </summary>
    public string Key => SuggestionId is { } s && Kind is ContentChangeKind.Suggested or ContentChangeKind.Drafted
        ? $"content-{KindName(Kind)}:{Escape(Tenant)}/suggestion/{Escape(s)}"
        : string.Create(CultureInfo.InvariantCulture, $"content-{KindName(Kind)}:{Escape(Tenant)}/{Escape(ItemId ?? string.Empty)}:{Revision}:{At.UtcTicks}");

    /// <summary>The change an item's history entry records.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="itemId">The item.</param>
    /// <param name="entry">The history entry.</param>
    /// <returns>The change.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> or <paramref name="itemId"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    public static ContentChange Of(string tenant, string itemId, CollateralHistoryEntry entry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(itemId);
        ArgumentNullException.ThrowIfNull(entry);
        var kind = entry.Kind switch
        {
            CollateralEventKind.Created => ContentChangeKind.Created,
            CollateralEventKind.Revised => ContentChangeKind.Revised,
            CollateralEventKind.Approved => ContentChangeKind.Approved,
            CollateralEventKind.SentBack => ContentChangeKind.SentBack,
            CollateralEventKind.Reviewed => ContentChangeKind.Reviewed,
            CollateralEventKind.Retired => ContentChangeKind.Retired,
            CollateralEventKind.Expired => ContentChangeKind.Expired,
            _ => throw new ArgumentException($"Collateral item '{itemId}' has a history entry of unknown kind {(int)entry.Kind}.", nameof(entry)),
        };
        return new ContentChange(tenant, kind, entry.At) { ItemId = itemId, Revision = entry.Revision, By = entry.By, Reason = entry.Reason };
    }

    /// <summary>The kind's name in keys and JSON: <c>suggested</c>, <c>drafted</c>, <c>created</c>, <c>revised</c>, <c>approved</c>, <c>sent-back</c>, <c>reviewed</c>, <c>retired</c>, <c>expired</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind.</exception>
    public static string KindName(ContentChangeKind kind) => kind switch
    {
        ContentChangeKind.Suggested => "suggested",
        ContentChangeKind.Drafted => "drafted",
        ContentChangeKind.Created => "created",
        ContentChangeKind.Revised => "revised",
        ContentChangeKind.Approved => "approved",
        ContentChangeKind.SentBack => "sent-back",
        ContentChangeKind.Reviewed => "reviewed",
        ContentChangeKind.Retired => "retired",
        ContentChangeKind.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a content change kind."),
    };

    /// <summary>The kind named <paramref name="name"/> (<see cref="KindName"/>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="kind">The kind.</param>
    /// <returns>Whether the name is a kind's.</returns>
    public static bool TryParseKind(string? name, out ContentChangeKind kind)
    {
        foreach (var k in Enum.GetValues<ContentChangeKind>())
        {
            if (string.Equals(KindName(k), name, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    private static string Escape(string part) =>
        part.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal).Replace(":", "%3A", StringComparison.Ordinal);
}
