using Alignment.Decisions;
using Alignment.Leads;

namespace Alignment.Policies.Nurture;

/// <summary>
/// Durable nurture state: enrolments, their due times (indexed, so "what is due now" does not scan every lead), leases and sent
/// steps. The in-memory store is the embedded default; a database store lets several instances run the scheduler at once.
/// </summary>
/// <remarks>
/// Implementations are thread-safe and every method is atomic. Invariants an implementation must keep: a lead has at most one
/// enrolment that is not ended; a claimed enrolment is not claimed again until its lease expires (two instances asking at
/// once never both get it); a (enrolment, step) pair is recorded as sent at most once.
/// </remarks>
public interface INurtureStore
{
    /// <summary>
    /// Whether the store records the nurture engine's decisions in an <see cref="IDecisionOutbox"/>, in the same unit of work as
    /// the change that made them: an <see cref="AlignmentDecision.Enrolled"/> for every enrolment it inserts (by
    /// <see cref="TryInsertAsync"/>, or as the successor of <see cref="TryUpdateAsync"/>; key <c>enrolled:{lead}:{sequence}</c>), an
    /// <see cref="AlignmentDecision.NurtureStepSent"/> for every step <see cref="TryRecordSentAsync"/> records, and the decision
    /// handed to <see cref="TryUpdateAsync"/> (a step skipped, an exit), keyed by <see cref="DecisionKeys.For(AlignmentDecision)"/>.
    /// When <see langword="true"/>, the engine publishes none of these itself: a <see cref="DecisionRelay"/> delivers them.
    /// <see langword="false"/> by default.
    /// </summary>
    bool RecordsDecisions => false;

    /// <summary>Finds a lead's latest enrolment, whatever its status.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The latest enrolment, or <see langword="null"/> when the lead was never enrolled.</returns>
    ValueTask<NurtureEnrolmentRecord?> FindLatestAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>Inserts a new enrolment, unless the lead is still on a track or the sequence is not above the lead's latest.</summary>
    /// <param name="record">The enrolment; its <see cref="NurtureEnrolmentRecord.Version"/> is ignored and stored as 1.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when inserted.</returns>
    ValueTask<bool> TryInsertAsync(NurtureEnrolmentRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces an enrolment if it is still at <paramref name="expectedVersion"/>; optionally inserts the lead's next enrolment in the same atomic step (a track change).</summary>
    /// <param name="record">The new state of the enrolment (same lead and sequence); stored with version <paramref name="expectedVersion"/> + 1.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="successor">The enrolment that follows (its sequence one more than <paramref name="record"/>'s), when <paramref name="record"/> ends; otherwise <see langword="null"/>.</param>
    /// <param name="decision">
    /// The decision the change makes (<see cref="AlignmentDecision.NurtureStepSkipped"/>, <see cref="AlignmentDecision.NurtureExited"/>),
    /// which a store that <see cref="RecordsDecisions"/> writes with the change under <see cref="DecisionKeys.For(AlignmentDecision)"/>;
    /// ignored by a store that does not (the engine publishes it after the save). <see langword="null"/> for none.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when saved; <see langword="false"/> when another writer got there first (nothing changed).</returns>
    ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor = null, AlignmentDecision? decision = null, CancellationToken cancellationToken = default);

    /// <summary>Lists enrolments due at <paramref name="asOf"/> and not leased, earliest first, without claiming them (a read-only query).</summary>
    /// <param name="asOf">The instant.</param>
    /// <param name="maxCount">The most items to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The due items.</returns>
    ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Claims enrolments due at <paramref name="asOf"/>, earliest first: each gets a lease for <paramref name="owner"/> until <paramref name="leaseUntil"/>, and its version goes up by one.</summary>
    /// <param name="asOf">The instant.</param>
    /// <param name="maxCount">The most enrolments to claim.</param>
    /// <param name="owner">The claiming scheduler instance.</param>
    /// <param name="leaseUntil">When the lease expires; after it, an unfinished claim is due again (crash resume).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed enrolments, with their lease and new version.</returns>
    ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a step was sent, unless that (enrolment, step) was already recorded; a store that <see cref="RecordsDecisions"/>
    /// writes its <see cref="AlignmentDecision.NurtureStepSent"/> with it.
    /// </summary>
    /// <param name="sent">The sent step.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when recorded now; <see langword="false"/> when it was already recorded.</returns>
    ValueTask<bool> TryRecordSentAsync(NurtureSentStep sent, CancellationToken cancellationToken = default);

    /// <summary>Tells whether a step of an enrolment was already recorded as sent.</summary>
    /// <param name="enrolmentId">The enrolment.</param>
    /// <param name="stepIndex">The step's index.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when sent.</returns>
    ValueTask<bool> WasSentAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken = default);

    /// <summary>Lists every step sent to a lead, oldest first.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sent steps.</returns>
    ValueTask<IReadOnlyList<NurtureSentStep>> ListSentAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>Lists every lead's latest enrolment (for audits).</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The enrolments, in no particular order.</returns>
    IAsyncEnumerable<NurtureEnrolmentRecord> ListLatestAsync(CancellationToken cancellationToken = default);
}
