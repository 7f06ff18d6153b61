namespace Alignment.Scoring.Backtesting;

/// <summary>The outcomes of the leads in one score band or one grade.</summary>
/// <param name="Label">The band (<c>[40, 50)</c>) or the grade letter.</param>
/// <param name="From">The band's lower bound (inclusive); <see langword="null"/> for a grade.</param>
/// <param name="To">The band's upper bound (exclusive); <see langword="null"/> for a grade.</param>
/// <param name="Leads">Every lead in the bucket.</param>
/// <param name="Won">Won leads.</param>
/// <param name="Lost">Lost leads.</param>
/// <param name="Disqualified">Disqualified leads.</param>
/// <param name="Open">Open leads (including those closed after the outcome horizon).</param>
/// <param name="Decided">Leads counted as decided (won, lost and, unless switched off, disqualified; within the horizon).</param>
/// <param name="ConversionRate">Won / decided; <see langword="null"/> when nothing is decided.</param>
public sealed record OutcomeBucket(string Label, decimal? From, decimal? To, int Leads, int Won, int Lost, int Disqualified, int Open, int Decided, double? ConversionRate);
