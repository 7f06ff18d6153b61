using Alignment.Models;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring.Definitions;
using static Alignment.Scoring.Tests.TestData;

namespace Alignment.Scoring.Tests;

public sealed class ScoringModelTests
{
    private static decimal ScoreOf(string when, Lead lead) =>
        Compile($$"""
            "fit": [ {"id": "r", "points": 10, "when": {{when}} } ]
            """).Score(lead, [], Now).Total;

    [Theory]
    [InlineData("""{"field": "company.industry", "equals": "software"}""", 10)] // case-insensitive by default
    [InlineData("""{"field": "company.industry", "equals": "Retail"}""", 0)]
    [InlineData("""{"field": "company.industry", "in": ["Retail", "SOFTWARE"]}""", 10)]
    [InlineData("""{"field": "company.employeeCount", "between": [500, 1000]}""", 10)] // inclusive
    [InlineData("""{"field": "company.employeeCount", "between": [501, 1000]}""", 0)]
    [InlineData("""{"field": "company.employeeCount", "gt": 499}""", 10)]
    [InlineData("""{"field": "company.employeeCount", "gt": 500}""", 0)]
    [InlineData("""{"field": "company.employeeCount", "gte": 500}""", 10)]
    [InlineData("""{"field": "company.employeeCount", "lt": 500}""", 0)]
    [InlineData("""{"field": "company.employeeCount", "lte": 500}""", 10)]
    [InlineData("""{"field": "company.employeeCount", "equals": 500}""", 10)]
    [InlineData("""{"field": "company.annualRevenue", "gte": 50000000}""", 10)]
    [InlineData("""{"field": "person.jobTitle", "contains": "engineer"}""", 10)]
    [InlineData("""{"field": "person.jobTitle", "startsWith": "vp"}""", 10)]
    [InlineData("""{"field": "person.jobTitle", "startsWith": "Engineering"}""", 0)]
    [InlineData("""{"field": "person.jobTitle", "containsAny": ["Chief", "ENGINEERING"]}""", 10)]
    [InlineData("""{"field": "person.emailDomain", "equals": "acme.com"}""", 10)]
    [InlineData("""{"field": "attributes.plan", "isMissing": true}""", 10)]
    [InlineData("""{"field": "attributes.intentScore", "isMissing": true}""", 10)]
    [InlineData("""{"field": "lead.source", "equals": "Webinar"}""", 10)]
    [InlineData("""{"all": [{"field": "company.industry", "equals": "Software"}, {"field": "company.employeeCount", "gt": 100}]}""", 10)]
    [InlineData("""{"all": [{"field": "company.industry", "equals": "Software"}, {"field": "company.employeeCount", "gt": 1000}]}""", 0)]
    [InlineData("""{"any": [{"field": "company.industry", "equals": "Retail"}, {"field": "company.employeeCount", "gt": 100}]}""", 10)]
    [InlineData("""{"not": {"field": "company.industry", "equals": "Software"}}""", 0)]
    [InlineData("""{"not": {"field": "company.country", "in": ["Germany"]}}""", 10)]
    public void Score_EachOperator_MatchesAsDocumented(string when, int expected)
    {
        var lead = Lead();
        Assert.Equal(expected, ScoreOf(when, lead));
        var model = Compile($$"""
            "fit": [ {"id": "r", "points": 10, "when": {{when}} } ]
            """);
        var batch = model.Encode([lead]);
        var results = new LeadScore[1];
        model.ScoreEncoded(batch, LeadActivities.None, Now, results);
        Assert.Equal(expected, results[0].Total);
    }

    [Fact]
    public void Score_MissingValues_NeverMatchComparisons()
    {
        var lead = Lead(industry: null, employees: null, title: null);
        Assert.Equal(0, ScoreOf("""{"field": "company.employeeCount", "lt": 1000000}""", lead));
        Assert.Equal(0, ScoreOf("""{"field": "company.industry", "in": ["Software"]}""", lead));
        Assert.Equal(0, ScoreOf("""{"field": "person.jobTitle", "contains": "a"}""", lead));
        Assert.Equal(10, ScoreOf("""{"field": "company.employeeCount", "isMissing": true}""", lead));
        Assert.Equal(10, ScoreOf("""{"field": "company.industry", "isMissing": true}""", lead));
    }

    [Fact]
    public void Score_OrdinalTextComparison_IsCaseSensitive()
    {
        var model = Compile("""
            "fit": [ {"id": "cto", "points": 10, "when": {"field": "person.jobTitle", "containsAny": ["CTO"]}} ]
            """, extra: ", \"textComparison\": \"ordinal\"");
        Assert.Equal(0, model.Score(Lead(title: "Director"), [], Now).Total);
        Assert.Equal(10, model.Score(Lead(title: "CTO"), [], Now).Total);
    }

    [Fact]
    public void Grade_DPlusTenThirds_ReachesAPlusAndStops()
    {
        string rules = string.Join(",", Enumerable.Range(0, 10).Select(i => $$$"""{"id": "g{{{i}}}", "grade": "+1/3", "when": {"field": "company.industry", "equals": "Software"}}"""));
        var card = Compile($"\"fit\": [{rules}]").Score(Lead(), [], Now);
        Assert.Equal(Grade.APlus, card.Grade);
        Assert.Equal(10, card.Explanation.Sum(c => c.GradeSteps));

        string more = string.Join(",", Enumerable.Range(0, 12).Select(i => $$$"""{"id": "g{{{i}}}", "grade": "+1", "when": {"field": "company.industry", "equals": "Software"}}"""));
        Assert.Equal(Grade.APlus, Compile($"\"fit\": [{more}]").Score(Lead(), [], Now).Grade);
    }

    [Fact]
    public void Grade_StartsAtDAndClampsAtF()
    {
        Assert.Equal(Grade.D, Compile("""
            "fit": [ {"id": "r", "grade": "+1", "when": {"field": "company.industry", "equals": "Retail"}} ]
            """).Score(Lead(), [], Now).Grade);
        var card = Compile("""
            "fit": [
              {"id": "a", "grade": "-1", "when": {"field": "company.industry", "equals": "Software"}},
              {"id": "b", "grade": "-2/3", "when": {"field": "company.industry", "equals": "Software"}},
              {"id": "c", "grade": "+1/3", "when": {"field": "company.industry", "equals": "Software"}}
            ]
            """).Score(Lead(), [], Now);
        Assert.Equal(Grade.F, card.Grade); // D (2) - 3 - 2 + 1 = -2, clamped to F
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(14, 5)]
    [InlineData(28, 2.5)]
    [InlineData(7, 7.07)] // 10 * 2^-0.5 = 7.0710… rounded to hundredths
    [InlineData(14.9, 5)] // ages count in whole days
    public void Decay_HalfLife_AtKnownAges(double daysAgo, double expected)
    {
        var model = Compile("""
            "engagement": [ {"id": "e", "activity": "formSubmitted", "points": 10, "decay": {"halfLifeDays": 14}} ]
            """);
        Assert.Equal((decimal)expected, model.Score(Lead(), [Act(ActivityType.FormSubmitted, daysAgo)], Now).Total);
    }

    [Theory]
    [InlineData(29, 10)]
    [InlineData(30, 5)]
    [InlineData(89, 5)]
    [InlineData(90, 0)]
    [InlineData(400, 0)]
    public void Decay_Steps_AtKnownAges(double daysAgo, double expected)
    {
        var model = Compile("""
            "engagement": [ {"id": "e", "activity": "formSubmitted", "points": 10, "decay": {"steps": [{"afterDays": 30, "factor": 0.5}, {"afterDays": 90, "factor": 0}]}} ]
            """);
        Assert.Equal((decimal)expected, model.Score(Lead(), [Act(ActivityType.FormSubmitted, daysAgo)], Now).Total);
    }

    [Fact]
    public void Engagement_WindowFiltersAndRuleCap()
    {
        var model = Compile("""
            "engagement": [ {"id": "pricing", "activity": "pageView", "urlContains": "/PRICING", "points": 10, "windowDays": 30, "cap": 25} ]
            """);
        LeadActivity[] acts =
        [
            Act(ActivityType.PageView, 1, "https://x.com/pricing"),
            Act(ActivityType.PageView, 2, "https://x.com/blog"),
            Act(ActivityType.PageView, 40, "https://x.com/pricing"), // outside the window
            Act(ActivityType.WebVisit, 1, "https://x.com/pricing"),  // other type
        ];
        Assert.Equal(10, model.Score(Lead(), acts, Now).Total);
        LeadActivity[] many = [.. Enumerable.Range(0, 5).Select(i => Act(ActivityType.PageView, i, "/pricing/enterprise"))];
        var card = model.Score(Lead(), many, Now);
        Assert.Equal(25, card.Total);
        Assert.Equal(25, Assert.Single(card.Explanation).Points);
    }

    [Fact]
    public void Engagement_FutureActivities_NeverCount()
    {
        var model = Compile("""
            "engagement": [ {"id": "demo", "activity": "demoRequested", "points": 40} ]
            """);
        var future = new LeadActivity(ActivityType.DemoRequested, Now.AddSeconds(1));
        Assert.Equal(0, model.Score(Lead(), [future], Now).Total);
        Assert.Equal(40, model.Score(Lead(), [future], Now.AddSeconds(1)).Total);
    }

    [Fact]
    public void Engagement_CampaignFilter()
    {
        var model = Compile("""
            "engagement": [ {"id": "web", "activity": "webinarAttended", "campaign": "Q1-LAUNCH", "points": 15} ]
            """);
        Assert.Equal(15, model.Score(Lead(), [Act(ActivityType.WebinarAttended, 3, campaign: "q1-launch"), Act(ActivityType.WebinarAttended, 3, campaign: "other")], Now).Total);
    }

    [Fact]
    public void NegativeRules_Unsubscribed_Competitor_Student_Bounced_Inactivity()
    {
        var model = Compile("""
            "fit": [ {"id": "base", "points": 100, "when": {"field": "company.industry", "isMissing": false}} ],
            "negative": [
              {"id": "unsubscribed", "activity": "unsubscribed", "points": -50, "cap": 50},
              {"id": "competitor", "when": {"field": "person.emailDomain", "in": ["rival.com"]}, "points": -100},
              {"id": "student", "when": {"field": "person.emailDomain", "contains": ".edu"}, "points": -30, "grade": "-1"},
              {"id": "bounced", "activity": "bounced", "points": -10},
              {"id": "inactive", "inactiveDays": 90, "points": -20}
            ]
            """.Replace("\"isMissing\": false", "\"isMissing\": true", StringComparison.Ordinal).Replace("\"field\": \"company.industry\", \"isMissing\": true", "\"field\": \"attributes.plan\", \"isMissing\": true", StringComparison.Ordinal));
        var fresh = Lead(email: "ann@acme.com", created: Now.AddDays(-10));
        Assert.Equal(100, model.Score(fresh, [], Now).Total);
        Assert.Equal(0, model.Score(Lead(email: "bob@rival.com", created: Now.AddDays(-10)), [], Now).Total);
        var student = model.Score(Lead(email: "kid@uni.edu", created: Now.AddDays(-10)), [], Now);
        Assert.Equal(70, student.Total);
        Assert.Equal(Grade.DMinus.Move(-2), student.Grade);
        Assert.Equal(50, model.Score(fresh, [Act(ActivityType.Unsubscribed, 1), Act(ActivityType.Unsubscribed, 2)], Now).Total); // capped at -50
        Assert.Equal(90, model.Score(fresh, [Act(ActivityType.Bounced, 1)], Now).Total);
        Assert.Equal(80, model.Score(Lead(created: Now.AddDays(-200)), [Act(ActivityType.EmailOpened, 120), Act(ActivityType.EmailSent, 1)], Now).Total);
        Assert.Equal(100, model.Score(Lead(created: Now.AddDays(-200)), [Act(ActivityType.EmailOpened, 80)], Now).Total);
        Assert.Equal(80, model.Score(Lead(created: null), [], Now).Total); // no activity and no creation date: inactive
    }

    [Fact]
    public void Categories_HaveSubScoresAndCaps_AndTheExplanationAddsUp()
    {
        var model = Compile("""
            "categories": [ {"id": "analytics", "cap": 30}, {"id": "crm"} ],
            "fit": [ {"id": "fit", "points": 12.5, "when": {"field": "company.industry", "equals": "Software"}} ],
            "engagement": [
              {"id": "a-views", "activity": "pageView", "urlContains": "/analytics", "points": 10, "category": "analytics"},
              {"id": "crm-views", "activity": "pageView", "urlContains": "/crm", "points": 4, "category": "crm"}
            ]
            """);
        LeadActivity[] acts = [.. Enumerable.Range(0, 5).Select(i => Act(ActivityType.PageView, i, "/analytics")), Act(ActivityType.PageView, 1, "/crm")];
        var card = model.Score(Lead(), acts, Now);
        Assert.True(card.Categories.SequenceEqual([new CategoryScore("default", 12.5m), new CategoryScore("analytics", 30), new CategoryScore("crm", 4)]), string.Join(", ", card.Categories));
        Assert.Equal(46.5m, card.Total);
        Assert.Equal(12.5m, card.Fit);
        Assert.Equal(34m, card.Engagement);
        Assert.Equal(card.Total, card.Explanation.Sum(c => c.Points));
        Assert.Equal(["fit", "a-views", "crm-views", "cap:analytics"], card.Explanation.Select(c => c.RuleId));
        Assert.Equal(-20, card.Explanation[^1].Points);
        Assert.Equal(ScoreComponent.CategoryCap, card.Explanation[^1].Component);
    }

    [Fact]
    public void Thresholds_NeedScoreAndGrade_AndHotBand()
    {
        var model = Compile("""
            "fit": [ {"id": "sw", "points": 40, "grade": "+1", "when": {"field": "company.industry", "equals": "Software"}} ],
            "engagement": [ {"id": "demo", "activity": "demoRequested", "points": 60, "decay": {"halfLifeDays": 10}} ]
            """);
        Assert.Equal(QualificationState.NotQualified, model.Score(Lead(), [], Now).State);                                      // 40 < 50, grade C
        Assert.Equal(QualificationState.MarketingQualified, model.Score(Lead(), [Act(ActivityType.DemoRequested, 10)], Now).State); // 70, grade C
        Assert.Equal(QualificationState.MarketingQualified, model.Score(Lead(), [Act(ActivityType.DemoRequested, 0)], Now).State);  // 100 but grade C < B
        Assert.Equal(QualificationState.NotQualified, model.Score(Lead(industry: "Retail"), [Act(ActivityType.DemoRequested, 0)], Now).State); // 60 but grade D < C
        var senior = Compile("""
            "fit": [ {"id": "sw", "points": 40, "grade": "+1", "when": {"field": "company.industry", "equals": "Software"}}, {"id": "vp", "grade": "+1", "when": {"field": "person.seniority", "equals": "VP"}} ],
            "engagement": [ {"id": "demo", "activity": "demoRequested", "points": 60} ]
            """);
        Assert.Equal(QualificationState.Hot, senior.Score(Lead(), [Act(ActivityType.DemoRequested, 0)], Now).State); // 100, grade B
    }

    [Fact]
    public void Thresholds_Crossings_AreReportedBothWays()
    {
        var model = Compile("""
            "fit": [ {"id": "sw", "points": 40, "grade": "+2", "when": {"field": "company.industry", "equals": "Software"}} ],
            "engagement": [ {"id": "form", "activity": "formSubmitted", "points": 20, "decay": {"halfLifeDays": 7}} ]
            """.Replace("\"+2\"", "\"+1\"", StringComparison.Ordinal));
        var lead = Lead();
        LeadActivity[] acts = [Act(ActivityType.FormSubmitted, 0)];
        var before = model.Evaluate(lead, [], Now);
        var after = model.Evaluate(lead, acts, Now);
        Assert.True(ThresholdCrossing.TryDetect(before.State, after.State, out var up));
        Assert.True(up.IsUp);
        var later = model.Evaluate(lead, acts, Now.AddDays(14)); // 20 decays to 5: 45 < 50
        Assert.True(ThresholdCrossing.TryDetect(after.State, later.State, out var down));
        Assert.True(down.IsDown);
        Assert.Equal(QualificationState.NotQualified, later.State);
    }

    [Fact]
    public void ScoreCard_RecordsModelIdentity()
    {
        var model = Compile("""
            "fit": [ {"id": "sw", "points": 40, "when": {"field": "company.industry", "equals": "Software"}} ]
            """);
        var card = model.Score(Lead(), [], Now);
        Assert.Equal(("test", "1.0.0", model.ContentHash), (card.ModelId, card.ModelVersion, card.ModelHash));
        Assert.Equal(new LeadId("L1"), card.LeadId);
        Assert.Equal(Now, card.AsOf);
    }

    [Fact]
    public void Compile_AttributesMissingFromTheSchema_AreReported()
    {
        var ex = Assert.Throws<ModelException>(() => ScoringModel.Load(Model("""
            "fit": [ {"id": "sw", "points": 40, "when": {"field": "attributes.plan", "equals": "pro"}} ]
            """), new ScoringModelOptions { Schema = new AttributeSchema([new AttributeDefinition("intentScore", AttributeKind.Text)]), Document = "s.json" }));
        Assert.Equal(
        [
            "$.attributes[0].type: wrong type: the model reads 'intentScore' as Number, but the schema says Text",
            "$.attributes[1].name: unknown attribute 'isCustomer': the leads' attribute schema does not have it",
            "$.attributes[2].name: unknown attribute 'plan': the leads' attribute schema does not have it",
        ], ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Score_LeadWithAnotherSchema_IsRefusedByName()
    {
        var model = Compile("""
            "fit": [ {"id": "p", "points": 1, "when": {"field": "attributes.plan", "equals": "pro"}} ]
            """);
        var other = new Lead(new LeadId("L9")) { Attributes = new AttributeSchema([new AttributeDefinition("plan", AttributeKind.Text)]).CreateBuilder().Build() };
        var ex = Assert.Throws<ArgumentException>(() => model.Score(other, [], Now));
        Assert.StartsWith("Lead L9: its custom attributes use another schema", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_CustomAttributes_NumberFlagAndText()
    {
        var model = Compile("""
            "fit": [
              {"id": "intent", "points": 5, "when": {"field": "attributes.intentScore", "gte": 70}},
              {"id": "customer", "points": -20, "when": {"field": "attributes.isCustomer", "equals": true}},
              {"id": "pro", "points": 3, "when": {"field": "attributes.plan", "in": ["Pro", "Enterprise"]}}
            ]
            """);
        Assert.Equal(-12, model.Score(Lead(intent: 80, customer: true, plan: "pro"), [], Now).Total);
        Assert.Equal(0, model.Score(Lead(intent: 10, customer: false), [], Now).Total);
    }
}
