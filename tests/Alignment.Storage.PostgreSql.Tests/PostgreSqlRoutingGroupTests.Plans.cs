using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>How PostgreSQL plans the statements a group prepares, on the data source hosts get (statements prepared).</summary>
public sealed partial class PostgreSqlRoutingGroupTests
{
    /// <summary>
    /// Npgsql prepares a statement after a few uses, and PostgreSQL may then keep one generic plan for it, made while the table
    /// was small, until the table is next analysed. A group read its handoffs with <c>lead_id = ANY($1)</c>, whose generic plan on a
    /// new table was a sequential scan, so every group read the whole table (2-8 ms at a few thousand handoffs, growing with it).
    /// Every prepared statement of the store that selects handoffs must be an index lookup even as a generic plan on an empty table.
    /// </summary>
    [Fact]
    public async Task EveryPreparedReadOfHandoffs_IsAnIndexLookup_EvenAsAGenericPlanOfAnEmptyTable()
    {
        string schema = PostgreSqlFixture.NewSchema();
        // One connection, so that the statements the decisions prepared are on the connection this test inspects.
        await using var dataSource = AlignmentDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);
        var store = new PostgreSqlRoutingStateStore(dataSource, schema, new PostgreSqlStoreOptions { LockTimeout = TimeSpan.FromMinutes(1) });
        await store.MigrateAsync();
        using var router = RouterOver(store);
        for (int i = 0; i < 12; i++)
        {
            await router.RouteAsync(Request($"lead-{i:00}", i % 2 == 0 ? "GB" : "DE")); // each alone: a group of one
        }

        await using var conn = await dataSource.OpenConnectionAsync();
        var reads = new List<(string Name, string Statement, string[] Types)>();
        await using (var list = new NpgsqlCommand("SELECT name, statement, parameter_types::text[] FROM pg_prepared_statements WHERE statement LIKE 'SELECT %' AND statement LIKE $1", conn))
        {
            list.Parameters.AddWithValue($"%FROM {schema}.handoff_assignment WHERE %");
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                reads.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
            }
        }

        Assert.NotEmpty(reads); // the decisions prepared their read of the handoffs
        await using (var generic = new NpgsqlCommand("SET plan_cache_mode = force_generic_plan", conn))
        {
            await generic.ExecuteNonQueryAsync();
        }

        foreach (var (name, statement, types) in reads)
        {
            string arguments = string.Join(", ", types.Select(t => t switch
            {
                "text" => "'lead-00'",
                "text[]" => "ARRAY['lead-00', 'lead-01']",
                _ => throw new InvalidOperationException($"No test value for a parameter of type {t} in: {statement}"),
            }));
            var plan = new List<string>();
            await using (var explain = new NpgsqlCommand($"EXPLAIN EXECUTE \"{name}\"({arguments})", conn))
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }

            string text = string.Join('\n', plan);
            Assert.True(!text.Contains("Seq Scan", StringComparison.Ordinal), $"{statement}\nis planned as:\n{text}");
        }
    }
}
