using System.Text.Json;
using Alignment.AspNetCore.Webhooks;
using Alignment.Decisions;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Tests.Webhooks;

public sealed class DecisionJsonTests
{
    [Fact]
    public void Every_decision_case_is_written_and_has_a_sample()
    {
        var cases = typeof(AlignmentDecision).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(AlignmentDecision))).ToHashSet();
        var samples = WebhookTestKit.OneOfEachKind();
        Assert.NotEmpty(cases);

        // A new case fails here until it has a sample below and a branch in DecisionJson.
        Assert.Empty(cases.Except(samples.Select(s => s.GetType())));
        foreach (var decision in samples)
        {
            using var json = JsonDocument.Parse(DecisionJson.Serialize(decision));
            Assert.Equal(DecisionJson.KindOf(decision), json.RootElement.GetProperty("kind").GetString());
            Assert.Contains(json.RootElement.GetProperty("kind").GetString()!, (IReadOnlySet<string>)WebhookEvents.All);
            Assert.Equal(decision is AlignmentDecision.ContentChanged ? null : "lead-1", json.RootElement.GetProperty("leadId").GetString());
            Assert.Equal(decision.At, json.RootElement.GetProperty("at").GetDateTimeOffset());
            Assert.True(json.RootElement.TryGetProperty("idempotencyKey", out _));
            Assert.True(json.RootElement.EnumerateObject().Count() > 4, decision.GetType().Name + " wrote no fields of its own");
        }

        Assert.Equal(WebhookEvents.All.Count, samples.Select(DecisionJson.KindOf).Distinct().Count());
    }

    [Fact]
    public void A_content_change_has_no_lead_and_names_the_item_the_change_and_its_key()
    {
        var changed = WebhookTestKit.OneOfEachKind().OfType<AlignmentDecision.ContentChanged>().Single();
        using var json = JsonDocument.Parse(DecisionJson.Serialize(changed));
        var o = json.RootElement;
        Assert.Equal(("content-changed", JsonValueKind.Null), (o.GetProperty("kind").GetString(), o.GetProperty("leadId").ValueKind));
        Assert.Equal(("default", "sent-back", "battle-card", 2), (o.GetProperty("tenant").GetString(), o.GetProperty("change").GetString(), o.GetProperty("itemId").GetString(), o.GetProperty("revision").GetInt32()));
        Assert.Equal(("sam", "pricing slide is wrong", JsonValueKind.Null), (o.GetProperty("by").GetString(), o.GetProperty("reason").GetString(), o.GetProperty("suggestionId").ValueKind));
        Assert.Equal(changed.Change.Key, o.GetProperty("key").GetString());
        Assert.Equal(changed.Change.Key, DecisionJson.KeyOf(changed));
    }

    [Fact]
    public void A_score_card_carries_its_totals_model_and_explanation()
    {
        var scored = WebhookTestKit.OneOfEachKind().OfType<AlignmentDecision.Scored>().Single() with { IdempotencyKey = "scored:lead-1:4" };
        using var json = JsonDocument.Parse(DecisionJson.Serialize(scored));
        var root = json.RootElement;
        Assert.Equal("scored:lead-1:4", root.GetProperty("idempotencyKey").GetString());
        Assert.Equal(72.5m, root.GetProperty("total").GetDecimal());
        Assert.Equal(40m, root.GetProperty("fit").GetDecimal());
        Assert.Equal(32.5m, root.GetProperty("engagement").GetDecimal());
        Assert.Equal("BPlus", root.GetProperty("grade").GetString());
        Assert.Equal("MarketingQualified", root.GetProperty("state").GetString());
        Assert.Equal("standard", root.GetProperty("model").GetProperty("id").GetString());
        Assert.Equal("7", root.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal("sha256:def", root.GetProperty("model").GetProperty("hash").GetString());
        var contribution = root.GetProperty("explanation")[0];
        Assert.Equal("employees-200", contribution.GetProperty("ruleId").GetString());
        Assert.Equal(15m, contribution.GetProperty("points").GetDecimal());
    }

    [Fact]
    public void A_routing_decision_says_assigned_or_queued()
    {
        var routed = WebhookTestKit.OneOfEachKind().OfType<AlignmentDecision.Routed>().ToList();
        using var assigned = JsonDocument.Parse(DecisionJson.Serialize(routed[0]));
        using var queued = JsonDocument.Parse(DecisionJson.Serialize(routed[1]));
        Assert.Equal("assigned", assigned.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("rep-1", assigned.RootElement.GetProperty("rep").GetString());
        Assert.Equal("enterprise", assigned.RootElement.GetProperty("ruleId").GetString());
        Assert.Equal("queued", queued.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("overflow", queued.RootElement.GetProperty("queue").GetString());
        Assert.Equal("no rep free", queued.RootElement.GetProperty("explanation").GetString());
    }
}
