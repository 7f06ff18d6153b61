using Alignment.Conformance.Leads;
using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

/// <summary>The in-memory lead document store against the <see cref="ILeadDocumentStore"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryLeadDocumentStoreTests : LeadDocumentStoreConformance
{
    protected override Task<ILeadDocumentStore> CreateStoreAsync() => Task.FromResult<ILeadDocumentStore>(new InMemoryLeadDocumentStore());
}

/// <summary>What only the in-memory store does: it keeps the JSON as UTF-8 and reads back an equal string.</summary>
public sealed class InMemoryLeadDocumentTextTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.FromHours(1));

    public static TheoryData<string> Texts() => new()
    {
        "{\"name\":\"Zoë Ångström\",\"city\":\"東京\",\"emoji\":\"\U0001F680\"}",
        "{}",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task A_saved_document_reads_back_with_the_same_text_version_and_time(string json)
    {
        var store = new InMemoryLeadDocumentStore();
        var id = new LeadId("l1");
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(new LeadDocument(id, 1, json, T0), 0, null));

        var found = await store.FindAsync(id);
        Assert.NotNull(found);
        Assert.Equal((id, 1L, json, T0, T0.Offset), (found.LeadId, found.Version, found.Json, found.UpdatedAt, found.UpdatedAt.Offset));
        var listed = Assert.Single(await store.ListAsync().ToListAsync());
        Assert.Equal(json, listed.Json);
    }

    [Fact]
    public async Task A_document_that_is_not_valid_utf16_reads_back_unchanged()
    {
        // Built in code: a lone surrogate in an attribute argument would reach the test already replaced by U+FFFD.
        string json = "{\"broken\":\"" + '\uD800' + " lone high surrogate\",\"low\":\"" + '\uDC00' + "\"}";
        Assert.Equal('\uD800', json[11]);
        var store = new InMemoryLeadDocumentStore();
        var id = new LeadId("l1");
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(new LeadDocument(id, 1, json, T0), 0, null));

        Assert.Equal(json, (await store.FindAsync(id))!.Json);
        Assert.Equal(json, Assert.Single(await store.ListAsync().ToListAsync()).Json);
    }
}

/// <summary>
/// The contract again, over a store that implements only the interface's required members: <see cref="ILeadDocumentStore.AddOrFindAsync"/>
/// is then the interface's default, made of <see cref="ILeadDocumentStore.FindAsync"/> and <see cref="ILeadDocumentStore.SaveAsync"/>.
/// </summary>
public sealed class DefaultAddOrFindLeadDocumentStoreTests : LeadDocumentStoreConformance
{
    protected override Task<ILeadDocumentStore> CreateStoreAsync() => Task.FromResult<ILeadDocumentStore>(new RequiredMembersOnly(new InMemoryLeadDocumentStore()));

    [Fact]
    public async Task A_store_that_never_finds_what_conflicts_ends_the_default_after_five_attempts()
    {
        var inner = new InMemoryLeadDocumentStore();
        await inner.SaveAsync(new LeadDocument(new LeadId("a"), 1, "{}", DateTimeOffset.UnixEpoch), 0, null);
        ILeadDocumentStore blind = new RequiredMembersOnly(inner) { Blind = true };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await blind.AddOrFindAsync(new LeadDocument(new LeadId("a"), 1, "{}", DateTimeOffset.UnixEpoch)));

        Assert.Contains("Lead a", ex.Message, StringComparison.Ordinal);
    }

    private sealed class RequiredMembersOnly(ILeadDocumentStore inner) : ILeadDocumentStore
    {
        /// <summary>Finds nothing (a store whose reads and writes disagree).</summary>
        public bool Blind { get; init; }

        public ValueTask<LeadDocument?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
            Blind ? ValueTask.FromResult<LeadDocument?>(null) : inner.FindAsync(leadId, cancellationToken);

        public ValueTask<IngestReceipt?> FindReceiptAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.FindReceiptAsync(idempotencyKey, cancellationToken);

        public ValueTask<LeadDocumentSave> SaveAsync(LeadDocument document, long expectedVersion, IngestReceipt? receipt, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(document, expectedVersion, receipt, cancellationToken);

        public ValueTask<IngestKeyClaim> ClaimKeyAsync(string idempotencyKey, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken = default) =>
            inner.ClaimKeyAsync(idempotencyKey, now, hold, cancellationToken);

        public ValueTask<bool> ReleaseKeyAsync(string idempotencyKey, DateTimeOffset claimedUntil, CancellationToken cancellationToken = default) =>
            inner.ReleaseKeyAsync(idempotencyKey, claimedUntil, cancellationToken);

        public ValueTask<int> PurgeReceiptsAsync(DateTimeOffset answeredBefore, int max, CancellationToken cancellationToken = default) =>
            inner.PurgeReceiptsAsync(answeredBefore, max, cancellationToken);

        public IAsyncEnumerable<LeadDocument> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
