using System.Collections.Concurrent;
using Alignment.Conformance.Models;
using Alignment.Models;
using Alignment.Models.Registry;

namespace Alignment.Abstractions.Tests.Models;

/// <summary>The file-based model registry against the <see cref="IModelRegistry"/> contract (tests/Alignment.Conformance), each test in its own folder.</summary>
public sealed class FileModelRegistryConformanceTests : ModelRegistryConformance, IDisposable
{
    private readonly RegistryFolder _folder = new();

    protected override Task<IModelRegistry> CreateRegistryAsync(TimeProvider time) => Task.FromResult<IModelRegistry>(new FileModelRegistry(_folder.Path, time));

    public void Dispose() => _folder.Dispose();
}

/// <summary>What only the file registry does: it persists, shares a folder between instances (processes), reports a bad file and keeps tenants in their folders.</summary>
public sealed class FileModelRegistryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 30, 0, TimeSpan.FromHours(2));
    private readonly RegistryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ModelRelease Release(string tenant, string version, ModelKind kind = ModelKind.Scoring) =>
        new(new ReleaseKey(tenant, kind, "fit", version), $$"""{ "id": "fit", "version": "{{version}}" }""", new string(version[0], 64));

    private static async Task<ModelRelease> PublishApprovedAsync(IModelRegistry registry, ModelRelease release)
    {
        await registry.PublishAsync(release);
        await registry.ApproveAsync(release.Key, new ModelApproval("mia", ApprovalSide.Marketing, T0, release.ContentHash) { Comment = "fit rules checked" });
        return await registry.ApproveAsync(release.Key, new ModelApproval("sam", ApprovalSide.Sales, T0, release.ContentHash));
    }

    [Fact]
    public async Task A_new_instance_on_the_same_folder_sees_the_releases_approvals_and_history()
    {
        var first = new FileModelRegistry(_folder.Path);
        var v1 = await PublishApprovedAsync(first, Release("eu", "1.0.0"));
        var v2 = await PublishApprovedAsync(first, Release("eu", "2.0.0"));
        await first.ActivateAsync(v1.Key, "ops", "launch");
        await first.ActivateAsync(v2.Key, "ops", "upgrade");

        var second = new FileModelRegistry(_folder.Path);
        var back = await second.RollbackAsync("eu", ModelKind.Scoring, "lee", "MQL volume collapsed");

        Assert.Equal((v1.Key, 3L, true), (back.Key, back.Sequence, back.IsRollback));
        var third = new FileModelRegistry(_folder.Path);
        var found = await third.FindAsync(v2.Key);
        Assert.Equal(["mia Marketing fit rules checked", "sam Sales "], found!.Approvals.Select(a => $"{a.ApprovedBy} {a.Side} {a.Comment}"));
        Assert.True(found.Approvals[0].ApprovedAt.EqualsExact(T0));
        Assert.Equal(["1.0.0 ops", "2.0.0 ops", "1.0.0 lee"], (await third.GetHistoryAsync("eu", ModelKind.Scoring)).Select(h => $"{h.Key.Version} {h.ActivatedBy}"));
        Assert.Equal(v1.Key, (await third.GetActiveAsync("eu", ModelKind.Scoring))!.Key);
        Assert.DoesNotContain(Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Two_instances_activating_at_once_share_one_gap_free_history_and_each_raises_only_its_own()
    {
        var hosts = new[] { new FileModelRegistry(_folder.Path), new FileModelRegistry(_folder.Path) };
        var v1 = await PublishApprovedAsync(hosts[0], Release("eu", "1.0.0"));
        var v2 = await PublishApprovedAsync(hosts[1], Release("eu", "2.0.0"));
        var raised = new ConcurrentBag<(int Host, long Sequence)>();
        hosts[0].Activated += (_, a) => raised.Add((0, a.Sequence));
        hosts[1].Activated += (_, a) => raised.Add((1, a.Sequence));
        using var start = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            start.Wait();
            for (int i = 0; i < 25; i++)
            {
                await hosts[t % 2].ActivateAsync((t / 2 + i) % 2 == 0 ? v1.Key : v2.Key, $"task{t}", $"round {i}");
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(tasks);

        var history = await new FileModelRegistry(_folder.Path).GetHistoryAsync("eu", ModelKind.Scoring);
        Assert.True(history.Count > 1);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(h => h.Sequence));
        Assert.Equal(history.Select(h => h.Sequence), raised.Select(r => r.Sequence).Order());
        for (int i = 1; i < history.Count; i++)
        {
            Assert.NotEqual(history[i - 1].Key, history[i].Key);
        }
    }

    [Fact]
    public async Task A_corrupt_or_hand_edited_file_is_reported_naming_the_file_and_the_place()
    {
        var registry = new FileModelRegistry(_folder.Path);
        var v1 = await PublishApprovedAsync(registry, Release("eu", "1.0.0"));
        string file = Path.Combine(_folder.Path, "tenant-eu", "scoring.json");
        Assert.True(File.Exists(file));
        string good = File.ReadAllText(file);

        File.WriteAllText(file, good, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)); // saved by an editor, with a byte order mark
        Assert.Equal(2, (await registry.FindAsync(v1.Key))!.Approvals.Length);

        File.WriteAllText(file, good[..(good.Length / 2)]);
        var truncated = await Assert.ThrowsAsync<InvalidDataException>(async () => await registry.FindAsync(v1.Key));
        Assert.Contains(file, truncated.Message, StringComparison.Ordinal);

        File.WriteAllText(file, good.Replace("\"sam\"", "\"sam \"", StringComparison.Ordinal));
        var edited = await Assert.ThrowsAsync<InvalidDataException>(async () => await registry.ActivateAsync(v1.Key, "ops", "launch"));
        Assert.Contains(file, edited.Message, StringComparison.Ordinal);
        Assert.Contains("$.releases[0].approvals[1]", edited.Message, StringComparison.Ordinal);

        File.WriteAllText(file, good.Replace("\"contentHash\": \"1111", "\"contentHash\": 7, \"x\": \"", StringComparison.Ordinal));
        var wrongType = await Assert.ThrowsAsync<InvalidDataException>(async () => await registry.GetHistoryAsync("eu", ModelKind.Scoring));
        Assert.Contains("$.releases[0].contentHash", wrongType.Message, StringComparison.Ordinal);

        File.WriteAllText(file, good.Replace("\"tenant\": \"eu\"", "\"tenant\": \"us\"", StringComparison.Ordinal));
        var moved = await Assert.ThrowsAsync<InvalidDataException>(async () => await registry.GetActiveAsync("eu", ModelKind.Scoring));
        Assert.Contains("tenant 'us'", moved.Message, StringComparison.Ordinal);

        Assert.Contains("\"tenant\": \"us\"", File.ReadAllText(file), StringComparison.Ordinal); // reported, never repaired or overwritten
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("/etc")]
    [InlineData("a/../../b")]
    [InlineData("C:\\x")]
    public async Task A_tenant_name_never_reaches_outside_the_registry_folder(string tenant)
    {
        string root = Path.Combine(_folder.Path, "registry");
        var registry = new FileModelRegistry(root);

        var release = await PublishApprovedAsync(registry, Release(tenant, "1.0.0"));
        await registry.ActivateAsync(release.Key, "ops", "launch");

        Assert.Equal(["registry"], Directory.EnumerateFileSystemEntries(_folder.Path).Select(Path.GetFileName));
        string folder = Assert.Single(Directory.GetDirectories(root));
        Assert.Equal(root, Path.GetDirectoryName(folder));
        Assert.DoesNotContain("..", Path.GetFileName(folder), StringComparison.Ordinal);
        Assert.Equal(release.Key, (await new FileModelRegistry(root).GetActiveAsync(tenant, ModelKind.Scoring))!.Key);
        Assert.Null(await registry.GetActiveAsync("x", ModelKind.Scoring));
    }

    [Fact]
    public async Task Tenants_that_differ_only_in_case_or_escaping_have_their_own_folders()
    {
        var registry = new FileModelRegistry(_folder.Path);
        string[] tenants = ["eu", "EU", "e%75", "e u", new string('a', 300), new string('a', 299) + "b"];
        foreach (string tenant in tenants)
        {
            await registry.PublishAsync(Release(tenant, "1.0.0"));
        }

        Assert.Equal(tenants.Length, Directory.GetDirectories(_folder.Path).Length);
        Assert.All(Directory.GetDirectories(_folder.Path), d => Assert.True(Path.GetFileName(d).Length <= 96, d));
        Assert.Null(await registry.FindAsync(new ReleaseKey("Eu", ModelKind.Scoring, "fit", "1.0.0")));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_call_waits_for_the_lock_another_process_holds_and_gives_up_after_the_timeout()
    {
        var registry = new FileModelRegistry(_folder.Path) { LockTimeout = TimeSpan.FromMilliseconds(300) };
        var release = await PublishApprovedAsync(registry, Release("eu", "1.0.0"));
        string lockFile = Path.Combine(_folder.Path, "tenant-eu", "scoring.lock");

        using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var e = await Assert.ThrowsAsync<IOException>(async () => await registry.ActivateAsync(release.Key, "ops", "launch"));
            Assert.Contains(lockFile, e.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await registry.GetHistoryAsync("eu", ModelKind.Scoring));
        Assert.Equal(1, (await registry.ActivateAsync(release.Key, "ops", "launch")).Sequence);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileModelRegistry(_folder.Path) { LockTimeout = TimeSpan.Zero });
    }
}

/// <summary>A temporary registry folder, deleted on dispose.</summary>
internal sealed class RegistryFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "alignment-registry-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
