using Alignment.Models;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Tests.Definitions;

public sealed class ScoringModelJsonTests
{
    private static ModelException Fails(string json) => Assert.Throws<ModelException>(() => ScoringModelJson.Parse(json, "m.json"));

    [Fact]
    public void Parse_ValidModel_ReadsEverySection()
    {
        var d = ScoringModelJson.Parse(TestData.Model("""
            "categories": [ {"id": "platform", "cap": 80} ],
            "fit": [ {"id": "f1", "points": 10, "grade": "+2/3", "when": {"field": "company.industry", "in": ["Software"]}} ],
            "engagement": [ {"id": "e1", "activity": "pageView", "urlContains": "/pricing", "points": 5, "windowDays": 30, "cap": 20, "decay": {"halfLifeDays": 14}, "category": "platform"} ],
            "negative": [ {"id": "n1", "activity": "unsubscribed", "points": -50}, {"id": "n2", "when": {"field": "person.emailDomain", "in": ["competitor.com"]}, "points": -100}, {"id": "n3", "inactiveDays": 90, "points": -20} ]
            """));
        Assert.Equal("test", d.Id);
        Assert.Equal(5, d.Rules.Length);
        var fit = Assert.IsType<ProfileRuleDefinition>(d.Rules[0]);
        Assert.Equal(2, fit.GradeSteps);
        var e = Assert.IsType<ActivityRuleDefinition>(d.Rules[1]);
        Assert.Equal(Activities.ActivityType.PageView, e.Activity);
        Assert.Equal(new DecayDefinition.HalfLife(14), e.Decay);
        Assert.Equal("platform", e.Category);
        Assert.IsType<InactivityRuleDefinition>(d.Rules[4]);
        Assert.Equal(Grade.B, d.Hot!.MinGrade);
    }

    [Fact]
    public void Parse_EveryKindOfProblem_ListsAllWithPaths()
    {
        var ex = Fails(TestData.Model("""
            "fit": [
              {"id": "a", "points": 5, "when": {"field": "attributes.favouriteColour", "equals": "red"}},
              {"id": "b", "points": 5, "when": {"field": "company.employeeCount", "equals": "many"}},
              {"id": "c", "points": 5, "when": {"field": "company.industry", "in": []}},
              {"id": "d", "points": 5, "when": {"field": "company.employeeCount", "between": [500, 100]}},
              {"id": "a", "points": 5, "when": {"field": "company.industry", "equals": "Retail"}}
            ],
            "engagement": [ {"id": "e", "activity": "carrierPigeon", "points": 1} ]
            """));
        Assert.Equal(
        [
            "$.engagement[0].activity: unknown activity type \"carrierPigeon\"; expected one of emailSent, emailOpened, emailClicked, webVisit, pageView, formSubmitted, contentDownloaded, webinarInvited, webinarRegistered, webinarAttended, eventContact, demoRequested, unsubscribed, bounced, salesCall, salesMeeting",
        ], ex.Errors.Select(e => e.ToString()));

        // Semantic problems are reported once the document parses: fix the activity and look again.
        ex = Fails(TestData.Model("""
            "fit": [
              {"id": "a", "points": 5, "when": {"field": "attributes.favouriteColour", "equals": "red"}},
              {"id": "b", "points": 5, "when": {"field": "company.employeeCount", "equals": "many"}},
              {"id": "c", "points": 5, "when": {"field": "company.industry", "in": []}},
              {"id": "d", "points": 5, "when": {"field": "company.employeeCount", "between": [500, 100]}},
              {"id": "a", "points": 5, "when": {"field": "company.industry", "equals": "Retail"}}
            ]
            """));
        Assert.Equal(
        [
            "$.fit[0].when.field: unknown attribute 'favouriteColour'; declare it under $.attributes",
            "$.fit[1].when.equals: wrong type: 'company.employeeCount' is a number, but the value \"many\" is a text",
            "$.fit[2].when.in: an empty set never matches; give at least one value",
            "$.fit[3].when.between: inverted range: low 500 is above high 100",
            "$.fit[4].id: duplicate rule id 'a' (first at $.fit[0])",
        ], ex.Errors.Select(e => e.ToString()));
        Assert.StartsWith("'m.json' is not a valid model (5 problems):", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StructuralProblems_NameThePath()
    {
        var ex = Fails("""{"id": "x", "version": "1", "thresholds": {"mql": {"score": "high"}}, "fit": [{"id": "a", "pointz": 3, "when": {"field": "company.industry"}}]}""");
        Assert.Equal(
        [
            "$.thresholds.mql.score: expected a number, found a text \"high\"",
            "$.fit[0].pointz: unknown property 'pointz'; expected one of id, description, points, grade, category, when",
            "$.fit[0].when: missing operator; expected one of equals, in, between, gt, gte, lt, lte, contains, containsAny, startsWith, isMissing",
            "$.fit[0]: a profile rule needs 'points', 'grade' or both",
        ], ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_MalformedJson_NamesTheLine()
    {
        var ex = Fails("{\n  \"id\": \"x\",\n  \"version\": 1.0.0\n}");
        var error = Assert.Single(ex.Errors);
        Assert.StartsWith("$.version (line 3,", error.Path, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongTypeForOperator_IsReported()
    {
        var ex = Fails(TestData.Model("""
            "fit": [
              {"id": "a", "points": 1, "when": {"field": "company.industry", "gt": 3}},
              {"id": "b", "points": 1, "when": {"field": "company.employeeCount", "contains": "00"}},
              {"id": "c", "points": 1, "when": {"field": "attributes.isCustomer", "equals": 1}}
            ]
            """));
        Assert.Equal(
        [
            "$.fit[0].when.gt: wrong type: 'gt' needs a number field, but 'company.industry' is a text",
            "$.fit[1].when.contains: wrong type: 'contains' needs a text field, but 'company.employeeCount' is a number",
            "$.fit[2].when.equals: wrong type: 'attributes.isCustomer' is a true/false flag, but the value 1 is a number",
        ], ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Write_ThenParse_GivesAnEqualDefinition_AndTheSameHash()
    {
        var d = ScoringModelJson.Parse(TestData.Model("""
            "categories": [ {"id": "p", "cap": 30} ],
            "fit": [ {"id": "f", "points": 2.5, "grade": "-1/3", "when": {"all": [{"field": "company.industry", "equals": "Retail"}, {"not": {"field": "attributes.plan", "isMissing": true}}, {"any": [{"field": "person.jobTitle", "containsAny": ["VP", "Chief"]}, {"field": "attributes.intentScore", "between": [1, 2]}]}]}} ],
            "engagement": [ {"id": "e", "activity": "emailClicked", "points": 3, "decay": {"steps": [{"afterDays": 30, "factor": 0.5}, {"afterDays": 90, "factor": 0}]}, "category": "p"} ],
            "plugins": [ {"id": "x", "rule": "intent", "cap": 10} ]
            """));
        var again = ScoringModelJson.Parse(ScoringModelJson.Write(d));
        Assert.Equal(d, again);
        Assert.Equal(ScoringModelJson.ComputeContentHash(d), ScoringModelJson.ComputeContentHash(again));
        Assert.Matches("^[0-9a-f]{64}$", ScoringModelJson.ComputeContentHash(d));
    }

    [Fact]
    public void ComputeContentHash_ChangesWhenAnyRuleChanges()
    {
        var d = ScoringModelJson.Parse(TestData.Model("""
            "fit": [ {"id": "f", "points": 10, "when": {"field": "company.industry", "equals": "Retail"}} ]
            """));
        var edited = d with { Rules = [((ProfileRuleDefinition)d.Rules[0]) with { Points = 11 }] };
        Assert.NotEqual(ScoringModelJson.ComputeContentHash(d), ScoringModelJson.ComputeContentHash(edited));
    }

    [Fact]
    public void Describe_RendersRulesForPeople()
    {
        var d = ScoringModelJson.Parse(TestData.Model("""
            "fit": [ {"id": "f", "points": 15, "grade": "+1", "when": {"field": "company.industry", "in": ["Software", "Retail"]}} ],
            "engagement": [ {"id": "e", "activity": "pageView", "urlContains": "/pricing", "points": 5, "windowDays": 30, "cap": 20, "decay": {"halfLifeDays": 14}} ]
            """));
        Assert.Equal("+15, grade +1 when company.industry in [\"Software\", \"Retail\"]", d.Rules[0].Describe());
        Assert.Equal("+5 per pageView with URL containing \"/pricing\" within 30 days, cap 20, half-life 14 days", d.Rules[1].Describe());
    }

    [Fact]
    public void Parse_NullValues_AreErrors_NeverSilentlyDroppedRules()
    {
        var ex = Fails("""
            {"id": "x", "version": "1.0.0", "thresholds": {"mql": {"score": null}},
             "engagement": [{"id": "e", "activity": "pageView", "points": null, "cap": null}],
             "negative": [{"id": "n", "inactiveDays": null, "points": -5}]}
            """);
        Assert.Equal(
        [
            "$.thresholds.mql.score: expected a number, found null",
            "$.engagement[0].points: expected a number, found null",
            "$.engagement[0].cap: expected a number, found null",
            "$.negative[0].inactiveDays: expected a whole number, found null",
        ], ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_Descriptions_AreKeptTypeCheckedAndWritten()
    {
        var d = ScoringModelJson.Parse(TestData.Model("""
            "fit": [ {"id": "f", "description": "Agreed with sales in Q1", "points": 1, "when": {"field": "company.industry", "equals": "Retail"}} ]
            """));
        Assert.Equal("Agreed with sales in Q1", d.Rules[0].Description);
        Assert.Equal(d, ScoringModelJson.Parse(ScoringModelJson.Write(d)));
        var ex = Fails(TestData.Model("""
            "fit": [ {"id": "f", "description": 42, "points": 1, "when": {"field": "company.industry", "equals": "Retail"}} ]
            """));
        Assert.Equal("$.fit[0].description: expected a text, found a number 42", Assert.Single(ex.Errors).ToString());
    }
}
