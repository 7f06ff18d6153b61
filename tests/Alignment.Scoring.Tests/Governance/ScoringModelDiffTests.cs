using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;

namespace Alignment.Scoring.Tests.Governance;

public sealed class ScoringModelDiffTests
{
    private const string Old = """
        {
          "id": "acme", "version": "1.0.0", "changeNote": "First standard.",
          "attributes": [ {"name": "plan", "type": "text"} ],
          "categories": [ {"id": "default"} ],
          "thresholds": { "mql": {"score": 50, "minGrade": "C"} },
          "fit": [
            {"id": "software", "points": 15, "when": {"field": "company.industry", "equals": "Software"}},
            {"id": "big", "points": 10, "when": {"field": "company.employeeCount", "gte": 1000}}
          ],
          "engagement": [
            {"id": "webinar", "activity": "webinarAttended", "points": 5, "windowDays": 30, "cap": 20},
            {"id": "pricing", "activity": "pageView", "urlContains": "/pricing", "points": 3, "decay": {"halfLifeDays": 14}}
          ],
          "negative": [ {"id": "inactive", "inactiveDays": 60, "points": -10} ]
        }
        """;

    private const string New = """
        {
          "id": "acme", "version": "1.1.0", "changeNote": "Software counts more; SaaS added.",
          "attributes": [ {"name": "plan", "type": "text"}, {"name": "seats", "type": "number"} ],
          "categories": [ {"id": "default"}, {"id": "crm", "cap": 20} ],
          "thresholds": { "mql": {"score": 60, "minGrade": "C"}, "hot": {"score": 100, "minGrade": "B"} },
          "fit": [
            {"id": "software", "points": 20, "grade": "+1/3", "when": {"field": "company.industry", "in": ["Software", "SaaS"]}},
            {"id": "big", "points": 10, "when": {"field": "company.employeeCount", "gte": 1000}},
            {"id": "vp", "points": 8, "when": {"field": "person.jobTitle", "contains": "VP"}, "category": "crm"}
          ],
          "engagement": [
            {"id": "pricing", "activity": "pageView", "urlContains": "/pricing", "points": 3, "windowDays": 90, "cap": 12, "decay": {"steps": [{"afterDays": 30, "factor": 0.5}]}}
          ],
          "negative": [ {"id": "inactive", "inactiveDays": 60, "points": -10} ]
        }
        """;

    [Fact]
    public void ToText_CraftedPair_ListsEveryChange()
    {
        var from = ScoringModelJson.Parse(Old);
        var to = ScoringModelJson.Parse(New);

        var diff = ScoringModelDiff.Compare(from, to);

        string expected =
            $"Scoring model diff: acme@1.0.0 ({ScoringModelJson.ComputeContentHash(from)[..12]}) -> acme@1.1.0 ({ScoringModelJson.ComputeContentHash(to)[..12]})\n" +
            "Change note: Software counts more; SaaS added.\n" +
            "Settings:\n" +
            "  ~ thresholds.mql: score 50, grade C -> score 60, grade C\n" +
            "  + thresholds.hot: score 100, grade B\n" +
            "  + categories.crm: cap 20\n" +
            "  + attributes.seats: number\n" +
            "Rules added:\n" +
            "  + fit/vp: +8 when person.jobTitle contains \"VP\" [category crm]\n" +
            "Rules removed:\n" +
            "  - engagement/webinar: +5 per webinarAttended within 30 days, cap 20\n" +
            "Rules changed:\n" +
            "  ~ fit/software: +15 when company.industry equals \"Software\" -> +20, grade +1/3 when company.industry in [\"Software\", \"SaaS\"]\n" +
            "      points: 15 -> 20\n" +
            "      grade: none -> +1/3\n" +
            "      when: company.industry equals \"Software\" -> company.industry in [\"Software\", \"SaaS\"]\n" +
            "  ~ engagement/pricing: +3 per pageView with URL containing \"/pricing\", half-life 14 days -> +3 per pageView with URL containing \"/pricing\" within 90 days, cap 12, decay steps 30d x0.5\n" +
            "      windowDays: none -> 90\n" +
            "      cap: none -> 12\n" +
            "      decay: half-life 14 days -> steps 30d x0.5\n" +
            "Summary: 1 rule(s) added, 1 removed, 2 changed; 4 setting change(s).\n";
        Assert.Equal(expected, diff.ToText());
        Assert.True(diff.HasChanges);
    }

    [Fact]
    public void Compare_Reversed_SwapsAddedAndRemoved()
    {
        var diff = ScoringModelDiff.Compare(ScoringModelJson.Parse(New), ScoringModelJson.Parse(Old));

        Assert.Equal(["webinar"], diff.AddedRules.Select(r => r.RuleId).ToArray());
        Assert.Equal(["vp"], diff.RemovedRules.Select(r => r.RuleId).ToArray());
        var software = diff.ChangedRules[0];
        Assert.Equal(new PropertyChange("points", "20", "15"), software.Properties[0]);
        Assert.Equal(new SettingChange("thresholds.hot", "score 100, grade B", null), diff.Settings[1]);
    }

    [Fact]
    public void Compare_CategoryAndSectionMove_ReportsBoth()
    {
        var from = ScoringModelJson.Parse("""
            { "id": "m", "version": "1.0.0", "categories": [{"id": "a"}, {"id": "b", "cap": 5}], "thresholds": {"mql": {"score": 1}},
              "fit": [ {"id": "r", "points": -5, "when": {"field": "company.country", "isMissing": true}, "category": "a"} ] }
            """);
        var to = ScoringModelJson.Parse("""
            { "id": "m", "version": "2.0.0", "categories": [{"id": "a"}, {"id": "b", "cap": 7}], "thresholds": {"mql": {"score": 1}},
              "negative": [ {"id": "r", "points": -5, "when": {"field": "company.country", "isMissing": true}, "category": "b"} ] }
            """);

        var diff = ScoringModelDiff.Compare(from, to);

        Assert.Equal(new SettingChange("categories.b", "cap 5", "cap 7"), Assert.Single(diff.Settings));
        var rule = Assert.Single(diff.ChangedRules);
        Assert.Equal("negative", rule.Section);
        Assert.Equal(
            "section: fit -> negative; category: a -> b",
            string.Join("; ", rule.Properties.Select(p => $"{p.Property}: {p.Old} -> {p.New}")));
    }

    [Fact]
    public void ToText_SameRulesNewVersion_SaysNoChanges()
    {
        var first = ScoringModelJson.Parse(Old);
        var to = first with { Version = "1.0.1", ChangeNote = "Typo fixed." };

        var diff = ScoringModelDiff.Compare(first, to);

        Assert.False(diff.HasChanges);
        Assert.EndsWith("Change note: Typo fixed.\nNo changes to settings or rules.\n", diff.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_CraftedPair_MachineReadable()
    {
        var diff = ScoringModelDiff.Compare(ScoringModelJson.Parse(Old), ScoringModelJson.Parse(New));

        using var doc = System.Text.Json.JsonDocument.Parse(diff.ToJson(indented: false));
        var root = doc.RootElement;
        Assert.Equal("1.0.0", root.GetProperty("from").GetProperty("version").GetString());
        Assert.Equal("1.1.0", root.GetProperty("to").GetProperty("version").GetString());
        Assert.True(root.GetProperty("hasChanges").GetBoolean());
        Assert.Equal("vp", root.GetProperty("addedRules")[0].GetProperty("ruleId").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("addedRules")[0].GetProperty("oldDescription").ValueKind);
        var software = root.GetProperty("changedRules")[0];
        Assert.Equal("software", software.GetProperty("ruleId").GetString());
        var points = software.GetProperty("properties")[0];
        Assert.Equal("points", points.GetProperty("property").GetString());
        Assert.Equal("15", points.GetProperty("old").GetString());
        Assert.Equal("20", points.GetProperty("new").GetString());
        Assert.Equal("thresholds.mql", root.GetProperty("settings")[0].GetProperty("setting").GetString());
        Assert.DoesNotContain('\n', diff.ToJson(indented: false));
        Assert.Contains('\n', diff.ToJson());
    }
}
