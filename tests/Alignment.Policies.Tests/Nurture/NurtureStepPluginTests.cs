using Alignment.Cli.TestPlugin;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alignment.Policies.Tests.Nurture;

/// <summary>
/// Nurture step plugins (<see cref="INurtureStepAction"/>): a step names one with <c>"handler"</c>, the engine hands that step to it
/// instead of the host's step handler and explains it; a name nobody registered fails the load with its JSON path.
/// </summary>
public sealed class NurtureStepPluginTests
{
    private static readonly string Policy = NurtureHarness.PolicyJson.Replace(
        """{ "id": "welcome", "kind": "email", "topic": "guide" }""",
        """{ "id": "welcome", "kind": "repCallTask", "handler": "book-meeting" }""",
        StringComparison.Ordinal);

    [Fact]
    public async Task StepWithAHandler_GoesToThePlugin_AndIsExplained()
    {
        var plugin = new BookMeetingAction();
        var h = new NurtureHarness(Policy, loadOptions: new NurturePolicyLoadOptions { Actions = { plugin } });
        await h.Engine.EnrolAsync(h.AddLead("l1"), NurtureEntryReason.NeverEngaged);

        var run = await h.Engine.RunDueAsync();

        var sent = Assert.IsType<NurtureOutcome.StepSent>(Assert.Single(run.Outcomes));
        Assert.StartsWith("step 1/3 'welcome' of track 'default' (entered 2026-01-05 for NeverEngaged, an unsegmented lead): plugin 'book-meeting' with no collateral", sent.Explanation, StringComparison.Ordinal);
        var booked = Assert.Single(plugin.Booked.Values);
        Assert.Equal(("l1:1/0", "l1", "default", "welcome"), (booked.IdempotencyKey, booked.Lead.Id.Value, booked.TrackId, booked.StepId));
        Assert.Equal(0, h.Outbox.Deliveries);
    }

    [Fact]
    public void UnregisteredHandler_FailsTheLoad_WithItsJsonPath()
    {
        var ex = Assert.Throws<ModelException>(() => NurturePolicy.Load(Policy));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.tracks[2].steps[0].handler", error.Path);
        Assert.Equal("no registered nurture step plugin is named 'book-meeting' (registered: none)", error.Message);
    }

    [Fact]
    public void HandlerLeftOut_IsNotPartOfTheCanonicalDocument_SoExistingContentHashesStay()
    {
        var context = Alignment.Policies.Nurture.Definitions.NurturePolicyJsonContext.Default.NurturePolicyDocument;

        string canonical = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonSerializer.Deserialize(NurtureHarness.PolicyJson, context)!, context);
        string withHandler = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonSerializer.Deserialize(Policy, context)!, context);

        Assert.DoesNotContain("handler", canonical, StringComparison.Ordinal);
        Assert.Contains("\"handler\":\"book-meeting\"", withHandler, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrowingPlugin_IsRethrownNamingPluginStepAndLead_AndTheStepIsNotRecorded()
    {
        var h = new NurtureHarness(Policy, loadOptions: new NurturePolicyLoadOptions { Actions = { new Throwing() } });
        await h.Engine.EnrolAsync(h.AddLead("l7"), NurtureEntryReason.NeverEngaged);

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () => await h.Engine.RunDueAsync());

        var failure = ex as InvalidOperationException ?? Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal("The nurture step plugin 'book-meeting' of step 'welcome' in track 'default' threw for lead 'l7'.", failure.Message);
        Assert.Empty(await h.Store.ListSentAsync(new Alignment.Leads.LeadId("l7")));
    }

    [Fact]
    public void UnderDI_ARegisteredPluginLoads_AndAMissingOneStopsTheHostWithItsPath()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Alignment.Scoring.ILeadScorer, StubScorer>();
        services.AddAlignment().AddNurture(o => o.PolicyJson = Policy).AddNurtureStepAction<BookMeetingAction>().AddNurtureStepAction<BookMeetingAction>();
        using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            Assert.IsType<BookMeetingAction>(provider.GetRequiredService<NurtureEngine>().Policy.Tracks.Single(t => t.Id == "default").Steps[0].Action);
        }

        var without = new ServiceCollection();
        without.AddSingleton<Alignment.Scoring.ILeadScorer, StubScorer>();
        without.AddAlignment().AddNurture(o => o.PolicyJson = Policy);
        using var failing = without.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => failing.GetRequiredService<IOptions<NurtureOptions>>().Value);
        Assert.Contains("$.tracks[2].steps[0].handler", ex.Message, StringComparison.Ordinal);
    }

    private sealed class Throwing : INurtureStepAction
    {
        public string Name => BookMeetingAction.ActionName;

        public ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default) => throw new TimeoutException("calendar down");
    }
}
