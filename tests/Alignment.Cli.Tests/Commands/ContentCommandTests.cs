using System.Text.Json;
using Alignment.Cli.Commands;
using Alignment.Segmentation.Collateral;
using Alignment.Storage.PostgreSql;
using Alignment.Storage.PostgreSql.Content;
using Alignment.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Alignment.Cli.Tests.Commands;

public sealed class ContentCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    // Three items: an approved battle card reviewed in January (expires 2027-01-10, within 60 days of now), a pending case study,
    // and a one-pager whose expiry passed in November. Two won deals and one lost one used the battle card.
    private const string Content = """
        {
          "items": [
            { "id": "battle-globex", "title": "Globex battle card", "owner": "mia", "segments": ["enterprise"], "revision": 2,
              "createdAt": "2025-11-02T09:00:00Z", "lastReviewedAt": "2026-01-10T09:00:00Z", "expiresAt": "2027-01-10T09:00:00Z",
              "status": "approved", "reviewedBy": "sam", "approvedAt": "2026-01-10T09:00:00Z",
              "history": [ { "kind": "created", "revision": 1, "at": "2025-11-02T09:00:00Z", "by": "mia" },
                           { "kind": "revised", "revision": 2, "at": "2026-01-10T09:00:00Z", "by": "mia" },
                           { "kind": "approved", "revision": 2, "at": "2026-01-10T09:00:00Z", "by": "sam" } ] },
            { "id": "case-initech", "title": "Initech case study", "owner": "mia", "segments": ["enterprise"], "revision": 1,
              "createdAt": "2026-11-20T09:00:00Z", "lastReviewedAt": "2026-11-20T09:00:00Z", "expiresAt": "2027-11-20T09:00:00Z",
              "status": "pending", "history": [ { "kind": "created", "revision": 1, "at": "2026-11-20T09:00:00Z", "by": "mia" } ] },
            { "id": "one-pager", "title": "One-pager", "owner": "mia", "segments": ["general"], "revision": 1,
              "createdAt": "2025-11-01T09:00:00Z", "lastReviewedAt": "2025-11-01T09:00:00Z", "expiresAt": "2026-11-01T09:00:00Z",
              "status": "approved", "reviewedBy": "sam", "approvedAt": "2025-11-01T09:00:00Z",
              "history": [ { "kind": "created", "revision": 1, "at": "2025-11-01T09:00:00Z" }, { "kind": "approved", "revision": 1, "at": "2025-11-01T09:00:00Z", "by": "sam" } ] }
          ],
          "usages": [
            { "item": "battle-globex", "rep": "rep-1", "deal": "d-1", "outcome": "won", "usedAt": "2026-03-01T00:00:00Z" },
            { "item": "battle-globex", "rep": "rep-2", "deal": "d-2", "outcome": "won" },
            { "item": "battle-globex", "rep": "rep-1", "deal": "d-3", "outcome": "lost" }
          ],
          "deals": { "d-1": "won", "d-2": "won", "d-3": "lost" },
          "suggestions": [ { "id": "s-1", "rep": "rep-1", "text": "A Globex pricing sheet", "suggestedAt": "2026-10-01T00:00:00Z", "deal": "d-3" } ]
        }
        """;

    private static Task<CliRun> Run(params string[] args) =>
        CliRun.RunAsync([new ContentCommand(new FakeTimeProvider(Now), _ => null)], ["content", .. args]);

    private static string Folder(TempFolder dir)
    {
        dir.Write(ContentFolder.FileName, Content);
        return dir.Path;
    }

    [Fact]
    public async Task List_Json_GivesEveryItemsStatusExpiryAndEffectiveness()
    {
        using var dir = new TempFolder();
        string folder = Folder(dir);

        var run = await Run("list", "--folder", folder, "--format", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        var items = JsonDocument.Parse(run.Out).RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        Assert.Equal(["battle-globex", "case-initech", "one-pager"], items.Keys);
        var battle = items["battle-globex"];
        Assert.Equal(("approved", 2, 3, 2, 1), (battle.GetProperty("status").GetString(), battle.GetProperty("revision").GetInt32(), battle.GetProperty("usages").GetInt32(), battle.GetProperty("dealsWon").GetInt32(), battle.GetProperty("dealsLost").GetInt32()));
        Assert.Equal(2.0 / 3, battle.GetProperty("winRate").GetDouble(), 6);
        Assert.Equal(3.0 / 5, battle.GetProperty("score").GetDouble(), 6); // (won + 1) / (closed + 2)
        Assert.Equal("pending", items["case-initech"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, items["case-initech"].GetProperty("winRate").ValueKind);
    }

    [Fact]
    public async Task Expiring_ListsTheExpiredAndTheSoonExpiring_AndNotesTheExpiryInTheFolder()
    {
        using var dir = new TempFolder();
        string folder = Folder(dir);

        var soon = await Run("expiring", "--folder", folder, "--within", "60");
        var none = await Run("expiring", "--folder", folder, "--within", "0", "--format", "json");

        Assert.True(soon.ExitCode == ExitCodes.Success, soon.Error);
        var lines = soon.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("one-pager ", lines[1], StringComparison.Ordinal); // expired first
        Assert.StartsWith("battle-globex ", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Equal(["one-pager"], JsonDocument.Parse(none.Out).RootElement.GetProperty("expiring").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var saved = ContentFolder.Read(folder);
        var expired = saved.Items.Single(i => i.Id == "one-pager").History[^1];
        Assert.Equal((CollateralEventKind.Expired, DateTimeOffset.Parse("2026-11-01T09:00:00Z")), (expired.Kind, expired.At));
        Assert.Single(saved.Items.Single(i => i.Id == "one-pager").History, h => h.Kind == CollateralEventKind.Expired); // noted once over two runs
        Assert.Equal(3, saved.Usages.Length);
        Assert.Single(saved.Suggestions);
    }

    [Fact]
    public async Task Review_ApprovesSendsBackOrKeepsAnItem_AndRetireRetiresIt_EachSavedWithItsHistory()
    {
        using var dir = new TempFolder();
        string folder = Folder(dir);

        var sentBack = await Run("review", "case-initech", "--folder", folder, "--reviewer", "sam", "--verdict", "send-back", "--reason", "The quote is not approved");
        var still = await Run("review", "one-pager", "--folder", folder, "--reviewer", "sam", "--verdict", "still-right");
        var retired = await Run("retire", "battle-globex", "--folder", folder, "--reason", "Globex left the market", "--by", "mia");

        Assert.True(sentBack.ExitCode == ExitCodes.Success, sentBack.Error);
        Assert.Equal("case-initech: sent-back (revision 1), reviewed by sam; expires 2027-11-20\n", sentBack.Out);
        Assert.True(still.ExitCode == ExitCodes.Success, still.Error);
        Assert.Contains("one-pager: approved (revision 1), reviewed by sam; expires 2027-12-01", still.Out);
        Assert.True(retired.ExitCode == ExitCodes.Success, retired.Error);
        var items = ContentFolder.Read(folder).Items.ToDictionary(i => i.Id);
        Assert.Equal((CollateralStatus.Rejected, "The quote is not approved"), (items["case-initech"].Status, items["case-initech"].RejectionReason));
        Assert.Equal((CollateralEventKind.SentBack, "sam"), (items["case-initech"].History[^1].Kind, items["case-initech"].History[^1].By));
        Assert.Equal(Now.AddMonths(12), items["one-pager"].ExpiresAt);
        Assert.Equal((CollateralStatus.Retired, "Globex left the market", "mia"), (items["battle-globex"].Status, items["battle-globex"].History[^1].Reason, items["battle-globex"].History[^1].By));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData(new[] { "review", "nope", "--reviewer", "sam", "--verdict", "approve" }, "refused: No collateral item 'nope'")]
    [InlineData(new[] { "review", "battle-globex", "--reviewer", "sam", "--verdict", "approve" }, "refused: Collateral item 'battle-globex' is Approved, not pending approval.")]
    [InlineData(new[] { "retire", "nope", "--reason", "x" }, "refused: No collateral item 'nope'")]
    public async Task A_review_or_retirement_the_library_refuses_is_exit_one_and_changes_nothing(string[] args, string expected)
    {
        using var dir = new TempFolder();
        string folder = Folder(dir);
        string before = File.ReadAllText(Path.Combine(folder, ContentFolder.FileName));

        var run = await Run([.. args, "--folder", folder]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.Equal(before, File.ReadAllText(Path.Combine(folder, ContentFolder.FileName)));
    }

    [Theory]
    [InlineData("\"status\": \"pending\"", "\"status\": \"draft\"", "field '$.items[1].status': 'draft' is not a status")]
    [InlineData("\"enterprise\"], \"revision\": 2,", "\"enterprise\"], \"revision\": \"two\",", "field '$.items[0].revision': must be a whole number of at least 1")]
    [InlineData("\"expiresAt\": \"2027-01-10T09:00:00Z\"", "\"expiresAt\": \"soon\"", "field '$.items[0].expiresAt': 'soon' is not an ISO 8601 instant")]
    [InlineData("\"outcome\": \"lost\" }", "\"outcome\": \"tie\" }", "field '$.usages[2].outcome': 'tie' is not an outcome")]
    [InlineData("\"segments\": [\"general\"]", "\"segments\": [42]", "field '$.items[2].segments[0]': must be a segment id")]
    [InlineData("\"d-3\": \"lost\"", "\"d-3\": 3", "field '$.deals['d-3']': must be open, won or lost")]
    [InlineData("\"deal\": \"d-2\", \"outcome\"", "\"deal\": \"d-2\", \"rating\": \"\", \"outcome\"", "field '$.usages[1].rating': must be a whole number")]
    [InlineData("\"deal\": \"d-2\", \"outcome\"", "\"deal\": \"d-2\", \"helpful\": 1, \"outcome\"", "field '$.usages[1].helpful': must be true or false")]
    [InlineData("\"text\": \"A Globex", "\"text\": \"\\ud800A Globex", "field '$.suggestions[0].text': is not valid text")]
    [InlineData("\"d-3\": \"lost\"", "\"d-3\\udc00\": \"lost\"", "field '$.deals (property 2)': the name is not valid text")]
    [InlineData("{\n  \"items\"", "[\n  \"items\"", "not JSON")]
    public async Task A_bad_content_file_is_exit_one_naming_the_file_and_the_json_path(string from, string to, string expected)
    {
        using var dir = new TempFolder();
        dir.Write(ContentFolder.FileName, Content.Replace(from, to, StringComparison.Ordinal));

        var run = await Run("list", "--folder", dir.Path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(Path.Combine(dir.Path, ContentFolder.FileName), run.Error);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task A_content_file_with_bytes_that_are_not_UTF8_is_exit_one_naming_the_line()
    {
        // A byte 0xFF inside a string (found by the fuzz test: it was an internal error when the string was read).
        using var dir = new TempFolder();
        byte[] text = System.Text.Encoding.UTF8.GetBytes(Content);
        int at = Array.IndexOf(text, (byte)'2', System.Text.Encoding.UTF8.GetBytes(Content).AsSpan().IndexOf("\"createdAt\""u8));
        text[at] = 0xFF;
        File.WriteAllBytes(Path.Combine(dir.Path, ContentFolder.FileName), text);

        var run = await Run("list", "--folder", dir.Path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"alignment: error: {Path.Combine(dir.Path, ContentFolder.FileName)}, line 4: not UTF-8 text: byte 0xFF at offset {at} is not part of a UTF-8 character; save the file as UTF-8", run.Error.TrimEnd());
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task An_empty_folder_has_no_items_and_a_missing_one_is_named()
    {
        using var dir = new TempFolder();

        var empty = await Run("list", "--folder", dir.Path);
        var missing = await Run("list", "--folder", Path.Combine(dir.Path, "nope"));

        Assert.Equal((ExitCodes.Success, "No content items.\n"), (empty.ExitCode, empty.Out));
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.Contains("field '--folder': the folder does not exist", missing.Error);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("list", "--folder", "a", "--postgres", "Host=x")]
    [InlineData("list", "--folder", "a", "--schema", "s")]
    [InlineData("review", "x", "--folder", "a", "--reviewer", "sam")]
    [InlineData("review", "x", "--folder", "a", "--reviewer", "sam", "--verdict", "maybe")]
    [InlineData("review", "x", "--folder", "a", "--reviewer", "sam", "--verdict", "send-back")]
    [InlineData("retire", "x", "--folder", "a")]
    [InlineData("expiring", "--folder", "a", "--within", "-1")]
    public async Task Usage_errors_exit_two(params string[] args)
    {
        var run = await Run(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("for usage.", run.Error);
    }

    [Fact(Timeout = 180_000)]
    public async Task On_postgresql_a_review_is_saved_and_read_back_by_the_next_command()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the private PostgreSQL cluster is a Linux tool here
        }

        string? configured = Environment.GetEnvironmentVariable("ALIGNMENT_TEST_PG");
        await using var cluster = !string.IsNullOrWhiteSpace(configured) && await PrivatePostgres.AnswersAsync(configured) ? null : await PrivatePostgres.CreateAsync();
        string connection = cluster?.ConnectionString ?? configured!;
        string schema = "content_cli_" + Guid.NewGuid().ToString("N")[..8];
        await using (var dataSource = NpgsqlDataSource.Create(connection))
        {
            await PostgreSqlAlignmentSchema.MigrateAsync(dataSource, schema);
            var seeded = new CollateralLibrary(new FakeTimeProvider(Now.AddDays(-3)), 12);
            seeded.Add(new CollateralDraft("case-initech", "Initech case study", "mia", [new("enterprise")]));
            await seeded.FlushAsync(new PostgreSqlContentStore(dataSource, schema), "acme");
        }

        var approved = await Run("review", "case-initech", "--postgres", connection, "--schema", schema, "--tenant", "acme", "--reviewer", "sam", "--verdict", "approve");
        var list = await Run("list", "--postgres", connection, "--schema", schema, "--tenant", "acme", "--format", "json");
        var other = await Run("list", "--postgres", connection, "--schema", schema, "--tenant", "globex");

        Assert.True(approved.ExitCode == ExitCodes.Success, approved.Error);
        Assert.True(list.ExitCode == ExitCodes.Success, list.Error);
        var item = Assert.Single(JsonDocument.Parse(list.Out).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("case-initech", "approved"), (item.GetProperty("id").GetString(), item.GetProperty("status").GetString()));
        Assert.Equal("No content items.\n", other.Out); // another tenant's content is not shown
    }
}
