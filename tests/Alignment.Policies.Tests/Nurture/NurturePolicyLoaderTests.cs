using Alignment.Models;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Alignment.Segmentation;

namespace Alignment.Policies.Tests.Nurture;

public sealed class NurturePolicyLoaderTests
{
    [Fact]
    public void Load_ValidPolicy_CompilesTracksStepsAndDefaults()
    {
        var result = NurturePolicyLoader.Load(NurtureHarness.PolicyJson);

        Assert.True(result.Success, string.Join("; ", result.Errors));
        var policy = result.Policy;
        Assert.Equal(["webinar-no-show", "smb-recycled", "default", "slow"], policy.Tracks.Select(t => t.Id));
        Assert.Equal(TimeSpan.FromDays(180), policy.ContentMaxAge);
        var smb = policy.Tracks[1];
        Assert.Equal(TimeSpan.FromDays(90), smb.MaxTimeOnTrack);
        Assert.Equal(TimeSpan.Zero, smb.Steps[0].Delay);
        Assert.Equal(TimeSpan.FromDays(14), smb.Steps[1].Delay);
        Assert.Equal(NurtureStepKind.RepCallTask, policy.Tracks[0].Steps[1].Kind);
    }

    [Fact]
    public void SelectTrack_PrefersSegmentAndReasonMatch_FallsBackToCatchAll()
    {
        var policy = NurturePolicyLoader.Load(NurtureHarness.PolicyJson).GetPolicyOrThrow("policy");

        Assert.Equal("smb-recycled", policy.SelectTrack(new SegmentId("smb"), NurtureEntryReason.RecycledTiming).Id);
        Assert.Equal("default", policy.SelectTrack(new SegmentId("enterprise"), NurtureEntryReason.RecycledTiming).Id);
        Assert.Equal("default", policy.SelectTrack(null, NurtureEntryReason.NeverEngaged).Id);
        Assert.Equal("webinar-no-show", policy.SelectTrack(new SegmentId("smb"), NurtureEntryReason.WebinarNoShow).Id);
    }

    [Fact]
    public void Load_InvalidPolicy_ReportsEveryErrorWithItsJsonPath()
    {
        const string json = """
        {
          "id": "p", "version": "1", "contentMaxAgeDays": 0,
          "tracks": [
            { "id": "a", "segments": ["smb"], "entryReasons": ["timing"], "cadenceDays": 0, "onExhausted": "missing",
              "quietDays": ["funday"], "quietPeriods": [ { "name": "x", "from": "13-01", "to": "01-05" } ],
              "steps": [ { "id": "s", "kind": "email" }, { "id": "s", "kind": "fax", "afterDays": -1 } ] },
            { "id": "a", "segments": ["smb"], "cadenceDays": 7, "onExhausted": "a", "steps": [ { "id": "t", "kind": "repCallTask" } ] }
          ]
        }
        """;

        var result = NurturePolicyLoader.Load(json);

        Assert.False(result.Success);
        Assert.Equal(
        [
            "$.contentMaxAgeDays: must be greater than zero (was 0); the allowed range is 1 to 36,500 days",
            "$.tracks[0].cadenceDays: must be greater than zero (was 0); the allowed range is 1 to 3,650 days",
            "$.tracks[0].entryReasons[0]: unknown entry reason 'timing'; expected one of notSalesReady, neverEngaged, recycledTiming, lostDeal, webinarNoShow, eventContact, droppedBelowThreshold",
            "$.tracks[0].quietDays[0]: unknown day 'funday'; expected one of sunday, monday, tuesday, wednesday, thursday, friday, saturday",
            "$.tracks[0].quietPeriods[0].from: expected a month and day as \"MM-dd\" (was '13-01')",
            "$.tracks[0].steps[0].topic: required for an e-mail step; name the collateral topic to send",
            "$.tracks[0].steps[1].id: duplicate step id 's' in the track",
            "$.tracks[0].steps[1].kind: unknown step kind 'fax'; expected one of email, repCallTask",
            "$.tracks[0].steps[1].afterDays: must be zero or more (was -1); the allowed range is 0 to 3,650 days",
            "$.tracks[0].onExhausted: names track 'missing', which the policy does not define",
            "$.tracks: no catch-all track (a track with no 'segments' and no 'entryReasons'); a lead that matches no other track would be left without a track",
        ],
        result.Errors.Select(e => e.ToString()));
        var ex = Assert.Throws<ModelException>(() => result.GetPolicyOrThrow("policy"));
        Assert.Contains("$.tracks[0].steps[1].kind", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownProperty_IsAnErrorWithPathAndLine()
    {
        const string json = """
        {
          "id": "p", "version": "1",
          "tracks": [ { "id": "a", "cadenceDays": 7, "onExhausted": "a", "cadense": 3, "steps": [ { "id": "t", "kind": "repCallTask" } ] } ]
        }
        """;

        var result = NurturePolicyLoader.Load(json);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("$.tracks[0].cadense (line 3, position ", error.Path, StringComparison.Ordinal);
        Assert.Contains("cadense", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingRequiredFields_NamesEachOne()
    {
        var result = NurturePolicyLoader.Load("""{ "tracks": [ { "steps": [] }, null ] }""");

        Assert.Equal(
        [
            "$.id: required; give the policy an id",
            "$.version: required; give the policy a version",
            "$.tracks[0].id: required; give the track an id",
            "$.tracks[0].cadenceDays: required; the number of days between steps",
            "$.tracks[0].onExhausted: required; name the (slower) track a lead moves to when this one is exhausted, or this track itself to repeat it",
            "$.tracks[0].steps: required; define at least one step",
            "$.tracks[1]: a track must be an object",
        ],
        result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_and_TryLoad_follow_the_one_convention()
    {
        const string broken = """{ "id": "p", "version": "1", "tracks": [ { "id": "a", "cadenceDays": 0, "onExhausted": "a", "steps": [] } ] }""";
        var options = new ModelLoadOptions { Document = "nurture.json" };

        var ex = Assert.Throws<ModelException>(() => NurturePolicy.Load(broken, options));
        Assert.False(NurturePolicy.TryLoad(broken, options, out var policy, out var errors));

        Assert.Null(policy);
        Assert.Equal("nurture.json", ex.Document);
        Assert.NotEmpty(errors);
        Assert.Equal(ex.Errors.ToArray(), errors.ToArray());
        Assert.True(NurturePolicy.TryLoad(NurtureHarness.PolicyJson, null, out var good, out var none));
        Assert.NotNull(good);
        Assert.Empty(none);
        Assert.Throws<ArgumentNullException>(() => NurturePolicy.Load(null!));
    }
}
