using Alignment.Leads;
using Alignment.Scoring.Governance;

namespace Alignment.Scoring.Tests.Governance;

public sealed class ImpactPreviewTests
{
    private static readonly ScoringModel Current = TestData.Compile("""
        "fit": [
          {"id": "software", "points": 40, "grade": "+1", "when": {"field": "company.industry", "equals": "Software"}},
          {"id": "big", "points": 20, "when": {"field": "company.employeeCount", "gte": 1000}}
        ]
        """);

    private static readonly ScoringModel Proposed = TestData.Compile("""
        "fit": [
          {"id": "software", "points": 90, "grade": "+1", "when": {"field": "company.industry", "equals": "Software"}},
          {"id": "big", "points": 20, "grade": "+1", "when": {"field": "company.employeeCount", "gte": 1000}}
        ]
        """);

    // Thresholds (TestData): MQL 50 with grade C, hot 100 with grade B. Every lead starts at grade D.
    // L1 Software/500:   current 40 C not qualified; proposed 90 C MQL   -> newly MQL, score changed
    // L2 Software/2000:  current 60 C MQL;           proposed 110 B hot  -> newly hot, grade up, score changed
    // L3 Retail/2000:    current 20 D;               proposed 20 C       -> grade up
    // L4 Retail/100:     0 D under both                                  -> no change
    private static readonly Lead[] Leads =
    [
        TestData.Lead("L1", industry: "Software", employees: 500),
        TestData.Lead("L2", industry: "Software", employees: 2000),
        TestData.Lead("L3", industry: "Retail", employees: 2000),
        TestData.Lead("L4", industry: "Retail", employees: 100),
    ];

    [Fact]
    public void Compute_HandComputedLeads_CountsEveryKindOfChange()
    {
        var preview = ImpactPreview.Compute(Current, Proposed, Leads, LeadActivities.None, TestData.Now, maxExamples: 1);

        Assert.Equal(4, preview.Leads);
        Assert.Equal(1, preview.MqlBefore);
        Assert.Equal(2, preview.MqlAfter);
        Assert.Equal(1, preview.NewlyMql.Count);
        Assert.Equal(new ImpactExample(new LeadId("L1"), 40, 90, Grade.C, Grade.C, QualificationState.NotQualified, QualificationState.MarketingQualified), preview.NewlyMql.Examples[0]);
        Assert.Equal(0, preview.NoLongerMql.Count);
        Assert.Equal(1, preview.NewlyHot.Count);
        Assert.Equal(0, preview.NoLongerHot.Count);
        Assert.Equal(2, preview.GradeUp.Count);
        Assert.Equal("L2", Assert.Single(preview.GradeUp.Examples).LeadId.Value);
        Assert.Equal(0, preview.GradeDown.Count);
        Assert.Equal(2, preview.ScoreChanged.Count);
    }

    [Fact]
    public void Compute_Reversed_CountsTheOppositeChanges()
    {
        var preview = ImpactPreview.Compute(Proposed, Current, Leads, LeadActivities.None, TestData.Now);

        Assert.Equal((0, 1, 0, 1, 0, 2), (preview.NewlyMql.Count, preview.NoLongerMql.Count, preview.NewlyHot.Count, preview.NoLongerHot.Count, preview.GradeUp.Count, preview.GradeDown.Count));
        Assert.Equal(["L2", "L3"], preview.GradeDown.Examples.Select(e => e.LeadId.Value).ToArray());
    }

    [Fact]
    public void ToText_HandComputedLeads_ExactText()
    {
        var preview = ImpactPreview.Compute(Current, Proposed, Leads, LeadActivities.None, TestData.Now, maxExamples: 1);

        string expected =
            $"Impact of {Current.Id}@1.0.0 ({Current.ContentHash[..12]}) -> {Proposed.Id}@1.0.0 ({Proposed.ContentHash[..12]}) on 4 lead(s) as of 2026-03-01T12:00:00Z\n" +
            "MQL: 1 -> 2\n" +
            "Newly MQL: 1\n" +
            "  L1: 40 C not qualified -> 90 C MQL\n" +
            "No longer MQL: 0\n" +
            "Newly hot: 1\n" +
            "  L2: 60 C MQL -> 110 B hot\n" +
            "No longer hot: 0\n" +
            "Grade up: 2\n" +
            "  L2: 60 C MQL -> 110 B hot\n" +
            "Grade down: 0\n" +
            "Score changed: 2\n" +
            "  L1: 40 C not qualified -> 90 C MQL\n";
        Assert.Equal(expected, preview.ToText());
    }

    [Fact]
    public void ToJson_WritesLeadIdsAndGradeLetters()
    {
        var preview = ImpactPreview.Compute(Current, Proposed, Leads, LeadActivities.None, TestData.Now, maxExamples: 1);

        using var doc = System.Text.Json.JsonDocument.Parse(preview.ToJson());
        var example = doc.RootElement.GetProperty("newlyMql").GetProperty("examples")[0];
        Assert.Equal("L1", example.GetProperty("leadId").GetString());
        Assert.Equal("C", example.GetProperty("newGrade").GetString());
        Assert.Equal("MarketingQualified", example.GetProperty("newState").GetString());
        Assert.Equal(90m, example.GetProperty("newScore").GetDecimal());
        Assert.Equal(2, doc.RootElement.GetProperty("mqlAfter").GetInt32());
    }

    [Fact]
    public void Compute_NegativeExamples_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ImpactPreview.Compute(Current, Proposed, Leads, LeadActivities.None, TestData.Now, maxExamples: -1));
}
