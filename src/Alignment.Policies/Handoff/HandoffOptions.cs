using Alignment.Models;

namespace Alignment.Policies.Handoff;

/// <summary>Configures handoff routing under dependency injection (<c>AddHandoff</c>).</summary>
public sealed class HandoffOptions
{
    /// <summary>The routing policy document (JSON, see docs/handoff.md). Required.</summary>
    public string? PolicyJson { get; set; }

    /// <summary>The roster document (JSON): the reps, their teams, caps, hours and accounts. Required.</summary>
    public string? RosterJson { get; set; }

    /// <summary>
    /// The bounds on the routing policy and the roster JSON (size, nesting, objects, array and string lengths), enforced while it is read: a document over one
    /// stops the host with the JSON path and the limit. Set them for policies your users upload; the defaults suit any policy written by people.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: the defaults of <see cref="ModelReadLimits"/>.</value>
    public ModelReadLimits? Limits { get; set; }

    /// <summary>Rejection reasons that send a lead back to marketing (recycled) instead of closing it.</summary>
    /// <value>Defaults to <see cref="RejectionReason.Timing"/> and <see cref="RejectionReason.NotNow"/>.</value>
    public ISet<RejectionReason> RecycleReasons { get; } = new HashSet<RejectionReason> { RejectionReason.Timing, RejectionReason.NotNow };

    /// <summary>How far ahead <see cref="HandoffRouter.GetSlaReportAsync"/> looks for upcoming deadlines by default.</summary>
    /// <value>Defaults to 30 minutes.</value>
    public TimeSpan UpcomingSlaWindow { get; set; } = TimeSpan.FromMinutes(30);
}
