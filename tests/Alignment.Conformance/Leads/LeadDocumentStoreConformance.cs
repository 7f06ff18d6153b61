using Alignment.Leads;

namespace Alignment.Conformance.Leads;

/// <summary>
/// The <see cref="ILeadDocumentStore"/> contract, written once: optimistic versions, receipts saved with their document in one
/// unit, idempotency keys checked first, exact round trips of the JSON and the times (offset included), listing, argument checks,
/// concurrency and cancellation. Every backend's test project derives one class from it and says how to make an empty store.
/// </summary>
public abstract class LeadDocumentStoreConformance
{
    // A non-UTC offset and sub-microsecond ticks: a store keeps the instant and its offset exactly, as the CRM sent them.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);

    /// <summary>Makes a new, empty store (its own schema, table or instance): no two tests share one.</summary>
    protected abstract Task<ILeadDocumentStore> CreateStoreAsync();

    private static LeadDocument Doc(string lead, long version, string json = """{"name":"Ada"}""") =>
        new(new LeadId(lead), version, json, T0.AddMinutes(version));

    private static IngestReceipt Receipt(string key, string lead, string response = """{"status":"accepted"}""") =>
        new(key, new LeadId(lead), "sha256:" + key, response, T0.AddSeconds(1));

    private static void AssertExact(LeadDocument expected, LeadDocument? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.LeadId, expected.Version, expected.Json), (actual.LeadId, actual.Version, actual.Json));
        Assert.Equal(expected.UpdatedAt.UtcTicks, actual.UpdatedAt.UtcTicks);
        Assert.Equal(expected.UpdatedAt.Offset, actual.UpdatedAt.Offset);
    }

    private static void AssertExact(IngestReceipt expected, IngestReceipt? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            (expected.IdempotencyKey, expected.LeadId, expected.RequestHash, expected.ResponseJson),
            (actual.IdempotencyKey, actual.LeadId, actual.RequestHash, actual.ResponseJson));
        Assert.Equal(expected.At.UtcTicks, actual.At.UtcTicks);
        Assert.Equal(expected.At.Offset, actual.At.Offset);
    }

    private static async Task<List<LeadDocument>> ListAllAsync(ILeadDocumentStore store)
    {
        var all = new List<LeadDocument>();
        await foreach (var d in store.ListAsync())
        {
            all.Add(d);
        }

        return all;
    }

    [Fact]
    public async Task An_unknown_lead_and_an_unknown_key_are_not_found()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.FindAsync(new LeadId("nobody")));
        Assert.Null(await store.FindReceiptAsync("no-such-key"));
        Assert.Empty(await ListAllAsync(store));
    }

    [Fact]
    public async Task A_saved_document_is_found_exactly_as_written()
    {
        var store = await CreateStoreAsync();
        // Non-ASCII text, escapes, odd white space and key order: the store keeps the JSON text as given, not a re-serialisation.
        const string Json = "{ \"name\": \"Zoë Ångström-Øre\",  \"company\":\"Müller & Söhne GmbH\", \"note\":\"日本語 テキスト 🚀\",\n\t\"esc\":\"a\\\"b\\u00e9\", \"a\": 1.50 }";
        var first = new LeadDocument(new LeadId("lead-ü"), 1, Json, T0);

        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(first, 0, null));

        var found = await store.FindAsync(new LeadId("lead-ü"));
        AssertExact(first, found);
        Assert.True(found!.UpdatedAt.EqualsExact(T0));
        Assert.Equal(first, found);
    }

    [Fact]
    public async Task A_document_made_from_utf8_is_found_with_the_same_text_and_bytes()
    {
        var store = await CreateStoreAsync();
        const string Json = "{ \"name\": \"Zoë Ångström\", \"note\":\"日本語 🚀\", \"esc\":\"a\\\"b\" }";
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(Json);
        var first = new LeadDocument(new LeadId("u"), 1, utf8, T0);
        Assert.True(first.IsUtf8);

        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(first, 0, null));
        Assert.Null(await store.AddOrFindAsync(new LeadDocument(new LeadId("u2"), 1, utf8.AsMemory(), T0)));
        // A blank document is refused in either form.
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.SaveAsync(new LeadDocument(new LeadId("u3"), 1, " \n"u8.ToArray(), T0), 0, null));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.SaveAsync(new LeadDocument(new LeadId("u3"), 1, ReadOnlyMemory<byte>.Empty, T0), 0, null));

        foreach (string lead in new[] { "u", "u2" })
        {
            var found = await store.FindAsync(new LeadId(lead));
            Assert.NotNull(found);
            Assert.Equal(Json, found.Json);
            Assert.Equal(utf8, found.Utf8Json.ToArray());
            Assert.Equal(first with { LeadId = new LeadId(lead) }, found);
        }

        Assert.Null(await store.FindAsync(new LeadId("u3")));
    }

    [Fact]
    public async Task Each_save_moves_the_version_on_by_one()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("a", 1), 0, null));
        var second = Doc("a", 2, """{"name":"Ada","stage":"mql"}""") with { UpdatedAt = new DateTimeOffset(2026, 3, 3, 8, 15, 0, TimeSpan.FromHours(-7)).AddTicks(9) };

        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(second, 1, null));
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("a", 3, """{"v":3}"""), 2, null));

        AssertExact(Doc("a", 3, """{"v":3}"""), await store.FindAsync(new LeadId("a")));
    }

    [Fact]
    public async Task The_first_save_needs_expected_version_zero()
    {
        var store = await CreateStoreAsync();

        // A writer that thinks the lead exists, for a lead never saved: nothing is saved.
        Assert.Equal(LeadDocumentSave.VersionConflict, await store.SaveAsync(Doc("new", 2), 1, null));
        Assert.Equal(LeadDocumentSave.VersionConflict, await store.SaveAsync(Doc("new", 6), 5, Receipt("k-new", "new")));
        Assert.Null(await store.FindAsync(new LeadId("new")));
        Assert.Null(await store.FindReceiptAsync("k-new"));

        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("new", 1), 0, null));
    }

    [Fact]
    public async Task A_stale_version_conflicts_and_nothing_is_saved()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("b", 1), 0, null));
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("b", 2, """{"winner":true}"""), 1, null));

        // Two hosts read version 1; the second one to save loses, and its receipt is not kept either.
        Assert.Equal(LeadDocumentSave.VersionConflict, await store.SaveAsync(Doc("b", 2, """{"loser":true}"""), 1, Receipt("k-lost", "b")));
        Assert.Equal(LeadDocumentSave.VersionConflict, await store.SaveAsync(Doc("b", 1, """{"loser":true}"""), 0, null)); // thinks the lead is new
        Assert.Equal(LeadDocumentSave.VersionConflict, await store.SaveAsync(Doc("b", 4, """{"ahead":true}"""), 3, null)); // a version never stored

        AssertExact(Doc("b", 2, """{"winner":true}"""), await store.FindAsync(new LeadId("b")));
        Assert.Null(await store.FindReceiptAsync("k-lost"));

        // The key of the save that lost is free: the retry that read again uses it.
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("b", 3, """{"retried":true}"""), 2, Receipt("k-lost", "b")));
        AssertExact(Receipt("k-lost", "b"), await store.FindReceiptAsync("k-lost"));
    }

    [Fact]
    public async Task A_receipt_is_saved_with_its_document_and_found_by_its_key()
    {
        var store = await CreateStoreAsync();
        var receipt = new IngestReceipt("key-1", new LeadId("c"), "sha256:abc", """{"leadId":"c","grade":"Ä","score":72}""", new DateTimeOffset(2026, 3, 2, 23, 59, 59, TimeSpan.FromMinutes(-150)).AddTicks(1));

        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("c", 1), 0, receipt));

        AssertExact(receipt, await store.FindReceiptAsync("key-1"));
        AssertExact(Doc("c", 1), await store.FindAsync(new LeadId("c")));
        Assert.Null(await store.FindReceiptAsync("KEY-1")); // keys are compared exactly
    }

    [Fact]
    public async Task The_same_key_again_is_refused_and_changes_nothing()
    {
        var store = await CreateStoreAsync();
        var receipt = Receipt("key-2", "d");
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("d", 1), 0, receipt));

        // A repeat of the request, even one that would otherwise save (right version): the key is checked first.
        Assert.Equal(LeadDocumentSave.ReceiptExists, await store.SaveAsync(Doc("d", 2, """{"repeat":true}"""), 1, Receipt("key-2", "d", """{"other":1}""")));
        // A repeat that is also stale is still recognised as a repeat.
        Assert.Equal(LeadDocumentSave.ReceiptExists, await store.SaveAsync(Doc("d", 1, """{"repeat":true}"""), 0, receipt));

        AssertExact(Doc("d", 1), await store.FindAsync(new LeadId("d")));
        AssertExact(receipt, await store.FindReceiptAsync("key-2"));

        // A save without a key, or with a new one, goes on as usual.
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("d", 2), 1, null));
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("d", 3), 2, Receipt("key-3", "d")));
    }

    [Fact]
    public async Task A_key_used_for_one_lead_is_refused_for_another_lead()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("e1", 1), 0, Receipt("shared", "e1")));

        Assert.Equal(LeadDocumentSave.ReceiptExists, await store.SaveAsync(Doc("e2", 1), 0, Receipt("shared", "e2")));

        Assert.Null(await store.FindAsync(new LeadId("e2")));
        Assert.Equal(new LeadId("e1"), (await store.FindReceiptAsync("shared"))!.LeadId);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_and_save_nothing()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.SaveAsync(null!, 0, null));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.FindReceiptAsync(null!));
        // The version must be the expected version + 1.
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.SaveAsync(Doc("f", 2), 0, null));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.SaveAsync(Doc("f", 1), 1, null));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.SaveAsync(Doc("f", 0), -1, null));
        // No JSON.
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.SaveAsync(Doc("f", 1, string.Empty), 0, null));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.SaveAsync(Doc("f", 1, "  "), 0, null));
        // A receipt for another lead, or with an empty key.
        var other = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SaveAsync(Doc("f", 1), 0, Receipt("k-f", "g")));
        Assert.Equal("receipt", other.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SaveAsync(Doc("f", 1), 0, Receipt(string.Empty, "f")));

        Assert.Null(await store.FindAsync(new LeadId("f")));
        Assert.Null(await store.FindReceiptAsync("k-f"));
        Assert.Empty(await ListAllAsync(store));
    }

    [Fact]
    public async Task Listing_returns_every_document_once_at_its_latest_version()
    {
        var store = await CreateStoreAsync();
        for (int i = 0; i < 25; i++)
        {
            Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("lead-" + i, 1), 0, i % 2 == 0 ? Receipt("k" + i, "lead-" + i) : null));
            if (i % 5 == 0)
            {
                Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("lead-" + i, 2, """{"moved":true}"""), 1, null));
            }
        }

        var all = await ListAllAsync(store);

        Assert.Equal(25, all.Count);
        Assert.Equal(25, all.Select(d => d.LeadId).Distinct().Count());
        Assert.Equal(5, all.Count(d => d.Version == 2 && d.Json == """{"moved":true}"""));
        AssertExact(Doc("lead-5", 2, """{"moved":true}"""), all.Single(d => d.LeadId == new LeadId("lead-5")));
        AssertExact(Doc("lead-7", 1), all.Single(d => d.LeadId == new LeadId("lead-7")));
    }

    [Fact]
    public async Task AddOrFind_adds_a_new_lead_and_answers_a_stored_one_with_its_document_saving_nothing()
    {
        var store = await CreateStoreAsync();
        var first = Doc("a", 1);

        Assert.Null(await store.AddOrFindAsync(first));
        AssertExact(first, await store.FindAsync(new LeadId("a")));

        // Another first document of the same lead: the stored one comes back, and it is kept unchanged.
        AssertExact(first, await store.AddOrFindAsync(Doc("a", 1, """{"name":"Grace"}""")));
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("a", 2), 1, null));
        AssertExact(Doc("a", 2), await store.AddOrFindAsync(Doc("a", 1, """{"name":"Grace"}""")));
        AssertExact(Doc("a", 2), Assert.Single(await ListAllAsync(store)));
    }

    [Fact]
    public async Task AddOrFind_at_once_for_one_lead_adds_it_once_and_the_others_get_that_document()
    {
        var store = await CreateStoreAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.AddOrFindAsync(Doc("a", 1, $$"""{"writer":{{i}}}""")))));

        Assert.Single(answers, a => a is null);
        var stored = await store.FindAsync(new LeadId("a"));
        Assert.All(answers.Where(a => a is not null), a => AssertExact(stored!, a));
        Assert.Single(await ListAllAsync(store));
    }

    [Fact]
    public async Task AddOrFind_refuses_a_document_that_is_not_a_first_one()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AddOrFindAsync(Doc("a", 2)));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.AddOrFindAsync(null!));
        Assert.Null(await store.FindAsync(new LeadId("a")));
    }

    [Fact]
    public async Task Concurrent_saves_of_one_lead_from_one_version_exactly_one_wins_each_time()
    {
        var store = await CreateStoreAsync();
        var id = new LeadId("h");

        // Eight hosts see a new lead at once: one adds it, each with its own key; only the winner's receipt is kept.
        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.SaveAsync(Doc("h", 1, $$"""{"host":{{i}}}"""), 0, Receipt("first-" + i, "h")))));
        Assert.Single(first, r => r == LeadDocumentSave.Saved);
        Assert.All(first, r => Assert.NotEqual(LeadDocumentSave.ReceiptExists, r));
        int winner = Array.IndexOf(first, LeadDocumentSave.Saved);
        AssertExact(Doc("h", 1, $$"""{"host":{{winner}}}"""), await store.FindAsync(id));
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(i == winner, await store.FindReceiptAsync("first-" + i) is not null);
        }

        // Then they race to move it on from version 1: one wins again, and its document is what is stored.
        var second = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.SaveAsync(Doc("h", 2, $$"""{"move":{{i}}}"""), 1, null))));
        Assert.Single(second, r => r == LeadDocumentSave.Saved);
        Assert.All(second, r => Assert.NotEqual(LeadDocumentSave.ReceiptExists, r));
        AssertExact(Doc("h", 2, $$"""{"move":{{Array.IndexOf(second, LeadDocumentSave.Saved)}}}"""), await store.FindAsync(id));
    }

    [Fact]
    public async Task Concurrent_saves_with_one_key_for_different_leads_exactly_one_wins()
    {
        var store = await CreateStoreAsync();

        // The same request delivered to eight instances at once, each building another lead's document: one answers it.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.SaveAsync(Doc("k-" + i, 1), 0, Receipt("one-key", "k-" + i)))));

        Assert.Single(results, r => r == LeadDocumentSave.Saved);
        Assert.All(results, r => Assert.NotEqual(LeadDocumentSave.VersionConflict, r));
        int winner = Array.IndexOf(results, LeadDocumentSave.Saved);
        Assert.Equal(new LeadId("k-" + winner), (await store.FindReceiptAsync("one-key"))!.LeadId);
        var stored = await ListAllAsync(store);
        Assert.Equal(new LeadId("k-" + winner), Assert.Single(stored).LeadId);
    }

    [Fact]
    public async Task Every_call_honours_cancellation_and_a_cancelled_save_saves_nothing()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("i", 1), 0, Receipt("k-i", "i")));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SaveAsync(Doc("j", 1), 0, Receipt("k-j", "j"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SaveAsync(Doc("i", 2), 1, null, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindAsync(new LeadId("i"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindReceiptAsync("k-i", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in store.ListAsync(cancelled.Token))
            {
            }
        });

        Assert.Null(await store.FindAsync(new LeadId("j")));
        Assert.Null(await store.FindReceiptAsync("k-j"));
        AssertExact(Doc("i", 1), await store.FindAsync(new LeadId("i")));
    }

    [Fact]
    public async Task A_claimed_key_is_pending_for_others_until_its_receipt_is_saved_then_answered()
    {
        var store = await CreateStoreAsync();
        var hold = TimeSpan.FromMinutes(2);
        var claim = await store.ClaimKeyAsync("k-c", T0, hold);
        Assert.Equal(IngestKeyClaimStatus.Claimed, claim.Status);
        Assert.Equal((T0 + hold).UtcTicks, claim.PendingUntil!.Value.UtcTicks);

        var other = await store.ClaimKeyAsync("k-c", T0.AddSeconds(1), hold);
        Assert.Equal(IngestKeyClaimStatus.Pending, other.Status);
        Assert.Equal((T0 + hold).UtcTicks, other.PendingUntil!.Value.UtcTicks);
        Assert.Null(await store.FindReceiptAsync("k-c")); // a pending claim is not a receipt

        var receipt = Receipt("k-c", "c");
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("c", 1), 0, receipt));
        AssertExact(receipt, await store.FindReceiptAsync("k-c"));
        var answered = await store.ClaimKeyAsync("k-c", T0.AddSeconds(2), hold);
        Assert.Equal(IngestKeyClaimStatus.Answered, answered.Status);
        AssertExact(receipt, answered.Receipt);

        // An answered key stays answered: a second save with it is refused, and releasing it does nothing.
        Assert.Equal(LeadDocumentSave.ReceiptExists, await store.SaveAsync(Doc("c", 2), 1, receipt));
        Assert.False(await store.ReleaseKeyAsync("k-c", claim.PendingUntil!.Value));
        Assert.Equal(IngestKeyClaimStatus.Answered, (await store.ClaimKeyAsync("k-c", T0.AddSeconds(3), hold)).Status);
    }

    [Fact]
    public async Task A_released_or_lapsed_claim_can_be_claimed_again()
    {
        var store = await CreateStoreAsync();
        var hold = TimeSpan.FromMinutes(2);
        var first = await store.ClaimKeyAsync("k-r", T0, hold);
        Assert.Equal(IngestKeyClaimStatus.Claimed, first.Status);
        Assert.True(await store.ReleaseKeyAsync("k-r", first.PendingUntil!.Value));
        Assert.False(await store.ReleaseKeyAsync("k-r", first.PendingUntil!.Value)); // already dropped
        var second = await store.ClaimKeyAsync("k-r", T0.AddSeconds(1), hold);
        Assert.Equal(IngestKeyClaimStatus.Claimed, second.Status);

        // Its holder crashed: pending until the hold ends, then taken over.
        Assert.Equal(IngestKeyClaimStatus.Pending, (await store.ClaimKeyAsync("k-r", T0.AddSeconds(1) + hold - TimeSpan.FromTicks(10), hold)).Status);
        var taken = await store.ClaimKeyAsync("k-r", T0.AddSeconds(1) + hold, hold);
        Assert.Equal(IngestKeyClaimStatus.Claimed, taken.Status);
        Assert.Equal((T0.AddSeconds(1) + hold + hold).UtcTicks, taken.PendingUntil!.Value.UtcTicks);

        // The crashed holder comes back and fails: its release must not drop the claim that took over from it.
        Assert.False(await store.ReleaseKeyAsync("k-r", second.PendingUntil!.Value));
        Assert.Equal(IngestKeyClaimStatus.Pending, (await store.ClaimKeyAsync("k-r", T0.AddSeconds(2) + hold, hold)).Status);
        Assert.True(await store.ReleaseKeyAsync("k-r", taken.PendingUntil!.Value));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ClaimKeyAsync("k-x", T0, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ClaimKeyAsync(string.Empty, T0, hold));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_key_give_it_to_exactly_one()
    {
        var store = await CreateStoreAsync();
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await store.ClaimKeyAsync("k-race", T0, TimeSpan.FromMinutes(1)))));
        Assert.Single(claims, c => c.Status == IngestKeyClaimStatus.Claimed);
        Assert.Equal(7, claims.Count(c => c.Status == IngestKeyClaimStatus.Pending));
    }

    [Fact]
    public async Task The_receipt_purge_removes_only_answered_receipts_older_than_the_cutoff_oldest_first_and_bounded()
    {
        var store = await CreateStoreAsync();
        for (int i = 0; i < 4; i++)
        {
            var r = new IngestReceipt($"old-{i}", new LeadId($"p{i}"), "h", "{}", T0.AddDays(-10).AddMinutes(i));
            Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc($"p{i}", 1), 0, r));
        }

        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(Doc("q", 1), 0, new IngestReceipt("recent", new LeadId("q"), "h", "{}", T0)));
        Assert.Equal(IngestKeyClaimStatus.Claimed, (await store.ClaimKeyAsync("pending", T0.AddDays(-20), TimeSpan.FromDays(30))).Status);

        Assert.Equal(3, await store.PurgeReceiptsAsync(T0.AddDays(-1), 3));
        Assert.Null(await store.FindReceiptAsync("old-2"));
        Assert.NotNull(await store.FindReceiptAsync("old-3"));
        Assert.Equal(1, await store.PurgeReceiptsAsync(T0.AddDays(-1), 3));
        Assert.Equal(0, await store.PurgeReceiptsAsync(T0.AddDays(-1), 3));
        Assert.NotNull(await store.FindReceiptAsync("recent"));
        Assert.Equal(IngestKeyClaimStatus.Pending, (await store.ClaimKeyAsync("pending", T0, TimeSpan.FromMinutes(1))).Status);
        AssertExact(Doc("p0", 1), await store.FindAsync(new LeadId("p0"))); // documents stay
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.PurgeReceiptsAsync(T0, 0));
    }
}
