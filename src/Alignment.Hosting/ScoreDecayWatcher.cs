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
/// <see cref="IScoreWatchStore"/>; <see cref="ProcessDueAsync"/> (run by the decay worker when the earliest watch is due)
/// moves the watch past each crossing and publishes it as <see cref="AlignmentDecision.ScoreCrossed"/>, then puts a lead with
/// marketing that dropped below the MQL threshold back on nurture (<see cref="NurtureEntryReason.DroppedBelowThreshold"/>) or
/// lets a nurtured lead that rose to MQL leave its track for sales.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Call <see cref="WatchAsync"/> whenever a lead's activities or attributes change (a new activity restarts the
/// count); a crossing that fell due before the call and that the worker has not handled yet is published first, so none is lost.
/// </para>
/// <para>
/// Each crossing is published once: the watch is moved past it (only at the version read, so of two writers that read the same
/// watch one wins) before anything else happens. A store that <see cref="IScoreWatchStore.RecordsDecisions">records
/// decisions</see> writes the crossings into the outbox with that move, and a relay delivers them at least once with their key;
/// otherwise the watcher publishes them after the move, and a crash in between loses them, as for the engines' other decisions
/// without an outbox. The action a crossing calls for is kept in the watch (<see cref="ScoreWatch.OwedFrom"/>) until it is done,
/// with its own retry time: when the lifecycle read, the re-enrolment or the re-evaluation fails (or the process dies), only
/// the action is tried again five minutes later, never the crossing. A lead whose data cannot be read or scored (the exception is
/// logged, event 3009) does not hold up the others: it is tried again five minutes later, and its crossings are still reported
/// at their own instants.
/// </para>
/// </remarks>
public sealed class ScoreDecayWatcher
{
    /// <summary>The most crossings one pass replays for a lead whose wake-up came late.</summary>
    private const int MaxCatchUp = 64;

    /// <summary>The most times <see cref="WatchAsync"/> reads a watch again that changed under it before it gives up.</summary>
    private const int MaxAttempts = 16;

    /// <summary>When a lead's watch or its action fails (its data cannot be read or scored, the action throws), when to try again.</summary>
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
    /// Computes when the lead's qualification state next changes with time alone and watches it. A crossing of the lead's watch
    /// that is already due is published first (with the action it calls for left to the decay worker, due at once); an action
    /// still owed is kept. A lead whose state never changes with time and that is owed no action, or that is not found, is not watched.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The watch in force, or <see langword="null"/> when the lead is not watched.</returns>
    /// <exception cref="NotSupportedException">The scoring model cannot compute crossings (plugin rules).</exception>
    /// <exception cref="InvalidOperationException">The lead's watch kept changing under the call (another writer moved it 16 times in a row).</exception>
    public async ValueTask<ScoreWatch?> WatchAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _s.Store.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
            var snapshot = await _s.Leads.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
            var now = _s.TimeProvider.GetUtcNow();
            if (snapshot is null)
            {
                if (current is null || await _s.Store.TryUpdateAsync(current, new ScoreWatchUpdate(current.State, null), cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                continue;
            }

            if (current is { CrossingAt: { } due } && due <= now)
            {
                // A lagging worker has not handled it yet: publish it (and what follows up to now) before the watch is replaced.
                var retry = current is { OwedFrom: not null, RetryAt: { } owedRetry } ? owedRetry : now;
                await MoveAsync(current, snapshot, now, retry, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var (state, next) = Watch(snapshot, now);
            if (current is null)
            {
                var set = await _s.Store.SetAsync(leadId, state, next, cancellationToken).ConfigureAwait(false);
                if (set is not null)
                {
                    Watched?.Invoke();
                }

                return set;
            }

            var owedFrom = Owed(current.OwedFrom, state);
            var update = new ScoreWatchUpdate(state, next) { OwedFrom = owedFrom, RetryAt = owedFrom is null ? null : current.RetryAt ?? now };
            if (await _s.Store.TryUpdateAsync(current, update, cancellationToken).ConfigureAwait(false))
            {
                var watch = await _s.Store.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
                if (watch is not null)
                {
                    Watched?.Invoke();
                }

                return watch;
            }
        }

        throw new InvalidOperationException($"The score watch of lead '{leadId.Value}' changed under WatchAsync {MaxAttempts} times in a row; call it again.");
    }

    /// <summary>
    /// Handles the watches due now, earliest first: moves each past its crossings (recording or publishing them), does the action
    /// they call for and clears it, and watches what comes next.
    /// </summary>
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
                // One lead's bad data must not stall the others. Failed before the move: try it again later, keeping its state and
                // crossing instant. Failed after it (the publish or the action): this changes nothing (the version moved on), the
                // owed action already waits for its retry time, and no crossing is published again.
                var retry = now + RetryAfterFailure;
                HostingLog.DecayLeadFailed(_logger, e, watch.LeadId.Value, retry);
                await _s.Store.TryUpdateAsync(watch, ScoreWatchUpdate.Keep(watch) with { RetryAt = retry }, cancellationToken).ConfigureAwait(false);
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
            await _s.Store.TryUpdateAsync(watch, new ScoreWatchUpdate(watch.State, null), cancellationToken).ConfigureAwait(false);
            return;
        }

        // The move comes first, with the action it leaves owed due again in five minutes: if the action fails or the process
        // dies, only the action is retried. A watch the host set meanwhile (new activity) wins; it published the crossings.
        var moved = await MoveAsync(watch, snapshot, now, now + RetryAfterFailure, cancellationToken).ConfigureAwait(false);
        if (moved?.OwedFrom is not { } from)
        {
            return;
        }

        await ActAsync(snapshot.Lead, from, moved.State, cancellationToken).ConfigureAwait(false);

        // Done: clear the owed action, unless the watch changed meanwhile so that another action is owed (then it is retried).
        if (await _s.Store.FindAsync(watch.LeadId, cancellationToken).ConfigureAwait(false) is { } after && after.OwedFrom == from && after.State == moved.State)
        {
            await _s.Store.TryUpdateAsync(after, ScoreWatchUpdate.Keep(after) with { OwedFrom = null, RetryAt = null }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves a watch past its crossings due at <paramref name="now"/>, recording them with the move (or publishing them after it),
    /// with the action still owed and <paramref name="retryAt"/> as its retry time.
    /// </summary>
    /// <returns>What the watch became, or <see langword="null"/> when another writer changed it first (nothing published).</returns>
    private async ValueTask<ScoreWatchUpdate?> MoveAsync(ScoreWatch watch, LeadSnapshot snapshot, DateTimeOffset now, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        var (crossings, state, next) = Replay(watch, snapshot, now);
        var owedFrom = Owed(watch.OwedFrom ?? (crossings.Count > 0 ? watch.State : null), state);
        var update = new ScoreWatchUpdate(state, next) { OwedFrom = owedFrom, RetryAt = owedFrom is null ? null : retryAt, Crossings = crossings };
        if (!await _s.Store.TryUpdateAsync(watch, update, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        foreach (var crossed in crossings)
        {
            HostingLog.ScoreCrossed(_logger, crossed.Lead.Value, crossed.Crossing.From.ToString(), crossed.Crossing.To.ToString(), crossed.CrossedAt, crossed.Score);
            if (!_s.Store.RecordsDecisions)
            {
                await _s.Decisions.PublishAsync(crossed, cancellationToken).ConfigureAwait(false);
            }
        }

        return update;
    }

    /// <summary>
    /// The crossings from the watched instant up to <paramref name="now"/>, in order (usually one; more when the wake-up came late),
    /// the state after them and the next crossing; none when the watched instant is still ahead.
    /// </summary>
    private (List<AlignmentDecision.ScoreCrossed> Crossings, QualificationState State, DateTimeOffset? Next) Replay(ScoreWatch watch, LeadSnapshot snapshot, DateTimeOffset now)
    {
        var crossings = new List<AlignmentDecision.ScoreCrossed>();
        if (watch.CrossingAt is not { } at || at > now)
        {
            return (crossings, watch.State, watch.CrossingAt);
        }

        var lead = snapshot.Lead;
        var acts = snapshot.Activities.AsSpan();
        var state = watch.State;
        var card = _s.Scorer.Score(lead, acts, at);
        if (card.State != state)
        {
            crossings.Add(new AlignmentDecision.ScoreCrossed(lead.Id, new ThresholdCrossing(state, card.State), card.Total, at));
            state = card.State;
        }

        while (crossings.Count < MaxCatchUp && at < now && _s.Crossings.NextCrossing(lead, acts, at, now) is { } c)
        {
            crossings.Add(new AlignmentDecision.ScoreCrossed(lead.Id, c.Crossing, c.Score, c.At));
            state = c.Crossing.To;
            at = c.At;
        }

        var next = _s.Crossings.NextCrossing(lead, acts, crossings.Count == MaxCatchUp ? at : (at > now ? at : now));
        return (crossings, state, next?.At);
    }

    /// <summary>The lead's state at <paramref name="now"/> and its next crossing.</summary>
    private (QualificationState State, DateTimeOffset? Next) Watch(LeadSnapshot snapshot, DateTimeOffset now)
    {
        var acts = snapshot.Activities.AsSpan();
        return (_s.Scorer.Score(snapshot.Lead, acts, now).State, _s.Crossings.NextCrossing(snapshot.Lead, acts, now)?.At);
    }

    /// <summary><paramref name="from"/> when moving from it to <paramref name="to"/> calls for an action this watcher can take; otherwise <see langword="null"/>.</summary>
    private QualificationState? Owed(QualificationState? from, QualificationState to) => from switch
    {
        >= QualificationState.MarketingQualified when to == QualificationState.NotQualified && _s.Nurture is not null => from,
        QualificationState.NotQualified when to >= QualificationState.MarketingQualified && _s.NurtureEngine is not null => from,
        _ => null,
    };

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
