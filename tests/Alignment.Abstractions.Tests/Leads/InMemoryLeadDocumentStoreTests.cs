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

/// <summary>A lead document made from text or from UTF-8: both forms, equality, and the in-memory store keeping the bytes it is given.</summary>
public sealed class LeadDocumentFormTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(1));
    private const string Json = "{\"name\":\"Zoë\",\"city\":\"東京\"}";

    [Fact]
    public void Each_form_gives_the_other_and_documents_of_equal_text_are_equal()
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(Json);
        var fromText = new LeadDocument(new LeadId("a"), 1, Json, T0);
        var fromUtf8 = new LeadDocument(new LeadId("a"), 1, utf8, T0);

        Assert.False(fromText.IsUtf8);
        Assert.True(fromUtf8.IsUtf8);
        Assert.Equal(Json, fromUtf8.Json);
        Assert.Same(fromUtf8.Json, fromUtf8.Json); // decoded once
        Assert.Equal(utf8, fromText.Utf8Json.ToArray());
        Assert.Equal(fromText, fromUtf8);
        Assert.Equal(fromText.GetHashCode(), fromUtf8.GetHashCode());
        Assert.NotEqual(fromText, fromUtf8 with { Version = 2 });
        Assert.NotEqual(fromText, new LeadDocument(new LeadId("a"), 1, "{\"name\":\"Zoe\"}"u8.ToArray(), T0));

        // A text set through "with" replaces the bytes.
        var replaced = fromUtf8 with { Json = "{}" };
        Assert.False(replaced.IsUtf8);
        Assert.Equal("{}", replaced.Json);
        Assert.Equal("{}"u8.ToArray(), replaced.Utf8Json.ToArray());
        Assert.Contains("UTF-8 bytes", fromUtf8.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_naming_the_lead()
    {
        var e = Assert.Throws<ArgumentException>(() => new LeadDocument(new LeadId("bad-lead"), 1, new byte[] { (byte)'{', 0xC3, (byte)'}' }, T0));
        Assert.Equal("utf8Json", e.ParamName);
        Assert.Contains("bad-lead", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_in_memory_store_keeps_a_whole_array_as_given_and_copies_a_slice()
    {
        var store = new InMemoryLeadDocumentStore();
        byte[] whole = System.Text.Encoding.UTF8.GetBytes(Json);
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(new LeadDocument(new LeadId("whole"), 1, whole, T0), 0, null));
        var found = (await store.FindAsync(new LeadId("whole")))!;
        Assert.True(found.IsUtf8);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(found.Utf8Json, out var kept));
        Assert.Same(whole, kept.Array); // no copy, no text made

        // A slice of a larger buffer (one a host reuses) is copied: changing the buffer afterwards changes nothing stored.
        byte[] buffer = new byte[whole.Length + 10];
        whole.CopyTo(buffer, 5);
        Assert.Null(await store.AddOrFindAsync(new LeadDocument(new LeadId("slice"), 1, buffer.AsMemory(5, whole.Length), T0)));
        Array.Fill(buffer, (byte)' ');
        var slice = (await store.FindAsync(new LeadId("slice")))!;
        Assert.Equal(Json, slice.Json);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(slice.Utf8Json, out var copy));
        Assert.Equal(whole.Length, copy.Array!.Length);
    }
}
