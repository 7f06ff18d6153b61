using Alignment.Models.Challengers;
using Alignment.TestScenarios;

namespace Alignment.Scoring.Tests.Governance;

/// <summary>Two <see cref="ActiveScoringModels"/> on one <see cref="InMemoryChallengerLedger"/> (tests/Shared/ChallengerLedgerHostScenarios.cs).</summary>
public sealed class ChallengerLedgerHostTests : ChallengerLedgerHostScenarios
{
    protected override Task<(IChallengerLedger First, IChallengerLedger Second)> CreateLedgersAsync()
    {
        var ledger = new InMemoryChallengerLedger();
        return Task.FromResult<(IChallengerLedger, IChallengerLedger)>((ledger, ledger));
    }
}
