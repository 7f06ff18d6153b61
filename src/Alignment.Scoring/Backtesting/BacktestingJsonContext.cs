using System.Text.Json.Serialization;
using Alignment.Scoring.Governance;

namespace Alignment.Scoring.Backtesting;

/// <summary>Source-generated System.Text.Json metadata for backtest reports (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    Converters = [typeof(GradeJsonConverter)])]
[JsonSerializable(typeof(BacktestReport))]
[JsonSerializable(typeof(BacktestComparison))]
internal sealed partial class BacktestingJsonContext : JsonSerializerContext;
