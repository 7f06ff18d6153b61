namespace Alignment.Scoring.Backtesting;

/// <summary>
/// One bin of the calibration table: about a tenth of the decided leads, by increasing score (leads with equal scores stay in one bin),
/// with their observed win rate. A well-ordered score shows a win rate that rises from bin to bin.
/// </summary>
/// <param name="Bin">The bin's number, from 1 (lowest scores).</param>
/// <param name="Leads">Decided leads in the bin.</param>
/// <param name="MinScore">The lowest score in the bin.</param>
/// <param name="MaxScore">The highest score in the bin.</param>
/// <param name="MeanScore">The mean score, rounded to hundredths.</param>
/// <param name="Won">Won leads in the bin.</param>
/// <param name="WinRate">Won / leads.</param>
public sealed record CalibrationBin(int Bin, int Leads, decimal MinScore, decimal MaxScore, decimal MeanScore, int Won, double WinRate);
