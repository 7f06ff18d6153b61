using System.Globalization;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Scoring.Tests.Governance;

/// <summary>
/// A folder of signed release files kept in step with the registry: a new signed release becomes active and is taken up by the
/// host; a broken, unsigned or uncompilable file never replaces the active model and is reported with its file name.
/// </summary>
public sealed class ScoringReleaseFolderTests : IDisposable
{
    private static readonly FakeTimeProvider Time = new(TestData.Now);
    private static readonly ScoringModelOptions Options = new() { Schema = TestData.Schema };
    private readonly string _folder = Directory.CreateTempSubdirectory("alignment-releases-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ScoringModelRelease Signed(string version, decimal points, bool sales = true)
    {
        var release = new ScoringModelRelease(ScoringModelJson.Parse(TestData.Model(
            "\"fit\": [ {\"id\": \"software\", \"points\": " + points.ToString(CultureInfo.InvariantCulture) + ", \"when\": {\"field\": \"company.industry\", \"equals\": \"Software\"}} ]")
            .Replace("\"version\": \"1.0.0\"", $"\"version\": \"{version}\"", StringComparison.Ordinal)))
            .Approve("mia", ApprovalSide.Marketing, Time);
        return sales ? release.Approve("sam", ApprovalSide.Sales, Time) : release;
    }

    private void Drop(string file, string text) => File.WriteAllText(Path.Combine(_folder, file), text);

    [Fact]
    public async Task New_signed_releases_become_active_and_broken_or_unsigned_files_never_replace_the_model()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var models = new ActiveScoringModels(registry, Options);
        using var folder = new ScoringReleaseFolder(registry, "eu", _folder, Options);
        var reported = new List<ModelRejectedEventArgs>();
        folder.Rejected += (_, e) => reported.Add(e);

        Drop("v1.release.json", Signed("1.0.0", 15).ToJson());
        Drop("v1.1.release.json", Signed("1.1.0", 18).ToJson());
        var first = await folder.SyncAsync();
        Assert.Equal("1.1.0", first.Activated!.Key.Version); // the highest signed version at the first sync
        Assert.Empty(first.Refused);
        Assert.Equal("1.1.0", (await models.GetAsync("eu")).Version);

        Drop("v2.release.json", """{ "model": { "id": "test", "version": "2.0.0", "fit": "oops" }, "approvals": [] }""");
        Drop("v3.release.json", Signed("3.0.0", 25, sales: false).ToJson());
        Drop("notes.txt", "not a release");
        var second = await folder.SyncAsync();
        Assert.Null(second.Activated);
        Assert.Equal(["v2.release.json", "v3.release.json"], second.Refused.Select(r => r.File));
        Assert.All(second.Refused, r => Assert.NotEmpty(r.Problems));
        Assert.Contains(second.Refused[1].Problems, p => p.Contains("no sales approval", StringComparison.Ordinal));
        Assert.Equal(2, reported.Count);
        Assert.Equal("1.1.0", (await models.GetAsync("eu")).Version);
        Assert.Equal("1.1.0", (await registry.GetActiveAsync("eu", ModelKind.Scoring))!.Key.Version);

        // The active version edited in place is refused; a newly signed version becomes active.
        Drop("v1.1.release.json", Signed("1.1.0", 99).ToJson());
        Drop("v4.release.json", Signed("4.0.0", 30).ToJson());
        var third = await folder.SyncAsync();
        Assert.Equal("4.0.0", third.Activated!.Key.Version);
        Assert.Contains(third.Refused, r => r.File == "v1.1.release.json");
        Assert.Equal("4.0.0", (await models.GetAsync("eu")).Version);

        // Nothing new: nothing activated, even after a rollback (the folder does not undo what operators decide).
        await registry.RollbackAsync("eu", ModelKind.Scoring, "lee", "MQL volume collapsed");
        Assert.Null((await folder.SyncAsync()).Activated);
        Assert.Equal("1.1.0", (await models.GetAsync("eu")).Version);

        // Nor does a restarted host (or a second one) following the same folder: 4.0.0 was activated before, so it is not new.
        using var restarted = new ScoringReleaseFolder(registry, "eu", _folder, Options);
        Assert.Null((await restarted.SyncAsync()).Activated);
        Assert.Equal("1.1.0", (await models.GetAsync("eu")).Version);
    }

    [Fact]
    public async Task A_watched_folder_takes_up_a_signed_release_dropped_into_it()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var models = new ActiveScoringModels(registry, Options);
        using var folder = new ScoringReleaseFolder(registry, "eu", _folder, Options);
        await folder.SyncAsync();
        folder.Watch();

        Drop("v5.release.json", Signed("5.0.0", 40).ToJson());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(models.TryGet("eu", out var m) && m.Version == "5.0.0") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(models.TryGet("eu", out var model));
        Assert.Equal("5.0.0", model.Version);
    }
}
