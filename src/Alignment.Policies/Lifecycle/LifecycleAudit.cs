using System.Collections.Immutable;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Nurture;

namespace Alignment.Policies.Lifecycle;

/// <summary>
/// Checks the "nothing lost" invariant: every lead is always with marketing on a nurture track, with sales (a rep or a queue),
/// in the pipeline, won, lost (closed with reason) or disqualified with reason. A lead with no owner and no track is a defect,
/// reported by lead id (<see cref="LifecycleAuditReport.WithoutOwnerOrTrack"/>), never silently ignored.
/// </summary>
/// <remarks>
/// A lifecycle is stored from its first transition on; a lead the store has never seen is an inquiry. Stages map to custody
/// as follows: Inquiry and Recycled need a nurture enrolment that has not ended; MQL, SAL, SQL and
/// Opportunity need a rep or queue holding an open handoff (<see cref="ILeadOwnerLookup"/>); Won, Lost and Disqualified are closed with the
/// reason of their last transition. Thread-safe (it only reads).
/// </remarks>
public sealed class LifecycleAudit
{
    private readonly ILifecycleStore _lifecycles;
    private readonly INurtureStore _nurture;
    private readonly ILeadOwnerLookup? _owners;

    /// <summary>Creates the audit.</summary>
    /// <param name="lifecycles">Every lead's lifecycle.</param>
    /// <param name="nurture">Nurture enrolments.</param>
    /// <param name="owners">Who in sales holds a lead; <see langword="null"/> when the host routes without Alignment (then every lead in a sales stage is reported as unowned).</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public LifecycleAudit(ILifecycleStore lifecycles, INurtureStore nurture, ILeadOwnerLookup? owners)
    {
        ArgumentNullException.ThrowIfNull(lifecycles);
        ArgumentNullException.ThrowIfNull(nurture);
        _lifecycles = lifecycles;
        _nurture = nurture;
        _owners = owners;
    }

    /// <summary>Finds who holds one lead.</summary>
    /// <param name="lifecycle">The lead's lifecycle.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The custody; <see cref="LeadCustodyKind.None"/> with what is missing when nobody holds it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lifecycle"/> is null.</exception>
    public async ValueTask<LeadCustody> ResolveAsync(LeadLifecycle lifecycle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        var id = lifecycle.LeadId;
        var enrolment = await _nurture.FindLatestAsync(id, cancellationToken).ConfigureAwait(false);
        var onTrack = enrolment is { IsOnTrack: true };
        switch (lifecycle.Stage)
        {
            case LifecycleStage.Inquiry or LifecycleStage.Recycled:
                return onTrack
                    ? new LeadCustody(id, lifecycle.Stage, LeadCustodyKind.MarketingTrack, $"track '{enrolment!.TrackId}' ({enrolment.Status})")
                    : new LeadCustody(id, lifecycle.Stage, LeadCustodyKind.None, enrolment is null ? $"at {lifecycle.Stage} and never enrolled in nurture" : $"at {lifecycle.Stage}, and its last track '{enrolment.TrackId}' ended: {enrolment.StatusReason}");
            case LifecycleStage.MarketingQualified or LifecycleStage.SalesAccepted or LifecycleStage.SalesQualified or LifecycleStage.Opportunity:
                var kind = lifecycle.Stage == LifecycleStage.Opportunity ? LeadCustodyKind.Pipeline : LeadCustodyKind.Sales;
                var owner = _owners is null ? null : await _owners.FindOwnerAsync(id, cancellationToken).ConfigureAwait(false);
                if (owner is null)
                {
                    return new LeadCustody(id, lifecycle.Stage, LeadCustodyKind.None, $"at {lifecycle.Stage} but no rep or queue holds it");
                }

                return new LeadCustody(id, lifecycle.Stage, kind, owner) { HeldTwice = onTrack };
            default:
                var closed = lifecycle.Stage switch
                {
                    LifecycleStage.Won => LeadCustodyKind.Won,
                    LifecycleStage.Lost => LeadCustodyKind.Lost,
                    _ => LeadCustodyKind.Disqualified,
                };
                var reason = lifecycle.History.IsEmpty ? "no reason recorded" : lifecycle.History[^1].Reason;
                return new LeadCustody(id, lifecycle.Stage, closed, reason) { HeldTwice = onTrack };
        }
    }

    /// <summary>
    /// Audits every lead of the lifecycle store and, when given, every lead the CRM holds: a CRM lead the lifecycle store has
    /// never seen was captured but never put on a track or routed, and is reported as without owner or track.
    /// </summary>
    /// <param name="crmLeads">The ids of every lead the CRM holds; <see langword="null"/> to audit the lifecycle store alone.</param>
    /// <param name="cancellationToken">Cancels the audit.</param>
    /// <returns>The counts and every defect.</returns>
    /// <remarks>
    /// The lifecycles are read as a stream while each lead's enrolment and handoff are looked up: on PostgreSQL the stream holds one
    /// pooled connection and every look-up takes another, so run fewer audits at once than the data source's <c>Maximum Pool Size</c>
    /// (an audit is a batch job: one at a time is the intended use).
    /// </remarks>
    public async ValueTask<LifecycleAuditReport> RunAsync(IEnumerable<LeadId>? crmLeads = null, CancellationToken cancellationToken = default)
    {
        var counts = new int[Enum.GetValues<LeadCustodyKind>().Length];
        var without = ImmutableArray.CreateBuilder<LeadCustody>();
        var twice = ImmutableArray.CreateBuilder<LeadCustody>();
        var seen = new HashSet<LeadId>();
        await foreach (var lifecycle in _lifecycles.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            seen.Add(lifecycle.LeadId);
            var custody = await ResolveAsync(lifecycle, cancellationToken).ConfigureAwait(false);
            counts[(int)custody.Kind]++;
            if (custody.Kind == LeadCustodyKind.None)
            {
                without.Add(custody);
            }

            if (custody.HeldTwice)
            {
                twice.Add(custody);
            }
        }

        foreach (var id in crmLeads ?? [])
        {
            if (seen.Add(id))
            {
                var custody = await ResolveByIdAsync(id, cancellationToken).ConfigureAwait(false);
                counts[(int)custody.Kind]++;
                if (custody.Kind == LeadCustodyKind.None)
                {
                    without.Add(custody);
                }
            }
        }

        return new LifecycleAuditReport(seen.Count, [.. counts], without.ToImmutable(), twice.ToImmutable());
    }

    /// <summary>Finds who holds one lead by id.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The custody; a lead the lifecycle store has never seen counts as a new inquiry (held only if it is on a track).</returns>
    public async ValueTask<LeadCustody> ResolveByIdAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        var lifecycle = await _lifecycles.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
        return await ResolveAsync(lifecycle ?? LeadLifecycle.Start(leadId), cancellationToken).ConfigureAwait(false);
    }
}
