using Alignment.Conformance.Models;
using Alignment.Models.Challengers;

namespace Alignment.Abstractions.Tests.Models;

/// <summary>The in-memory challenger ledger against the <see cref="IChallengerLedger"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryChallengerLedgerTests : ChallengerLedgerConformance
{
    protected override Task<(IChallengerLedger First, IChallengerLedger Second)> CreateLedgersAsync()
    {
        var ledger = new InMemoryChallengerLedger();
        return Task.FromResult<(IChallengerLedger, IChallengerLedger)>((ledger, ledger));
    }
}
