using System.Diagnostics;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alignment.Hosting;

/// <summary>
/// Notices, at the exact instant, when a lead's score crosses a qualification threshold with time alone, without re-scoring
/// every lead every day: <see cref="WatchAsync"/> computes a lead's next crossing and keeps it in the
/// <see cref="IScoreWatchStore"/>; <see cref="ProcessDueAsync"/> (run by the decay worker when the earliest crossing is due)
/// publishes each crossing as <see cref="AlignmentDecision.ScoreCrossed"/>, puts a lead with marketing that dropped below the
/// MQL threshold back on nurture (<see cref="NurtureEntryReason.DroppedBelowThreshold"/>), lets a nurtured lead that rose to MQL
/// leave its track for sales, and watches the lead's next crossing.
/// </summary>
/// <remarks>
/// Thread-safe. Call <see cref="WatchAsync"/> whenever a lead's activities or attributes change (a new activity restarts the
/// count). Delivery is at least once: a crash after a crossing was published and before the watch moved on publishes it again
/// (the decision's lead and <see cref="AlignmentDecision.ScoreCrossed.CrossedAt"/> identify it). A lead whose data cannot be
/// read or scored (the exception is logged, event 3009) does not hold up the others: it is tried again five minutes later, and a
/// crossing found then is reported at that retry, because the watch no longer holds the computed instant.
/// </remarks>
public sealed class ScoreDecayWatcher
{
    /// <summary>The most crossings one pass replays for a lead whose wake-up came late.</summary>
    private const int MaxCatchUp = 64;

    /// <summary>When a lead's watch fails (its data cannot be read or scored), when to try again.</summary>
    internal static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(5);

    private readonly ScoreDecayWatcherServices _s;
    private readonly ILogger _logger;

    /// <summary>Creates the watcher.</summary>
    /// <param name="services">What it works with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or one of its required members is null (named as services.X).</exception>
    public ScoreDecayWatcher(ScoreDecayWatcherServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(services.Store, "services.Store");
        ArgumentNullException.ThrowIfNull(services.Scorer, "services.Scorer");
        ArgumentNullException.ThrowIfNull(services.Crossings, "services.Crossings");
        ArgumentNullException.ThrowIfNull(services.Leads, "services.Leads");
        ArgumentNullException.ThrowIfNull(services.Decisions, "services.Decisions");
        ArgumentNullException.ThrowIfNull(services.TimeProvider, "services.TimeProvider");
        _s = services;
        _logger = (services.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ScoreDecayWatcher>();
    }

    /// <summary>Raised after <see cref="WatchAsync"/> set a watch, so the decay worker in this process wakes up for it.</summary>
    public event Action? Watched;

    /// <summary>
    /// Computes when the lead's qualification state next changes with time alone and watches it (replacing its watch); a lead whose
    /// state never changes with time, or that is not found, is not watched.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The watch in force, or <see langword="null"/> when the lead is not watched.</returns>
    /// <exception cref="NotSupportedException">The scoring model cannot compute crossings (plugin rules).</exception>
    public async ValueTask<ScoreWatch?> WatchAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        var snapshot = await _s.Leads.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            await _s.Store.SetAsync(leadId, QualificationState.NotQualified, null, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var now = _s.TimeProvider.GetUtcNow();
        var acts = snapshot.Activities.AsSpan();
        var state = _s.Scorer.Score(snapshot.Lead, acts, now).State;
        var next = _s.Crossings.NextCrossing(snapshot.Lead, acts, now);
        var watch = await _s.Store.SetAsync(leadId, state, next?.At, cancellationToken).ConfigureAwait(false);
        if (watch is not null)
        {
            Watched?.Invoke();
        }

        return watch;
    }

    /// <summary>Handles the watches due now, earliest first: publishes their crossings, acts on them and watches what comes next.</summary>
    /// <param name="maxCount">The most watches to handle.</param>
    /// <param name="cancellationToken">Cancels the call; watches not handled stay due.</param>
    /// <returns>The number of watches handled (a full batch means more may be due).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is not positive.</exception>
    public async ValueTask<int> ProcessDueAsync(int maxCount = 500, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        using var activity = AlignmentDiagnostics.ActivitySource.StartActivity("alignment.decay.run");
        var now = _s.TimeProvider.GetUtcNow();
        var due = await _s.Store.GetDueAsync(now, maxCount, cancellationToken).ConfigureAwait(false);
        foreach (var watch in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await HandleAsync(watch, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One lead's bad data must not stall the others: try it again later, keeping its state.
                var retry = now + RetryAfterFailure;
                HostingLog.DecayLeadFailed(_logger, e, watch.LeadId.Value, retry);
                await _s.Store.TryUpdateAsync(watch, watch.State, retry, cancellationToken).ConfigureAwait(false);
            }
        }

        activity?.SetTag("alignment.decay.handled", due.Count);
        return due.Count;
    }

    private async ValueTask HandleAsync(ScoreWatch watch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var snapshot = await _s.Leads.FindAsync(watch.LeadId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            HostingLog.WatchRemoved(_logger, watch.LeadId.Value, "the lead is no longer found");
            await _s.Store.TryUpdateAsync(watch, watch.State, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var lead = snapshot.Lead;
        var acts = snapshot.Activities;

        // The crossings from the watched instant up to now, in order (usually one; more when the wake-up came late).
        var crossings = new List<AlignmentDecision.ScoreCrossed>();
        var state = watch.State;
        var at = watch.WakeAt;
        var card = _s.Scorer.Score(lead, acts.AsSpan(), at);
        if (card.State != state)
        {
            crossings.Add(new AlignmentDecision.ScoreCrossed(lead.Id, new ThresholdCrossing(state, card.State), card.Total, at));
            state = card.State;
        }

        while (crossings.Count < MaxCatchUp && at < now && _s.Crossings.NextCrossing(lead, acts.AsSpan(), at, now) is { } c)
        {
            crossings.Add(new AlignmentDecision.ScoreCrossed(lead.Id, c.Crossing, c.Score, c.At));
            state = c.Crossing.To;
            at = c.At;
        }

        var next = _s.Crossings.NextCrossing(lead, acts.AsSpan(), crossings.Count == MaxCatchUp ? at : (at > now ? at : now));
        foreach (var crossed in crossings)
        {
            HostingLog.ScoreCrossed(_logger, lead.Id.Value, crossed.Crossing.From.ToString(), crossed.Crossing.To.ToString(), crossed.CrossedAt, crossed.Score);
            await _s.Decisions.PublishAsync(crossed, cancellationToken).ConfigureAwait(false);
        }

        if (crossings.Count > 0)
        {
            await ActAsync(lead, watch.State, state, cancellationToken).ConfigureAwait(false);
        }

        // Moves on only from the version read: a watch the host set meanwhile (new activity) wins.
        await _s.Store.TryUpdateAsync(watch, state, next?.At, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ActAsync(Lead lead, QualificationState before, QualificationState after, CancellationToken cancellationToken)
    {
        if (before >= QualificationState.MarketingQualified && after == QualificationState.NotQualified && _s.Nurture is { } nurture)
        {
            var stage = _s.Lifecycle is { } lifecycle ? (await lifecycle.FindAsync(lead.Id, cancellationToken).ConfigureAwait(false))?.Stage : null;
            if (stage is null or LifecycleStage.Inquiry or LifecycleStage.MarketingQualified)
            {
                await nurture.EnrolAsync(lead, NurtureEntryReason.DroppedBelowThreshold, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                HostingLog.NotReenrolled(_logger, lead.Id.Value, stage.Value.ToString());
            }
        }
        else if (before == QualificationState.NotQualified && after >= QualificationState.MarketingQualified && _s.NurtureEngine is { } engine)
        {
            await engine.ReevaluateAsync(lead.Id, cancellationToken).ConfigureAwait(false);
        }
    }
}
