using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;

namespace Alignment.Policies.Tests.Nurture;

/// <summary>
/// Nurture policies as registry releases: the content hash, the loader, and an engine following each tenant's active policy
/// (<see cref="NurtureEngine.ForActivePolicies"/>): activation and rollback take effect at the next step without a restart, every
/// enrolment, step and decision names the policy (id, version, hash) it was made under, and tenants never share a policy.
/// </summary>
public sealed partial class NurtureReleaseLoaderTests
{
    /// <summary>The harness policy at a version; from version 2 every step id ends in <c>-v2</c> and a never-engaged track comes first.</summary>
    private static string PolicyJson(string version)
    {
        var json = NurtureHarness.PolicyJson.Replace("\"version\": \"1.0.0\"", $"\"version\": \"{version}\"", StringComparison.Ordinal);
        if (version.StartsWith('1'))
        {
            return json;
        }

        json = StepId().Replace(json, "{ \"id\": \"$1-v2\", \"kind\"");
        return json.Replace(
            "\"tracks\": [",
            "\"tracks\": [ { \"id\": \"never-engaged\", \"priority\": 5, \"entryReasons\": [\"neverEngaged\"], \"cadenceDays\": 7, \"onExhausted\": \"slow\", \"steps\": [ { \"id\": \"hello-v2\", \"kind\": \"email\", \"topic\": \"guide\" } ] },",
            StringComparison.Ordinal);
    }

    [GeneratedRegex("\\{ \"id\": \"([a-z-]+)\", \"kind\"")]
    private static partial Regex StepId();

    private static async Task<ModelRelease> PublishApprovedAsync(IModelRegistry registry, ModelRelease release)
    {
        release = await registry.PublishAsync(release);
        await registry.ApproveAsync(release.Key, new ModelApproval("mia", ApprovalSide.Marketing, NurtureHarness.Start, release.ContentHash));
        return await registry.ApproveAsync(release.Key, new ModelApproval("sam", ApprovalSide.Sales, NurtureHarness.Start, release.ContentHash));
    }

    private static async Task<ModelRelease> ActivateAsync(IModelRegistry registry, string tenant, string version)
    {
        var release = await PublishApprovedAsync(registry, NurtureReleaseLoader.CreateRelease(tenant, PolicyJson(version)));
        await registry.ActivateAsync(release.Key, "ops", "launch " + version);
        return release;
    }

    private static string TenantOf(LeadId lead) => lead.Value.Split('/')[0];

    [Fact]
    public void The_content_hash_is_of_the_parsed_policy_layout_does_not_change_it_an_edit_does()
    {
        var policy = NurturePolicy.Load(PolicyJson("1.0.0"));
        var relaid = NurturePolicy.Load("// the same policy, laid out again\n" + PolicyJson("1.0.0").Replace("\n", "\n\n   ", StringComparison.Ordinal));
        var edited = NurturePolicy.Load(PolicyJson("1.0.0").Replace("\"cadenceDays\": 30", "\"cadenceDays\": 31", StringComparison.Ordinal));

        Assert.Matches("^[0-9a-f]{64}$", policy.ContentHash);
        Assert.Equal(policy.ContentHash, relaid.ContentHash);
        Assert.NotEqual(policy.ContentHash, edited.ContentHash);
        Assert.Equal(new ModelReference("test-nurture", "1.0.0", policy.ContentHash), policy.Model);
        Assert.Same(policy.Model, policy.Model);
    }

    [Fact]
    public async Task Enrolments_steps_and_their_decisions_record_the_policy_id_version_and_hash()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");

        var enrolled = await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NeverEngaged));
        var run = await h.Engine.RunDueAsync();

        Assert.Same(h.Policy.Model, enrolled.Enrolment.Policy);
        Assert.Equal(h.Policy.Model, (await h.Store.FindLatestAsync(lead.Id))!.Policy);
        var sent = Assert.IsType<NurtureOutcome.StepSent>(Assert.Single(run.Outcomes));
        Assert.Same(h.Policy.Model, sent.Sent.Policy);
        Assert.Equal(h.Policy.Model, Assert.Single(await h.Store.ListSentAsync(lead.Id)).Policy);
        Assert.Same(h.Policy.Model, h.Decisions.Decisions.OfType<AlignmentDecision.Enrolled>().Single().Policy);
        Assert.Same(h.Policy.Model, h.Decisions.Decisions.OfType<AlignmentDecision.NurtureStepSent>().Single().Policy);

        // A step skipped for want of collateral names the policy too.
        var bare = new NurtureHarness();
        var other = bare.AddLead("l2");
        await bare.Engine.EnrolAsync(other, NurtureEntryReason.NeverEngaged);
        bare.Time.Advance(TimeSpan.FromDays(400)); // every piece of collateral is now older than the policy's 180 days
        await bare.Engine.RunDueAsync();
        Assert.Same(bare.Policy.Model, bare.Decisions.Decisions.OfType<AlignmentDecision.NurtureStepSkipped>().First().Policy);
    }

    [Fact]
    public async Task Activating_v2_takes_effect_at_the_next_step_without_a_restart_and_a_rollback_returns_to_v1()
    {
        var h = new NurtureHarness();
        var registry = new InMemoryModelRegistry(h.Time);
        using var policies = new ActiveModels<NurturePolicy>(registry, new NurtureReleaseLoader());
        var engine = NurtureEngine.ForActivePolicies(policies, TenantOf, h.CreateServices(), h.Options);
        await ActivateAsync(registry, "eu", "1.0.0");
        Assert.True(policies.TryGet("eu", out var v1));

        var lead = h.AddLead("eu/l1");
        var enrolled = await engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NeverEngaged));
        var first = Assert.IsType<NurtureOutcome.StepSent>(Assert.Single((await engine.RunDueAsync()).Outcomes));
        Assert.Equal(("default", v1.Model), (enrolled.Enrolment.TrackId, enrolled.Enrolment.Policy));
        Assert.Equal(("welcome", v1.Model), (first.Sent.StepId, first.Sent.Policy));

        // v2 is activated: the enrolment made under v1 takes its next step under v2, which the step records; the enrolment keeps v1.
        var v2Release = await ActivateAsync(registry, "eu", "2.0.0");
        Assert.True(policies.TryGet("eu", out var v2));
        Assert.Equal(("2.0.0", v2Release.ContentHash), (v2.Version, v2.ContentHash));
        h.Time.Advance(TimeSpan.FromDays(8));
        var second = Assert.IsType<NurtureOutcome.StepSent>(Assert.Single((await engine.RunDueAsync()).Outcomes));
        Assert.Equal(("case-v2", v2.Model), (second.Sent.StepId, second.Sent.Policy));
        Assert.Equal(v1.Model, (await h.Store.FindLatestAsync(lead.Id))!.Policy);
        var newcomer = await engine.PutOnTrackAsync(new NurtureEnrolmentRequest(h.AddLead("eu/l2"), NurtureEntryReason.NeverEngaged));
        Assert.Equal(("never-engaged", v2.Model), (newcomer.Enrolment.TrackId, newcomer.Enrolment.Policy));

        // Rolled back: the next step is v1's again.
        await registry.RollbackAsync("eu", ModelKind.Nurture, "lee", "v2 calls too early");
        Assert.True(policies.TryGet("eu", out var back));
        Assert.Equal(v1.Model, back.Model);
        h.Time.Advance(TimeSpan.FromDays(8));
        var third = (await engine.RunDueAsync()).Outcomes.OfType<NurtureOutcome.StepSent>().Single(o => o.LeadId == lead.Id);
        Assert.Equal(("call", v1.Model), (third.Sent.StepId, third.Sent.Policy));
        var decisions = h.Decisions.Decisions.OfType<AlignmentDecision.NurtureStepSent>().Where(d => d.Lead == lead.Id).Select(d => (d.StepId, d.Policy!.Version)).ToArray();
        Assert.Equal([("welcome", "1.0.0"), ("case-v2", "2.0.0"), ("call", "1.0.0")], decisions);
    }

    [Fact]
    public async Task Tenants_never_see_each_others_policy_and_a_tenant_without_one_is_refused()
    {
        var h = new NurtureHarness();
        var registry = new InMemoryModelRegistry(h.Time);
        using var policies = new ActiveModels<NurturePolicy>(registry, new NurtureReleaseLoader());
        var engine = NurtureEngine.ForActivePolicies(policies, TenantOf, h.CreateServices(), h.Options);
        await ActivateAsync(registry, "eu", "1.0.0");
        await ActivateAsync(registry, "us", "2.0.0");

        var eu = await engine.PutOnTrackAsync(new NurtureEnrolmentRequest(h.AddLead("eu/l1"), NurtureEntryReason.NeverEngaged));
        var us = await engine.PutOnTrackAsync(new NurtureEnrolmentRequest(h.AddLead("us/l1"), NurtureEntryReason.NeverEngaged));
        var steps = (await engine.RunDueAsync()).Outcomes.OfType<NurtureOutcome.StepSent>().ToDictionary(o => o.LeadId.Value, o => o.Sent);

        Assert.Equal(("default", "1.0.0"), (eu.Enrolment.TrackId, eu.Enrolment.Policy!.Version));
        Assert.Equal(("never-engaged", "2.0.0"), (us.Enrolment.TrackId, us.Enrolment.Policy!.Version));
        Assert.Equal(("welcome", "1.0.0"), (steps["eu/l1"].StepId, steps["eu/l1"].Policy!.Version));
        Assert.Equal(("hello-v2", "2.0.0"), (steps["us/l1"].StepId, steps["us/l1"].Policy!.Version));
        var none = await Assert.ThrowsAsync<InvalidOperationException>(async () => await engine.PutOnTrackAsync(new NurtureEnrolmentRequest(h.AddLead("apac/l1"), NurtureEntryReason.NeverEngaged)));
        Assert.Equal("Lead apac/l1: tenant 'apac' has no nurture policy active in the model registry (or its active release does not load in this host); activate a release first.", none.Message);
        Assert.Throws<InvalidOperationException>(() => engine.Policy);
    }

    [Fact]
    public async Task A_release_that_does_not_load_or_hashes_otherwise_is_rejected_and_the_tenant_keeps_its_policy()
    {
        var h = new NurtureHarness();
        var registry = new InMemoryModelRegistry(h.Time);
        using var policies = new ActiveModels<NurturePolicy>(registry, new NurtureReleaseLoader());
        var rejected = new List<ModelRejectedEventArgs>();
        policies.Rejected += (_, e) => rejected.Add(e);
        await ActivateAsync(registry, "eu", "1.0.0");
        Assert.True(policies.TryGet("eu", out var v1));

        // A track without a cadence: it does not load.
        var broken = PolicyJson("3.0.0").Replace("\"id\": \"default\", \"cadenceDays\": 7", "\"id\": \"default\", \"cadenceDays\": 0", StringComparison.Ordinal);
        var bad = await PublishApprovedAsync(registry, new ModelRelease(new ReleaseKey("eu", ModelKind.Nurture, "test-nurture", "3.0.0"), broken, new string('a', 64)));
        await registry.ActivateAsync(bad.Key, "ops", "broken");
        // Valid content under a hash that is not its own.
        var other = await PublishApprovedAsync(registry, new ModelRelease(new ReleaseKey("eu", ModelKind.Nurture, "test-nurture", "4.0.0"), PolicyJson("4.0.0"), new string('b', 64)));
        await registry.ActivateAsync(other.Key, "ops", "wrong hash");

        Assert.True(policies.TryGet("eu", out var kept));
        Assert.Same(v1, kept);
        Assert.Equal([bad.Key, other.Key], rejected.Select(r => r.Key));
        Assert.Contains("$.tracks[3].cadenceDays: must be greater than zero (was 0)", string.Join(" ", rejected[0].Problems), StringComparison.Ordinal);
        Assert.StartsWith("the content loads to hash ", Assert.Single(rejected[1].Problems), StringComparison.Ordinal);
        Assert.Throws<ModelException>(() => NurtureReleaseLoader.CreateRelease("eu", broken));
    }

    [Fact]
    public async Task Steps_taken_while_versions_are_activated_and_rolled_back_each_come_from_one_activated_version()
    {
        var h = new NurtureHarness(options: new NurtureOptions { BatchSize = 50 });
        var registry = new InMemoryModelRegistry(h.Time);
        using var policies = new ActiveModels<NurturePolicy>(registry, new NurtureReleaseLoader());
        // The content lookup yields, so that activations land while a step is between its start and its record.
        var engine = NurtureEngine.ForActivePolicies(policies, TenantOf, h.CreateServices(content: new YieldingContent(h.Content)), h.Options);
        var v1Release = await ActivateAsync(registry, "eu", "1.0.0");
        var v2Release = await PublishApprovedAsync(registry, NurtureReleaseLoader.CreateRelease("eu", PolicyJson("2.0.0")));
        var hashes = new Dictionary<string, string> { ["1.0.0"] = v1Release.ContentHash, ["2.0.0"] = v2Release.ContentHash };
        var problems = new ConcurrentQueue<string>();
        int enrolments = 0, steps = 0;
        using var stop = new CancellationTokenSource();

        void Check(string what, ModelReference? policy, bool isV2Result)
        {
            if (policy is null || !hashes.TryGetValue(policy.Version, out var hash) || hash != policy.ContentHash || (policy.Version == "2.0.0") != isV2Result)
            {
                problems.Enqueue($"{what} under {policy}");
            }
        }

        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int i = 0; (i < 20 || !stop.IsCancellationRequested) && i < 2_000; i++)
            {
                var enrolled = await engine.PutOnTrackAsync(new NurtureEnrolmentRequest(h.AddLead($"eu/w{w}-{i}"), NurtureEntryReason.NeverEngaged));
                Interlocked.Increment(ref enrolments);
                Check($"enrolment on {enrolled.Enrolment.TrackId}", enrolled.Enrolment.Policy, enrolled.Enrolment.TrackId == "never-engaged");
                foreach (var sent in (await engine.RunDueAsync()).Outcomes.OfType<NurtureOutcome.StepSent>())
                {
                    Interlocked.Increment(ref steps);
                    Check($"step {sent.Sent.StepId}", sent.Sent.Policy, sent.Sent.StepId.EndsWith("-v2", StringComparison.Ordinal));
                }
            }
        })).ToArray();

        for (int k = 0; k < 100; k++)
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref enrolments) >= k, TimeSpan.FromSeconds(1)); // swaps interleave with the work
            await registry.ActivateAsync(v2Release.Key, "ops", $"forward {k}");
            await Task.Yield();
            await registry.RollbackAsync("eu", ModelKind.Nurture, "ops", $"back {k}");
            await Task.Yield();
        }

        stop.Cancel();
        await Task.WhenAll(workers);
        Assert.Empty(problems);
        Assert.True(enrolments > 0 && steps > 0, $"{enrolments} enrolments, {steps} steps");
        foreach (var d in h.Decisions.Decisions)
        {
            switch (d)
            {
                case AlignmentDecision.Enrolled e: Check("decision", e.Policy, e.Enrolment.TrackId == "never-engaged"); break;
                case AlignmentDecision.NurtureStepSent s: Check("decision", s.Policy, s.StepId.EndsWith("-v2", StringComparison.Ordinal)); break;
            }
        }

        Assert.Empty(problems);
    }

    private sealed class YieldingContent(INurtureContentProvider inner) : INurtureContentProvider
    {
        public async ValueTask<IReadOnlyList<NurtureContent>> GetCandidatesAsync(NurtureContentQuery query, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return await inner.GetCandidatesAsync(query, cancellationToken);
        }
    }
}
