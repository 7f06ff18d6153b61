namespace Alignment.Scoring.Backtesting;

/// <summary>What eventually happened to a lead: in the history a backtest replays, and in a challenger's live comparison (<see cref="Alignment.Models.Challengers.IChallengerLedger"/>).</summary>
public enum BacktestOutcome
{
    /// <summary>Still open: counted in the score distribution and MQL volumes, never in conversion, AUC, precision or recall.</summary>
    Open = 0,

    /// <summary>Won: a positive.</summary>
    Won = 1,

    /// <summary>Lost: a negative.</summary>
    Lost = 2,

    /// <summary>Disqualified by sales: a negative unless <c>BacktestOptions.CountDisqualifiedAsDecided</c> (Alignment.Scoring) is off.</summary>
    Disqualified = 3,
}
