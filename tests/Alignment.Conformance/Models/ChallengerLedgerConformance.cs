using Alignment.Leads;
using Alignment.Models.Challengers;
using Alignment.Models.Registry;
using Alignment.Scoring;
using Alignment.Scoring.Backtesting;

namespace Alignment.Conformance.Models;

/// <summary>
/// The <see cref="IChallengerLedger"/> contract, written once: a round trip keeps every figure and instant exactly, the latest pair
/// of a lead wins until its outcome arrives, an outcome may come before the pair, detaching or re-attaching clears the comparison and
/// refuses batches of the earlier attachment, a later champion starts it again and an earlier one is refused, tenants are apart,
/// and two ledgers on one store (two hosts) see each other's writes.
/// </summary>
public abstract class ChallengerLedgerConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 30, 0, TimeSpan.FromHours(2));

    /// <summary>Makes two ledgers on one new, empty store (for an in-memory ledger, the same instance twice).</summary>
    protected abstract Task<(IChallengerLedger First, IChallengerLedger Second)> CreateLedgersAsync();

    private async Task<IChallengerLedger> CreateLedgerAsync() => (await CreateLedgersAsync()).First;

    private static ChallengerAttachment Attachment(string tenant = "eu", string version = "2.0.0", long championSequence = 3, int minute = 0) =>
        new(new ReleaseKey(tenant, ModelKind.Scoring, "fit", version), new ReleaseKey(tenant, ModelKind.Scoring, "fit", "1.0.0"), championSequence,
            T0.AddMinutes(minute).AddTicks(1_234_567), "mia");

    private static ChallengerScore Score(long total, Grade grade = Grade.B, QualificationState state = QualificationState.NotQualified) =>
        new(total, total / 3, grade, state);

    private static ChallengerObservation Pair(string lead, long champion, long challenger, int minute = 0) =>
        new(new LeadId(lead), Score(champion), Score(challenger, Grade.AMinus, QualificationState.MarketingQualified), T0.AddMinutes(minute).AddTicks(7));

    private static ChallengerOutcome Closed(string lead, BacktestOutcome outcome, int day = 10) =>
        new(new LeadId(lead), outcome, new DateTimeOffset(2026, 6, day, 12, 0, 0, TimeSpan.FromHours(-5)).AddTicks(3));

    [Fact]
    public async Task A_batch_reads_back_exactly_ordered_by_lead_id()
    {
        var ledger = await CreateLedgerAsync();
        var attachment = Attachment();
        await ledger.AttachAsync(attachment);
        var hot = new ChallengerObservation(new LeadId("lead-b"), Score(-1250, Grade.APlus, QualificationState.Hot), Score(987_654_321_012, Grade.F, QualificationState.NotQualified), T0.AddTicks(1));
        Assert.True(await ledger.RecordAsync(attachment, [Pair("lead-c", 4200, 5100), hot, Pair("Lead-a", 100, 200)], [Closed("lead-c", BacktestOutcome.Won)]));

        var read = await ledger.ReadAsync("eu");
        Assert.NotNull(read);
        Assert.Equal(attachment, read.Attachment);
        Assert.Equal(attachment.AttachedAt.Offset, read.Attachment.AttachedAt.Offset);
        Assert.Equal(attachment, await ledger.GetAttachmentAsync("eu"));
        Assert.Equal(["Lead-a", "lead-b", "lead-c"], read.Leads.Select(l => l.Lead.Value));
        var b = read.Leads[1];
        Assert.Equal((hot.Champion, hot.Challenger, hot.ScoredAt, BacktestOutcome.Open, (DateTimeOffset?)null), (b.Champion, b.Challenger, b.ScoredAt, b.Outcome, b.ClosedAt));
        Assert.Equal(hot.ScoredAt.Offset, b.ScoredAt.Offset);
        var c = read.Leads[2];
        Assert.Equal(Pair("lead-c", 4200, 5100).Challenger, c.Challenger);
        Assert.Equal(BacktestOutcome.Won, c.Outcome);
        Assert.Equal(Closed("lead-c", BacktestOutcome.Won).ClosedAt, c.ClosedAt);
        Assert.Equal(TimeSpan.FromHours(-5), c.ClosedAt!.Value.Offset);
    }

    [Fact]
    public async Task The_latest_pair_of_a_lead_wins_until_its_outcome_arrives()
    {
        var ledger = await CreateLedgerAsync();
        var attachment = Attachment();
        await ledger.AttachAsync(attachment);
        await ledger.RecordAsync(attachment, [Pair("a", 10, 20, minute: 1), Pair("a", 11, 21, minute: 2)], []);
        await ledger.RecordAsync(attachment, [Pair("a", 12, 22, minute: 3), Pair("b", 1, 2)], []);
        Assert.Equal(Pair("a", 12, 22, minute: 3), Observation((await ledger.ReadAsync("eu"))!.Leads[0]));

        // Another host's batch arriving later with an older pair of the lead does not replace the newer one.
        await ledger.RecordAsync(attachment, [Pair("a", 50, 60, minute: 2)], []);
        Assert.Equal(Pair("a", 12, 22, minute: 3), Observation((await ledger.ReadAsync("eu"))!.Leads[0]));

        await ledger.RecordAsync(attachment, [], [Closed("a", BacktestOutcome.Lost)]);
        await ledger.RecordAsync(attachment, [Pair("a", 99, 99, minute: 9)], []);
        var a = (await ledger.ReadAsync("eu"))!.Leads[0];
        Assert.Equal(Pair("a", 12, 22, minute: 3), Observation(a));
        Assert.Equal(BacktestOutcome.Lost, a.Outcome);

        // Re-opened: the pair follows the scores again, and the closing time goes.
        await ledger.RecordAsync(attachment, [], [Closed("a", BacktestOutcome.Open)]);
        await ledger.RecordAsync(attachment, [Pair("a", 13, 23, minute: 4)], []);
        a = (await ledger.ReadAsync("eu"))!.Leads[0];
        Assert.Equal((Pair("a", 13, 23, minute: 4), BacktestOutcome.Open, (DateTimeOffset?)null), (Observation(a), a.Outcome, a.ClosedAt));
    }

    [Fact]
    public async Task An_outcome_before_the_first_pair_waits_for_it_and_a_batch_applies_pairs_before_outcomes()
    {
        var ledger = await CreateLedgerAsync();
        var attachment = Attachment();
        await ledger.AttachAsync(attachment);
        Assert.True(await ledger.RecordAsync(attachment, [], [Closed("early", BacktestOutcome.Disqualified), Closed("early", BacktestOutcome.Won, day: 11)]));
        Assert.Empty((await ledger.ReadAsync("eu"))!.Leads);

        await ledger.RecordAsync(attachment, [Pair("early", 5, 6), Pair("same-batch", 7, 8)], [Closed("same-batch", BacktestOutcome.Lost)]);
        var leads = (await ledger.ReadAsync("eu"))!.Leads;
        Assert.Equal((Pair("early", 5, 6), BacktestOutcome.Won, Closed("x", BacktestOutcome.Won, day: 11).ClosedAt), (Observation(leads[0]), leads[0].Outcome, leads[0].ClosedAt));
        Assert.Equal((Pair("same-batch", 7, 8), BacktestOutcome.Lost), (Observation(leads[1]), leads[1].Outcome));
    }

    [Fact]
    public async Task Detaching_or_attaching_again_clears_the_comparison_and_refuses_batches_of_the_earlier_attachment()
    {
        var ledger = await CreateLedgerAsync();
        var first = Attachment();
        await ledger.AttachAsync(first);
        await ledger.RecordAsync(first, [Pair("a", 1, 2)], [Closed("a", BacktestOutcome.Won)]);

        var again = Attachment(minute: 5);
        await ledger.AttachAsync(again);
        Assert.Equal(again, (await ledger.ReadAsync("eu"))!.Attachment);
        Assert.Empty((await ledger.ReadAsync("eu"))!.Leads);
        Assert.False(await ledger.RecordAsync(first, [Pair("b", 1, 2)], []));
        Assert.Empty((await ledger.ReadAsync("eu"))!.Leads);

        Assert.True(await ledger.RecordAsync(again, [Pair("c", 1, 2)], []));
        Assert.True(await ledger.DetachAsync("eu"));
        Assert.False(await ledger.DetachAsync("eu"));
        Assert.Null(await ledger.ReadAsync("eu"));
        Assert.Null(await ledger.GetAttachmentAsync("eu"));
        Assert.False(await ledger.RecordAsync(again, [Pair("d", 1, 2)], []));

        await ledger.AttachAsync(again);
        Assert.Empty((await ledger.ReadAsync("eu"))!.Leads);
    }

    [Fact]
    public async Task A_batch_beside_a_later_champion_starts_the_comparison_again_and_one_beside_an_earlier_champion_is_refused()
    {
        var ledger = await CreateLedgerAsync();
        var attachment = Attachment(championSequence: 3);
        await ledger.AttachAsync(attachment);
        await ledger.RecordAsync(attachment, [Pair("a", 1, 2)], [Closed("a", BacktestOutcome.Won)]);

        var later = attachment with { Champion = new ReleaseKey("eu", ModelKind.Scoring, "fit", "1.1.0"), ChampionSequence = 4 };
        Assert.True(await ledger.RecordAsync(later, [Pair("b", 3, 4)], []));
        var read = (await ledger.ReadAsync("eu"))!;
        Assert.Equal(later, read.Attachment);
        Assert.Equal(["b"], read.Leads.Select(l => l.Lead.Value));

        Assert.False(await ledger.RecordAsync(attachment, [Pair("c", 1, 2)], []));
        Assert.Equal(["b"], (await ledger.ReadAsync("eu"))!.Leads.Select(l => l.Lead.Value));
    }

    [Fact]
    public async Task Tenants_are_apart()
    {
        var ledger = await CreateLedgerAsync();
        var eu = Attachment("eu");
        var us = Attachment("us", version: "3.0.0");
        await ledger.AttachAsync(eu);
        await ledger.AttachAsync(us);
        await ledger.RecordAsync(eu, [Pair("a", 1, 2)], [Closed("a", BacktestOutcome.Won)]);
        await ledger.RecordAsync(us, [Pair("a", 5, 6)], []);

        Assert.Equal((Pair("a", 5, 6), BacktestOutcome.Open), ((Observation((await ledger.ReadAsync("us"))!.Leads[0])), (await ledger.ReadAsync("us"))!.Leads[0].Outcome));
        Assert.False(await ledger.RecordAsync(eu with { Challenger = eu.Challenger with { Tenant = "apac" }, Champion = eu.Champion with { Tenant = "apac" } }, [Pair("z", 1, 1)], []));
        Assert.True(await ledger.DetachAsync("us"));
        Assert.Equal(Pair("a", 1, 2), Observation((await ledger.ReadAsync("eu"))!.Leads[0]));
        Assert.Null(await ledger.ReadAsync("us"));
        Assert.Null(await ledger.ReadAsync("apac"));
    }

    [Fact]
    public async Task Two_ledgers_on_one_store_see_each_others_writes()
    {
        var (first, second) = await CreateLedgersAsync();
        var attachment = Attachment();
        await first.AttachAsync(attachment);
        Assert.Equal(attachment, await second.GetAttachmentAsync("eu"));
        Assert.True(await second.RecordAsync(attachment, [Pair("a", 1, 2)], []));
        Assert.True(await first.RecordAsync(attachment, [Pair("b", 3, 4)], [Closed("a", BacktestOutcome.Won)]));

        foreach (var ledger in new[] { first, second })
        {
            var leads = (await ledger.ReadAsync("eu"))!.Leads;
            Assert.Equal(["a", "b"], leads.Select(l => l.Lead.Value));
            Assert.Equal(BacktestOutcome.Won, leads[0].Outcome);
        }

        Assert.True(await second.DetachAsync("eu"));
        Assert.Null(await first.ReadAsync("eu"));
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_entry()
    {
        var ledger = await CreateLedgerAsync();
        var attachment = Attachment();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await ledger.AttachAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.AttachAsync(attachment with { AttachedBy = " " }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.AttachAsync(attachment with { Champion = attachment.Champion with { Tenant = "us" } }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.ReadAsync(" "));
        await ledger.AttachAsync(attachment);
        var noLead = await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.RecordAsync(attachment, [Pair("a", 1, 2), default], []));
        Assert.Contains("Observation 1 names no lead", noLead.Message, StringComparison.Ordinal);
        var badOutcome = await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.RecordAsync(attachment, [], [new ChallengerOutcome(new LeadId("a"), (BacktestOutcome)9, null)]));
        Assert.Contains("Outcome 0 (lead a): outcome 9 is not defined", badOutcome.Message, StringComparison.Ordinal);
        Assert.Empty((await ledger.ReadAsync("eu"))!.Leads);
    }

    private static ChallengerObservation Observation(ChallengerLead lead) => new(lead.Lead, lead.Champion, lead.Challenger, lead.ScoredAt);
}
