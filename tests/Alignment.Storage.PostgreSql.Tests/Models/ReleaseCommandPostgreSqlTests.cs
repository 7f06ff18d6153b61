using Alignment.Cli;
using Alignment.Cli.Commands;
using Alignment.Models.Registry;
using Alignment.Storage.PostgreSql.Models;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Storage.PostgreSql.Tests.Models;

/// <summary><c>alignment release</c> (the tool's command, in-process) against a PostgreSQL registry, each step a separate run.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class ReleaseCommandPostgreSqlTests(PostgreSqlFixture db)
{
    private const string Model = """{ "id": "t", "version": "1.0.0", "thresholds": { "mql": { "score": 20, "minGrade": "F" }, "hot": { "score": 50, "minGrade": "F" } }, "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40 } ] }""";

    private static async Task<(int Code, string Out, string Error)> RunAsync(ReleaseCommand command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CliApp.RunAsync(["release", .. args], new CliConsole(output, error), [command]);
        return (code, output.ToString(), error.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Publish_approve_activate_and_status_run_against_a_migrated_schema_with_the_connection_from_the_environment()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        string file = Path.Combine(Path.GetTempPath(), $"alignment-release-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, Model);
        try
        {
            var command = new ReleaseCommand(new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 9, 30, 0, TimeSpan.Zero)), name => name == ReleaseCommand.ConnectionVariable ? db.ConnectionString : null);
            string[] at = ["--postgres", "--schema", schema, "--tenant", "eu"];
            string[] key = ["--kind", "scoring", "--id", "t", "--version", "1.0.0"];

            var published = await RunAsync(command, ["publish", file, .. at]);
            Assert.Equal((0, ""), (published.Code, published.Error));
            var refused = await RunAsync(command, ["activate", .. key, "--by", "ops", "--reason", "launch", .. at]);
            Assert.Equal(ExitCodes.BadInput, refused.Code);
            Assert.Contains("no marketing approval of content", refused.Error, StringComparison.Ordinal);
            Assert.Equal(0, (await RunAsync(command, ["approve", .. key, "--by", "mia", "--side", "marketing", .. at])).Code);
            var twice = await RunAsync(command, ["approve", .. key, "--by", "mia", "--side", "sales", .. at]);
            Assert.Equal(ExitCodes.BadInput, twice.Code);
            Assert.Contains("must come from someone else", twice.Error, StringComparison.Ordinal);
            Assert.Equal(0, (await RunAsync(command, ["approve", .. key, "--by", "sam", "--side", "sales", .. at])).Code);
            var activated = await RunAsync(command, ["activate", .. key, "--by", "ops", "--reason", "launch", .. at]);
            Assert.Equal((0, ""), (activated.Code, activated.Error));

            var status = await RunAsync(command, ["status", "--kind", "scoring", .. at]);
            Assert.Contains("scoring: active t@1.0.0", status.Out, StringComparison.Ordinal);
            Assert.Contains("#1 2026-05-04T09:30:00+00:00 activate t@1.0.0", status.Out, StringComparison.Ordinal);
            var registry = new PostgreSqlModelRegistry(db.DataSource, schema);
            Assert.Equal(("ops", 1L), ((await registry.GetActiveAsync("eu", ModelKind.Scoring))!.ActivatedBy, (await registry.GetActiveAsync("eu", ModelKind.Scoring))!.Sequence));

            var unmigrated = await RunAsync(command, ["status", "--postgres", db.ConnectionString, "--schema", PostgreSqlFixture.NewSchema(), "--tenant", "eu"]);
            Assert.Equal(ExitCodes.BadInput, unmigrated.Code);
            Assert.Contains("holds no model registry", unmigrated.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", unmigrated.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
