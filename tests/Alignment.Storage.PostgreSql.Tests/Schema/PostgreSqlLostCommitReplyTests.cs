using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Scoring;
using Alignment.Segmentation;
using Alignment.Storage.PostgreSql.Lifecycle;
using Alignment.Storage.PostgreSql.Nurture;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Schema;

/// <summary>
/// A write whose COMMIT reached the server and succeeded but whose reply was lost with the connection: the store retries it, and
/// the retry must recognise the write the first attempt saved (answer <see langword="true"/>, as the first attempt would have),
/// not report it as another writer's conflict, so the caller still publishes its decision. The loss is simulated through the
/// test seam <see cref="StoreRetry.AfterCommit"/>: it throws the exception Npgsql throws for a broken connection right after the
/// commit succeeded, once.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlLostCommitReplyTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567);
    private static readonly PostgreSqlStoreOptions Retrying = new() { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(5) };

    /// <summary>Makes the next commit of <paramref name="retry"/>'s store lose its reply, after running <paramref name="meanwhile"/> (another writer's work).</summary>
    /// <returns>A counter of the retries the store made.</returns>
    internal static StrongBox<int> LoseNextCommitReply(StoreRetry retry, Action? meanwhile = null)
    {
        var retries = new StrongBox<int>();
        retry.OnRetry = _ => Interlocked.Increment(ref retries.Value);
        int lost = 0;
        retry.AfterCommit = () =>
        {
            if (Interlocked.Exchange(ref lost, 1) == 0)
            {
                meanwhile?.Invoke();
                throw new NpgsqlException("Exception while reading from stream", new IOException("simulated: the connection was lost after the COMMIT was sent"));
            }
        };
        return retries;
    }

    private void Execute(string sql)
    {
        using var conn = db.DataSource.OpenConnection();
        using var cmd = new NpgsqlCommand(sql, conn);
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    private async Task<PostgreSqlNurtureStore> NurtureStoreAsync(string schema)
    {
        var store = new PostgreSqlNurtureStore(db.DataSource, schema, Retrying);
        await store.MigrateAsync();
        return store;
    }

    private static NurtureEnrolmentRecord Enrolment(string lead, int sequence = 1) => new()
    {
        LeadId = new LeadId(lead),
        Sequence = sequence,
        TrackId = "t" + sequence,
        Reason = NurtureEntryReason.WebinarNoShow,
        Segment = new SegmentId("smb"),
        Campaign = "w1",
        EnrolledAt = T0,
        PolicyVersion = "1.0.0",
        NextDueAt = T0,
    };

    [Theory]
    [InlineData("lost", true, true)]      // the connection broke: the server may have committed
    [InlineData("fatal", true, true)]     // the session was ended (57P01), possibly after the commit
    [InlineData("error", true, false)]    // the server answered with an ERROR: the transaction was rolled back
    [InlineData("lost", false, false)]    // the connection broke before the commit was sent
    public async Task StoreWrite_ACommitIsInDoubt_OnlyWhenItWasSentAndNotRefused(string failure, bool committing, bool inDoubt)
    {
        var write = new StoreWrite(new StoreRetry(null));
        Exception ex = failure switch
        {
            "lost" => new NpgsqlException("Exception while reading from stream", new IOException("reset")),
            "fatal" => new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"),
            _ => new PostgresException("could not serialize access due to concurrent update", "ERROR", "ERROR", "40001"),
        };

        await Assert.ThrowsAnyAsync<Exception>(() => write.RunAttemptAsync<bool>(
            (w, _) =>
            {
                if (committing)
                {
                    w.Committing();
                }

                throw ex;
            },
            CancellationToken.None).AsTask());

        Assert.Equal(inDoubt, write.CommitInDoubt is not null);
    }

    [Fact]
    public async Task Nurture_TryInsertAsync_RecognisesItsOwnInsert_EvenAfterItWasClaimed()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = await NurtureStoreAsync(schema);
        var retries = LoseNextCommitReply(store.Retry, () => Execute($"UPDATE {schema}.nurture_enrolment SET version = 2, lease_owner = 'other' WHERE lead_id = 'a'"));

        Assert.True(await store.TryInsertAsync(Enrolment("a")));

        Assert.Equal(1, retries.Value);
        var stored = await store.FindLatestAsync(new LeadId("a"));
        Assert.Equal((1, 2, "other"), (stored!.Sequence, stored.Version, stored.LeaseOwner));
        Assert.False(await store.TryInsertAsync(Enrolment("a") with { EnrolledAt = T0.AddSeconds(1) }), "another writer's insert still conflicts");
    }

    [Fact]
    public async Task Nurture_TryUpdateAsync_RecognisesItsOwnChange()
    {
        var store = await NurtureStoreAsync(PostgreSqlFixture.NewSchema());
        Assert.True(await store.TryInsertAsync(Enrolment("a")));
        var retries = LoseNextCommitReply(store.Retry);
        var paused = Enrolment("a") with { NextDueAt = T0.AddDays(3), NextStep = 1 };

        Assert.True(await store.TryUpdateAsync(paused, expectedVersion: 1));

        Assert.Equal(1, retries.Value);
        var stored = await store.FindLatestAsync(new LeadId("a"));
        Assert.Equal((2, 1), (stored!.Version, stored.NextStep));
    }

    [Fact]
    public async Task Nurture_TryUpdateAsync_WithASuccessor_RecognisesItsOwnTrackChange()
    {
        var store = await NurtureStoreAsync(PostgreSqlFixture.NewSchema());
        Assert.True(await store.TryInsertAsync(Enrolment("a")));
        var retries = LoseNextCommitReply(store.Retry);
        var ended = Enrolment("a") with { Status = NurtureEnrolmentStatus.Ended, NextDueAt = null, EndedAt = T0.AddDays(1), StatusReason = "moved" };

        Assert.True(await store.TryUpdateAsync(ended, expectedVersion: 1, successor: Enrolment("a", 2)));

        Assert.Equal(1, retries.Value);
        var stored = await store.FindLatestAsync(new LeadId("a"));
        Assert.Equal((2, "t2", 1), (stored!.Sequence, stored.TrackId, stored.Version));
    }

    [Fact]
    public async Task Nurture_TryUpdateAsync_AnotherWritersChangeAtThatVersion_IsStillAConflict()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = await NurtureStoreAsync(schema);
        Assert.True(await store.TryInsertAsync(Enrolment("a")));
        LoseNextCommitReply(store.Retry, () => Execute($"UPDATE {schema}.nurture_enrolment SET status_reason = 'another writer' WHERE lead_id = 'a'"));

        Assert.False(await store.TryUpdateAsync(Enrolment("a") with { NextStep = 1 }, expectedVersion: 1));
    }

    [Fact]
    public async Task Nurture_TryUpdateAsync_ChangedAgainBeforeTheRetry_ThrowsNamingTheStoreAndTheLead()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = await NurtureStoreAsync(schema);
        Assert.True(await store.TryInsertAsync(Enrolment("lead-7")));
        var retries = LoseNextCommitReply(store.Retry, () => Execute($"UPDATE {schema}.nurture_enrolment SET version = version + 1, lease_owner = 'other' WHERE lead_id = 'lead-7'"));

        var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.TryUpdateAsync(Enrolment("lead-7") with { NextStep = 1 }, expectedVersion: 1).AsTask());

        Assert.Contains("PostgreSqlNurtureStore.TryUpdateAsync, lead lead-7", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
        Assert.IsType<IOException>(ex.InnerException?.InnerException);
        Assert.Equal(1, retries.Value);
    }

    [Fact]
    public async Task Nurture_TryRecordSentAsync_RecognisesItsOwnRecord()
    {
        var store = await NurtureStoreAsync(PostgreSqlFixture.NewSchema());
        LoseNextCommitReply(store.Retry);
        var sent = new NurtureSentStep("a:1", new LeadId("a"), "t1", 0, "call", NurtureStepKind.RepCallTask, null, T0, "step 1/1");

        Assert.True(await store.TryRecordSentAsync(sent));

        Assert.Single(await store.ListSentAsync(new LeadId("a")));
        Assert.False(await store.TryRecordSentAsync(sent with { Explanation = "again" }));
    }

    [Fact]
    public async Task NurtureEngine_EnrolAsync_PublishesTheEnrolment_WhenTheInsertsCommitReplyIsLost()
    {
        var store = await NurtureStoreAsync(PostgreSqlFixture.NewSchema());
        var time = new FakeTimeProvider(T0);
        var sink = new InMemoryDecisionSink();
        var leads = new InMemoryLeadSnapshotSource();
        var lead = new Lead(new LeadId("e"));
        leads.Put(new LeadSnapshot(lead, ImmutableArray<LeadActivity>.Empty));
        var engine = new NurtureEngine(
            NurturePolicy.Load("""{ "id": "pg", "version": "1", "tracks": [ { "id": "t", "cadenceDays": 7, "onExhausted": "t", "steps": [ { "id": "call", "kind": "repCallTask" } ] } ] }"""),
            new NurtureEngineServices
            {
                Store = store, Lifecycle = new LifecycleRecorder(new InMemoryLifecycleStore(), sink, time), Scorer = new NeverQualifies(),
                Content = new InMemoryNurtureContentLibrary(), StepHandler = new InMemoryNurtureOutbox(), Leads = leads, Decisions = sink, TimeProvider = time,
            },
            new NurtureOptions { InstanceId = "a" });
        var retries = LoseNextCommitReply(store.Retry);

        await engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);

        Assert.Equal(1, retries.Value);
        Assert.Single(sink.Decisions.OfType<AlignmentDecision.Enrolled>());
    }

    [Fact]
    public async Task Nurture_ClaimDueAsync_GetsBackTheEnrolmentsItsLostAttemptLeased()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = await NurtureStoreAsync(schema);
        var due = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        foreach (var (lead, minutes) in new[] { ("a", 1), ("b", 2), ("c", 3) })
        {
            Assert.True(await store.TryInsertAsync(Enrolment(lead) with { NextDueAt = due.AddMinutes(minutes) }));
        }

        // While the reply is lost, another lead falls due earlier than those the first attempt leased.
        var retries = LoseNextCommitReply(store.Retry, () => Assert.True(store.TryInsertAsync(Enrolment("early") with { NextDueAt = due }).AsTask().GetAwaiter().GetResult()));
        var leaseUntil = due.AddMinutes(15);

        var claimed = await store.ClaimDueAsync(due.AddMinutes(5), 2, "instance-1", leaseUntil);

        Assert.Equal(1, retries.Value);
        Assert.Equal(["a", "b"], claimed.Select(r => r.LeadId.Value));
        Assert.All(claimed, r => Assert.Equal(("instance-1", leaseUntil, 2), (r.LeaseOwner, r.LeaseUntil!.Value, r.Version)));
        Assert.Equal(["c", "early"], (await store.ClaimDueAsync(due.AddMinutes(5), 10, "instance-1", leaseUntil)).Select(r => r.LeadId.Value).Order());
        Assert.Empty(await store.ClaimDueAsync(due.AddMinutes(5), 10, "instance-1", leaseUntil));
    }

    [Fact]
    public async Task Lifecycle_TrySaveAsync_RecognisesItsOwnSave_EvenAfterAnotherTransitionFollowed()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlLifecycleStore(db.DataSource, schema, Retrying);
        await store.MigrateAsync();
        var mql = LeadLifecycle.Start(new LeadId("a")).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score 72 >= 60", "model@1");
        var sal = mql.Transition(LifecycleStage.SalesAccepted, T0.AddHours(1), LifecycleActor.Sales, "accepted");
        var other = new PostgreSqlLifecycleStore(db.DataSource, schema);
        var retries = LoseNextCommitReply(store.Retry, () => Assert.True(other.TrySaveAsync(sal, 1).AsTask().GetAwaiter().GetResult()));

        Assert.True(await store.TrySaveAsync(mql, 0));

        Assert.Equal(1, retries.Value);
        Assert.Equal(2, (await store.FindAsync(new LeadId("a")))!.Version);
    }

    [Fact]
    public async Task Lifecycle_TrySaveAsync_AnotherWritersTransition_IsStillAConflict()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlLifecycleStore(db.DataSource, schema, Retrying);
        await store.MigrateAsync();
        var mql = LeadLifecycle.Start(new LeadId("a")).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score 72 >= 60", "model@1");
        LoseNextCommitReply(store.Retry, () => Execute($"UPDATE {schema}.lead_lifecycle_transition SET reason = 'another writer' WHERE lead_id = 'a'"));

        Assert.False(await store.TrySaveAsync(mql, 0));
    }

    [Fact]
    public async Task LifecycleRecorder_PublishesTheStageChange_WhenTheSavesCommitReplyIsLost()
    {
        var store = new PostgreSqlLifecycleStore(db.DataSource, PostgreSqlFixture.NewSchema(), Retrying);
        await store.MigrateAsync();
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(store, sink, new FakeTimeProvider(T0));
        LoseNextCommitReply(store.Retry);

        await recorder.TransitionAsync(new LeadId("a"), LifecycleStage.MarketingQualified, LifecycleActor.System, "score 72 >= 60");

        Assert.Single(sink.Decisions.OfType<AlignmentDecision.StageChanged>());
    }

    [Fact]
    public async Task Campaign_TryAddMemberAsync_RecognisesItsOwnMember_EvenAfterItRegistered()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlCampaignStore(db.DataSource, schema, Retrying);
        await store.MigrateAsync();
        var member = new CampaignMember("w", new Lead(new LeadId("a")) { Source = "Webinar" }) { Segment = new SegmentId("smb") };
        var retries = LoseNextCommitReply(store.Retry, () => Execute($"UPDATE {schema}.campaign_member SET status = 1, version = 2 WHERE lead_id = 'a'"));

        Assert.True(await store.TryAddMemberAsync(member));

        Assert.Equal(1, retries.Value);
        Assert.Equal(CampaignMemberStatus.Registered, (await store.FindMemberAsync("w", new LeadId("a")))!.Status);
        Assert.False(await store.TryAddMemberAsync(member), "a second add of the same member is refused");
    }

    [Fact]
    public async Task Campaign_TryUpdateMemberAsync_RecognisesItsOwnChange()
    {
        var store = new PostgreSqlCampaignStore(db.DataSource, PostgreSqlFixture.NewSchema(), Retrying);
        await store.MigrateAsync();
        var member = new CampaignMember("w", new Lead(new LeadId("a")));
        Assert.True(await store.TryAddMemberAsync(member));
        var retries = LoseNextCommitReply(store.Retry);
        var attended = member with { Status = CampaignMemberStatus.Attended, FollowUpDueAt = T0 };

        Assert.True(await store.TryUpdateMemberAsync(attended, expectedVersion: 1));

        Assert.Equal(1, retries.Value);
        var stored = await store.FindMemberAsync("w", new LeadId("a"));
        Assert.Equal((CampaignMemberStatus.Attended, 2, T0), (stored!.Status, stored.Version, stored.FollowUpDueAt!.Value));
    }

    [Fact]
    public async Task Campaign_TryUpdateMemberAsync_ChangedAgainBeforeTheRetry_ThrowsNamingTheStoreAndTheLead()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlCampaignStore(db.DataSource, schema, Retrying);
        await store.MigrateAsync();
        var member = new CampaignMember("w", new Lead(new LeadId("lead-9")));
        Assert.True(await store.TryAddMemberAsync(member));
        LoseNextCommitReply(store.Retry, () => Execute($"UPDATE {schema}.campaign_member SET version = version + 1 WHERE lead_id = 'lead-9'"));

        var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.TryUpdateMemberAsync(member with { Status = CampaignMemberStatus.Registered }, 1).AsTask());

        Assert.Contains("PostgreSqlCampaignStore.TryUpdateMemberAsync, campaign 'w', lead lead-9", ex.Message, StringComparison.Ordinal);
    }
}
