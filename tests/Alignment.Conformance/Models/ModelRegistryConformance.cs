using System.Collections.Concurrent;
using Alignment.Models;
using Alignment.Models.Registry;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Conformance.Models;

/// <summary>
/// The <see cref="IModelRegistry"/> contract, written once: activation only with both sides' approvals of the current content by
/// two people (every problem listed), approvals of other content refused, the active release frozen, rollback to the release
/// active before, the history with sequence, who, why and rollback flag, tenants apart, the <see cref="IModelRegistry.Activated"/>
/// event once per change, idempotent publishing and concurrent activations that leave a gap-free history. Content is plain
/// JSON text with any 64-hex hash: the registry does not parse it.
/// </summary>
public abstract class ModelRegistryConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 30, 0, TimeSpan.FromHours(2));

    /// <summary>Makes a new, empty registry (its own schema or instance) whose activations are dated by <paramref name="time"/>.</summary>
    protected abstract Task<IModelRegistry> CreateRegistryAsync(TimeProvider time);

    private static ReleaseKey Key(string version, string tenant = "eu", ModelKind kind = ModelKind.Scoring) => new(tenant, kind, "fit", version);

    private static ModelRelease Release(ReleaseKey key, int revision = 0) =>
        new(key, $$"""{ "id": "{{key.Id}}", "version": "{{key.Version}}", "revision": {{revision}} }""", Hash(key, revision));

    private static string Hash(ReleaseKey key, int revision) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{key}#{revision}")));

    private static ModelApproval Approval(ModelRelease release, string who, ApprovalSide side) =>
        new(who, side, T0.AddTicks(1_234_567), release.ContentHash) { Comment = $"{who} checked it" };

    private static async Task<ModelRelease> PublishApprovedAsync(IModelRegistry registry, ReleaseKey key, int revision = 0)
    {
        var release = await registry.PublishAsync(Release(key, revision));
        await registry.ApproveAsync(key, Approval(release, "mia", ApprovalSide.Marketing));
        return await registry.ApproveAsync(key, Approval(release, "sam", ApprovalSide.Sales));
    }

    [Fact]
    public async Task Activation_without_approvals_or_with_one_side_is_refused_listing_the_problems()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var release = await registry.PublishAsync(Release(Key("1.0.0")));

        var none = await Assert.ThrowsAsync<ModelNotPublishableException>(async () => await registry.ActivateAsync(release.Key, "ops", "launch"));
        Assert.Equal(2, none.Problems.Length);
        Assert.Contains("no marketing approval", none.Problems[0], StringComparison.Ordinal);
        Assert.Contains("no sales approval", none.Problems[1], StringComparison.Ordinal);

        await registry.ApproveAsync(release.Key, Approval(release, "mia", ApprovalSide.Marketing));
        var oneSide = await Assert.ThrowsAsync<ModelNotPublishableException>(async () => await registry.ActivateAsync(release.Key, "ops", "launch"));
        Assert.Contains("no sales approval", Assert.Single(oneSide.Problems), StringComparison.Ordinal);
        Assert.Null(await registry.GetActiveAsync("eu", ModelKind.Scoring));
        Assert.Empty(await registry.GetHistoryAsync("eu", ModelKind.Scoring));
    }

    [Fact]
    public async Task Nobody_an_invisible_name_or_other_content_under_a_stored_hash_is_refused()
    {
        var registry = await CreateRegistryAsync(TimeProvider.System);
        var release = await registry.PublishAsync(Release(Key("1.0.0")));
        await registry.ApproveAsync(release.Key, Approval(release, "mia", ApprovalSide.Marketing));

        await Assert.ThrowsAsync<ArgumentException>(async () => await registry.ApproveAsync(release.Key, Approval(release, " ", ApprovalSide.Sales)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await registry.ApproveAsync(release.Key, Approval(release, "mia\u200b", ApprovalSide.Sales)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await registry.ApproveAsync(release.Key, Approval(release, "mia ", ApprovalSide.Sales)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await registry.ApproveAsync(release.Key, Approval(release, "mia\u00a0", ApprovalSide.Sales)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await registry.ApproveAsync(release.Key, Approval(release, "mi\u0301a", ApprovalSide.Sales)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await registry.ApproveAsync(release.Key, Approval(release, "sam", (ApprovalSide)7)));
        var sneaked = new ModelRelease(release.Key, """{ "id": "fit", "version": "1.0.0", "revision": 99 }""", release.ContentHash);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.PublishAsync(sneaked));
        Assert.Equal(release.Content, (await registry.FindAsync(release.Key))!.Content);
        await Assert.ThrowsAsync<ModelNotPublishableException>(async () => await registry.ActivateAsync(release.Key, "ops", "launch"));
    }

    [Fact]
    public async Task A_subscriber_that_throws_neither_undoes_an_activation_nor_hides_it_from_the_others()
    {
        var registry = await CreateRegistryAsync(TimeProvider.System);
        var told = new List<long>();
        registry.Activated += (_, _) => throw new InvalidOperationException("a host's handler failed");
        registry.Activated += (_, a) => told.Add(a.Sequence);
        var release = await PublishApprovedAsync(registry, Key("1.0.0"));

        var activation = await registry.ActivateAsync(release.Key, "ops", "launch");

        Assert.Equal([activation.Sequence], told);
        Assert.Equal(release.Key, (await registry.GetActiveAsync("eu", ModelKind.Scoring))!.Key);
    }

    [Fact]
    public async Task One_person_cannot_approve_both_sides()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var release = await registry.PublishAsync(Release(Key("1.0.0")));
        await registry.ApproveAsync(release.Key, Approval(release, "mia", ApprovalSide.Marketing));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.ApproveAsync(release.Key, Approval(release, "MIA", ApprovalSide.Sales)));
        var again = await registry.ApproveAsync(release.Key, Approval(release, "mia", ApprovalSide.Marketing));

        Assert.Single(again.Approvals);
        await Assert.ThrowsAsync<ModelNotPublishableException>(async () => await registry.ActivateAsync(release.Key, "ops", "launch"));
    }

    [Fact]
    public async Task An_edit_voids_the_approvals_and_an_approval_of_other_content_is_refused()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var key = Key("1.0.0");
        var original = await PublishApprovedAsync(registry, key);

        var edited = await registry.PublishAsync(Release(key, revision: 1));

        Assert.NotEqual(original.ContentHash, edited.ContentHash);
        Assert.Equal(2, edited.Approvals.Length);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.ApproveAsync(key, Approval(original, "lee", ApprovalSide.Sales)));
        var afterEdit = await Assert.ThrowsAsync<ModelNotPublishableException>(async () => await registry.ActivateAsync(key, "ops", "launch"));
        Assert.Equal(2, afterEdit.Problems.Length);
        Assert.Contains(afterEdit.Problems, p => p.Contains("by mia was for earlier content and is void", StringComparison.Ordinal));
        Assert.Contains(afterEdit.Problems, p => p.Contains("by sam was for earlier content and is void", StringComparison.Ordinal));

        await registry.ApproveAsync(key, Approval(edited, "mia", ApprovalSide.Marketing));
        var approved = await registry.ApproveAsync(key, Approval(edited, "sam", ApprovalSide.Sales));
        var activation = await registry.ActivateAsync(key, "ops", "launch");
        Assert.Equal((edited.ContentHash, edited.Content, 1L), (activation.ContentHash, activation.Release.Content, activation.Sequence));
        Assert.Equal<ModelApproval>([.. approved.Approvals], [.. activation.Release.Approvals]);
    }

    [Fact]
    public async Task The_stored_release_keeps_its_content_and_every_approval_exactly()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var key = Key("1.0.0", kind: ModelKind.Routing);
        var approved = await PublishApprovedAsync(registry, key);

        var found = await registry.FindAsync(key);

        Assert.NotNull(found);
        Assert.Equal((approved.Content, approved.ContentHash), (found.Content, found.ContentHash));
        Assert.Equal(["mia Marketing mia checked it", "sam Sales sam checked it"], found.Approvals.Select(a => $"{a.ApprovedBy} {a.Side} {a.Comment}"));
        Assert.All(found.Approvals, a => Assert.True(a.ApprovedAt.EqualsExact(T0.AddTicks(1_234_567)), $"{a.ApprovedAt:O}"));
        Assert.Null(await registry.FindAsync(Key("1.0.0", kind: ModelKind.Scoring)));
        Assert.Null(await registry.FindAsync(Key("9.9.9", kind: ModelKind.Routing)));
    }

    [Fact]
    public async Task The_active_release_cannot_be_edited_but_publishing_the_same_content_again_is_harmless()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var key = Key("1.0.0");
        var approved = await PublishApprovedAsync(registry, key);
        await registry.ActivateAsync(key, "ops", "launch");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.PublishAsync(Release(key, revision: 1)));
        var same = await registry.PublishAsync(Release(key));

        Assert.Equal(approved.ContentHash, same.ContentHash);
        Assert.Equal(2, same.Approvals.Length);
        Assert.Equal(approved.ContentHash, (await registry.FindAsync(key))!.ContentHash);
        Assert.Equal(approved.ContentHash, (await registry.GetActiveAsync("eu", ModelKind.Scoring))!.ContentHash);
    }

    [Fact]
    public async Task Publishing_identical_content_twice_keeps_one_release_and_its_approvals()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var key = Key("1.0.0");
        var first = await registry.PublishAsync(Release(key));
        await registry.ApproveAsync(key, Approval(first, "mia", ApprovalSide.Marketing));

        var second = await registry.PublishAsync(Release(key));

        Assert.Equal((first.Content, first.ContentHash), (second.Content, second.ContentHash));
        Assert.Equal("mia", Assert.Single(second.Approvals).ApprovedBy);
        Assert.Single((await registry.FindAsync(key))!.Approvals);
    }

    [Fact]
    public async Task Activating_the_active_release_again_changes_nothing()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var key = Key("1.0.0");
        await PublishApprovedAsync(registry, key);
        var events = new List<ModelActivation>();
        registry.Activated += (_, a) => events.Add(a);
        var first = await registry.ActivateAsync(key, "ops", "launch");

        var again = await registry.ActivateAsync(key, "lee", "once more");

        Assert.Equal((1L, "ops", "launch"), (again.Sequence, again.ActivatedBy, again.Reason));
        Assert.Single(await registry.GetHistoryAsync("eu", ModelKind.Scoring));
        Assert.Equal(first.Sequence, Assert.Single(events).Sequence);
    }

    [Fact]
    public async Task Rollback_returns_to_the_release_active_before_and_the_history_keeps_sequence_who_why_when_and_rollback()
    {
        var time = new FakeTimeProvider(T0);
        var registry = await CreateRegistryAsync(time);
        var v1 = await PublishApprovedAsync(registry, Key("1.0.0"));
        var v2 = await PublishApprovedAsync(registry, Key("2.0.0"));

        await registry.ActivateAsync(v1.Key, "ops", "launch");
        time.Advance(TimeSpan.FromDays(1));
        await registry.ActivateAsync(v2.Key, "ops", "3.3 on Tuesday");
        time.Advance(TimeSpan.FromHours(5));
        var back = await registry.RollbackAsync("eu", ModelKind.Scoring, "lee", "MQL volume collapsed");

        Assert.True(back.IsRollback);
        Assert.Equal((v1.Key, v1.ContentHash, 3L), (back.Key, back.ContentHash, back.Sequence));
        var active = await registry.GetActiveAsync("eu", ModelKind.Scoring);
        Assert.Equal((v1.Key, 3L, true), (active!.Key, active.Sequence, active.IsRollback));
        var history = await registry.GetHistoryAsync("eu", ModelKind.Scoring);
        Assert.Equal(
            ["1 1.0.0 ops launch False", "2 2.0.0 ops 3.3 on Tuesday False", "3 1.0.0 lee MQL volume collapsed True"],
            history.Select(h => $"{h.Sequence} {h.Key.Version} {h.ActivatedBy} {h.Reason} {h.IsRollback}"));
        Assert.Equal([T0, T0.AddDays(1), T0.AddDays(1).AddHours(5)], history.Select(h => h.At));
        Assert.Equal([v1.Content, v2.Content, v1.Content], history.Select(h => h.Release.Content));
    }

    [Fact]
    public async Task A_rollback_repeated_by_the_same_person_for_the_same_reason_is_a_retry_and_a_new_one_undoes_the_activation_before_never_returning_to_a_release_rolled_back_from()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var v1 = await PublishApprovedAsync(registry, Key("1.0.0"));
        var v2 = await PublishApprovedAsync(registry, Key("2.0.0"));
        var v3 = await PublishApprovedAsync(registry, Key("3.0.0"));
        await registry.ActivateAsync(v1.Key, "ops", "launch");
        await registry.ActivateAsync(v2.Key, "ops", "2.0");
        await registry.ActivateAsync(v3.Key, "ops", "3.0");
        int events = 0;
        registry.Activated += (_, _) => Interlocked.Increment(ref events);

        var back = await registry.RollbackAsync("eu", ModelKind.Scoring, "lee", "MQL volume collapsed");
        var retried = await registry.RollbackAsync("eu", ModelKind.Scoring, "Lee", "MQL volume collapsed");

        Assert.Equal((v2.Key, 4L), (back.Key, back.Sequence));
        Assert.Equal((v2.Key, 4L, true), (retried.Key, retried.Sequence, retried.IsRollback));
        Assert.Equal(4, (await registry.GetHistoryAsync("eu", ModelKind.Scoring)).Count);

        // A rollback meant as a new one undoes the activation before: back to 1.0.0, never to 3.0.0, which was rolled back from.
        var further = await registry.RollbackAsync("eu", ModelKind.Scoring, "bo", "2.0 is no better");
        Assert.Equal((v1.Key, 5L), (further.Key, further.Sequence));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.RollbackAsync("eu", ModelKind.Scoring, "bo", "and 1.0?"));
        Assert.Contains("nothing to roll back to", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, events);

        // An activation after rollbacks is undone by the next rollback, as any activation.
        await registry.ActivateAsync(v3.Key, "ops", "3.0 again");
        Assert.Equal(v1.Key, (await registry.RollbackAsync("eu", ModelKind.Scoring, "lee", "still broken")).Key);
    }

    [Fact]
    public async Task Rollback_is_refused_when_nothing_was_active_before()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.RollbackAsync("eu", ModelKind.Scoring, "ops", "nothing yet"));

        var v1 = await PublishApprovedAsync(registry, Key("1.0.0"));
        await registry.ActivateAsync(v1.Key, "ops", "launch");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.RollbackAsync("eu", ModelKind.Scoring, "ops", "undo launch"));
        Assert.IsNotType<ModelNotPublishableException>(ex);
        Assert.Single(await registry.GetHistoryAsync("eu", ModelKind.Scoring));
    }

    [Fact]
    public async Task A_release_that_was_active_cannot_be_edited_so_a_rollback_returns_to_exactly_what_was_active()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var v1 = await PublishApprovedAsync(registry, Key("1.0.0"));
        var v2 = await PublishApprovedAsync(registry, Key("2.0.0"));
        await registry.ActivateAsync(v1.Key, "ops", "launch");
        await registry.ActivateAsync(v2.Key, "ops", "upgrade");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.PublishAsync(Release(v1.Key, revision: 1)));
        Assert.Contains("was active", ex.Message, StringComparison.Ordinal);

        var back = await registry.RollbackAsync("eu", ModelKind.Scoring, "lee", "back");
        Assert.Equal((v1.Key, v1.ContentHash, v1.Content), (back.Key, back.ContentHash, back.Release.Content));
        Assert.Equal(v1.ContentHash, (await registry.FindAsync(v1.Key))!.ContentHash);
    }

    [Fact]
    public async Task Tenants_and_kinds_never_see_each_others_releases()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var eu = await PublishApprovedAsync(registry, Key("1.0.0", tenant: "eu"));
        var us = await PublishApprovedAsync(registry, Key("2.0.0", tenant: "us"));
        await registry.ActivateAsync(eu.Key, "ops", "launch");

        Assert.Null(await registry.FindAsync(Key("1.0.0", tenant: "us")));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await registry.ActivateAsync(Key("1.0.0", tenant: "us"), "ops", "borrow eu's"));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await registry.ApproveAsync(Key("1.0.0", tenant: "us"), Approval(eu, "lee", ApprovalSide.Sales)));
        Assert.Null(await registry.GetActiveAsync("us", ModelKind.Scoring));
        Assert.Null(await registry.GetActiveAsync("eu", ModelKind.Routing));
        Assert.Empty(await registry.GetHistoryAsync("us", ModelKind.Scoring));

        await registry.ActivateAsync(us.Key, "ops", "launch");
        Assert.Equal((eu.Key, 1L), ((await registry.GetActiveAsync("eu", ModelKind.Scoring))!.Key, (await registry.GetActiveAsync("eu", ModelKind.Scoring))!.Sequence));
        Assert.Equal((us.Key, 1L), ((await registry.GetActiveAsync("us", ModelKind.Scoring))!.Key, (await registry.GetActiveAsync("us", ModelKind.Scoring))!.Sequence));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.RollbackAsync("us", ModelKind.Scoring, "ops", "to eu's?"));
    }

    [Fact]
    public async Task The_Activated_event_is_raised_once_per_activation_and_rollback_with_that_activation()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var v1 = await PublishApprovedAsync(registry, Key("1.0.0"));
        var v2 = await PublishApprovedAsync(registry, Key("2.0.0"));
        var events = new List<ModelActivation>();
        registry.Activated += (sender, a) =>
        {
            Assert.Same(registry, sender);
            events.Add(a);
        };

        var a1 = await registry.ActivateAsync(v1.Key, "ops", "launch");
        var a2 = await registry.ActivateAsync(v2.Key, "ops", "upgrade");
        var back = await registry.RollbackAsync("eu", ModelKind.Scoring, "lee", "collapse");
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await registry.ActivateAsync(Key("3.0.0"), "ops", "missing"));

        Assert.Equal([a1, a2, back], events);
        Assert.Equal(["1 1.0.0 False", "2 2.0.0 False", "3 1.0.0 True"], events.Select(e => $"{e.Sequence} {e.Key.Version} {e.IsRollback}"));
    }

    [Fact]
    public async Task Eight_tasks_activating_two_releases_leave_a_gap_free_history_ending_with_the_active_one()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var releases = new[] { await PublishApprovedAsync(registry, Key("1.0.0")), await PublishApprovedAsync(registry, Key("2.0.0")) };
        var events = new ConcurrentBag<ModelActivation>();
        registry.Activated += (_, a) => events.Add(a);
        using var start = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            start.Wait();
            for (int i = 0; i < 10; i++)
            {
                await registry.ActivateAsync(releases[(t + i) % 2].Key, $"task{t}", $"round {i}");
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(tasks);

        var history = await registry.GetHistoryAsync("eu", ModelKind.Scoring);
        Assert.NotEmpty(history);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(h => h.Sequence));
        for (int i = 1; i < history.Count; i++)
        {
            Assert.NotEqual(history[i - 1].Key, history[i].Key); // activating the active release records nothing
        }

        var active = await registry.GetActiveAsync("eu", ModelKind.Scoring);
        Assert.Equal((history[^1].Key, history[^1].Sequence), (active!.Key, active.Sequence));
        Assert.Equal(history.Select(h => h.Sequence), events.Select(e => e.Sequence).Order());
    }

    [Fact]
    public async Task Invalid_arguments_are_refused()
    {
        var registry = await CreateRegistryAsync(new FakeTimeProvider(T0));
        var key = Key("1.0.0");
        await PublishApprovedAsync(registry, key);

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await registry.PublishAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await registry.ApproveAsync(key, null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await registry.ActivateAsync(key, " ", "launch"));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await registry.ActivateAsync(key, "ops", ""));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await registry.RollbackAsync("", ModelKind.Scoring, "ops", "why"));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await registry.RollbackAsync("eu", ModelKind.Scoring, "ops", " "));
        Assert.Null(await registry.GetActiveAsync("eu", ModelKind.Scoring));
    }
}
