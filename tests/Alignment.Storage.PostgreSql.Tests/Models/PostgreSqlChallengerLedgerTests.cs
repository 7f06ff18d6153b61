using Alignment.Conformance.Models;
using Alignment.Models.Challengers;
using Alignment.Storage.PostgreSql.Models;

namespace Alignment.Storage.PostgreSql.Tests.Models;

/// <summary>
/// The PostgreSQL challenger ledger against the <see cref="IChallengerLedger"/> contract (tests/Alignment.Conformance), each test in
/// a new schema; the two ledgers of a test are two instances on that schema, as two hosts would have.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlChallengerLedgerConformanceTests(PostgreSqlFixture db) : ChallengerLedgerConformance
{
    protected override async Task<(IChallengerLedger First, IChallengerLedger Second)> CreateLedgersAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return (new PostgreSqlChallengerLedger(db.DataSource, schema), new PostgreSqlChallengerLedger(db.DataSource, schema));
    }
}

/// <summary>Two <see cref="Scoring.Governance.ActiveScoringModels"/> (two hosts) on two PostgreSQL ledgers on one schema (tests/Shared/ChallengerLedgerHostScenarios.cs).</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlChallengerLedgerHostTests(PostgreSqlFixture db) : Alignment.TestScenarios.ChallengerLedgerHostScenarios
{
    protected override async Task<(IChallengerLedger First, IChallengerLedger Second)> CreateLedgersAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return (new PostgreSqlChallengerLedger(db.DataSource, schema), new PostgreSqlChallengerLedger(db.DataSource, schema));
    }
}
