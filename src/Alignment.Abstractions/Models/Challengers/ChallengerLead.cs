using Alignment.Leads;
using Alignment.Scoring.Backtesting;

namespace Alignment.Models.Challengers;

/// <summary>
/// One lead of a challenger's comparison as the ledger holds it: its latest pair of scores (frozen once its outcome arrived) and its
/// outcome (<see cref="BacktestOutcome.Open"/> until one is recorded).
/// </summary>
/// <param name="Lead">The lead.</param>
/// <param name="Champion">The champion's score.</param>
/// <param name="Challenger">The challenger's score.</param>
/// <param name="ScoredAt">When the pair was scored.</param>
/// <param name="Outcome">What became of the lead.</param>
/// <param name="ClosedAt">When it was decided; <see langword="null"/> when open or unknown.</param>
public readonly record struct ChallengerLead(LeadId Lead, ChallengerScore Champion, ChallengerScore Challenger, DateTimeOffset ScoredAt, BacktestOutcome Outcome, DateTimeOffset? ClosedAt);
