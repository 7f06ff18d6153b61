using Alignment.Leads;
using Alignment.Scoring.Backtesting;

namespace Alignment.Models.Challengers;

/// <summary>What became of a lead the challenger scored beside the champion, for the backtest of both.</summary>
/// <param name="Lead">The lead.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="ClosedAt">When it was decided; <see langword="null"/> when unknown.</param>
public readonly record struct ChallengerOutcome(LeadId Lead, BacktestOutcome Outcome, DateTimeOffset? ClosedAt);
