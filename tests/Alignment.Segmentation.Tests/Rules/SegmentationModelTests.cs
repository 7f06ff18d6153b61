using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Rules;

public sealed class SegmentationModelTests
{
    private static readonly SegmentationModel Model = SegmentationModelLoader.Load(TestData.ModelJson, null);

    [Fact]
    public void Assign_FirstMatchingDefinition_Wins()
    {
        // Matches both enterprise-software (1st) and hot-a-grade (3rd): the earlier definition wins.
        var lead = TestData.Lead("l1", "software", 5000, "US");
        var score = TestData.Score("l1", Grade.A, 55);
        var assignment = Model.Assign(lead, score);
        Assert.Equal("enterprise-software", assignment.Segment.Value);
        Assert.False(assignment.IsDefault);
        Assert.Equal(
            "Matched 'enterprise-software' (definition 1 of 3): company.industry 'software' in {SaaS, Software}; sizeBand 'enterprise' (company.employeeCount 5000) meets sizeBand in {enterprise}.",
            assignment.Reason);
    }

    [Fact]
    public void Assign_LaterDefinition_ExplainsWhyEarlierOnesFailed()
    {
        var lead = TestData.Lead("l2", "Retail", 5000, "US");
        var assignment = Model.Assign(lead, TestData.Score("l2", Grade.AMinus, 40));
        Assert.Equal("hot-a-grade", assignment.Segment.Value);
        Assert.Equal(
            "Matched 'hot-a-grade' (definition 3 of 3): score.grade A- meets score.grade >= A-; engagementLevel 'hot' (score.engagement 40) meets engagementLevel in {hot}. "
            + "Earlier definitions not matched: 'enterprise-software' (company.industry 'Retail' not in {SaaS, Software}); 'dach-mid-market' (company.country 'US' not in {AT, CH, DE}).",
            assignment.Reason);
    }

    [Fact]
    public void Assign_NoDefinitionMatches_LandsInDefaultSegment()
    {
        var lead = TestData.Lead("l3", "Retail", 50, "FR");
        var assignment = Model.Assign(lead, null);
        Assert.Equal("general", assignment.Segment.Value);
        Assert.True(assignment.IsDefault);
        Assert.StartsWith("No definition matched; default segment 'general'. Definitions not matched: ", assignment.Reason, StringComparison.Ordinal);
        Assert.Contains("'hot-a-grade' (score.grade is missing)", assignment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_MissingValue_NeverMeetsACondition()
    {
        var lead = TestData.Lead("l4", "Software", employees: null);
        Assert.True(Model.Match(lead, null).IsDefault);
    }

    [Fact]
    public void Match_Batch_WritesOneMatchPerLead_SameAsSinglePath()
    {
        Lead[] leads = [TestData.Lead("a", "SaaS", 2000), TestData.Lead("b", "Retail", 500, "AT"), TestData.Lead("c")];
        var matches = new SegmentMatch[3];
        Model.Match(leads, [], matches);
        Assert.Equal(["enterprise-software", "dach-mid-market", "general"], matches.Select(m => m.Segment.Value));
        Assert.Equal([0, 1, -1], matches.Select(m => m.Definition));
        for (int i = 0; i < leads.Length; i++)
        {
            Assert.Equal(Model.Match(leads[i], null), matches[i]);
        }
    }

    [Fact]
    public void Match_Batch_AllocatesNothingPerLead()
    {
        var schema = new AttributeSchema([new AttributeDefinition("partner", AttributeKind.Boolean)]);
        const string json = """
        { "id": "m", "bands": [ { "name": "sizeBand", "field": "company.employeeCount", "values": [ { "name": "big", "atLeast": 1000 } ] } ],
          "clusterings": [ { "id": "c", "features": ["company.employeeCount"], "means": [500], "standardDeviations": [100],
                             "centroids": [ { "label": "small", "values": [100] }, { "label": "large", "values": [2000] } ] } ],
          "segments": [
            { "id": "s1", "when": [ { "field": "company.industry", "in": ["Software"] }, { "field": "sizeBand", "in": ["big"] } ] },
            { "id": "s2", "when": [ { "field": "attributes.partner", "in": ["true"] } ] },
            { "id": "s3", "when": [ { "field": "cluster.c", "in": ["large"] }, { "field": "score.grade", "atLeast": "B" } ] } ],
          "default": { "id": "rest" } }
        """;
        var model = SegmentationModelLoader.Load(json, new SegmentationLoadOptions { Schema = schema });
        var leads = new Lead[10_000];
        var scores = new ScoreCard?[leads.Length];
        for (int i = 0; i < leads.Length; i++)
        {
            leads[i] = new Lead(new LeadId($"l{i}"))
            {
                Company = new CompanyProfile { Industry = i % 3 == 0 ? "Software" : "Retail", EmployeeCount = i % 4000 },
                Attributes = i % 5 == 0 ? schema.CreateBuilder().Set("partner", i % 2 == 0).Build() : LeadAttributes.Empty,
            };
            scores[i] = i % 2 == 0 ? TestData.Score($"l{i}", (Grade)(i % 13), 5) : null;
        }

        var matches = new SegmentMatch[leads.Length];
        model.Match(leads, scores, matches); // warm up (JIT, tiered compilation)
        model.Match(leads, scores, matches);

        // The least of three measurements: a one-off allocation under load (tiered JIT, a timer) is not the hot path's.
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.Match(leads, scores, matches);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.Equal(4, matches.Select(m => m.Segment).Distinct().Count());
    }

    [Fact]
    public void Match_Batch_MismatchedScores_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Model.Match([TestData.Lead("a")], new ScoreCard?[2], new SegmentMatch[1]));
        Assert.Equal("scores", ex.ParamName);
    }

    [Fact]
    public void Assign_ClusterCondition_ExplainsNearestCentroid()
    {
        const string json = """
        { "id": "m",
          "clusterings": [ { "id": "size", "features": ["company.employeeCount"], "means": [500], "standardDeviations": [100],
                             "centroids": [ { "label": "small", "values": [100] }, { "label": "large", "values": [2000] } ] } ],
          "segments": [ { "id": "large-accounts", "when": [ { "field": "cluster.size", "in": ["large"] } ] } ],
          "default": { "id": "rest" } }
        """;
        var model = SegmentationModelLoader.Load(json, null);
        var assignment = model.Assign(TestData.Lead("x", employees: 1800), null);
        Assert.Equal("large-accounts", assignment.Segment.Value);
        Assert.Equal("Matched 'large-accounts' (definition 1 of 1): cluster.size: nearest centroid 'large' at distance 2; next nearest 'small' at 17 in {large}.", assignment.Reason);
    }

    [Fact]
    public void TryGetPlaybook_SegmentWithPlaybook_ReturnsIt()
    {
        Assert.True(Model.TryGetPlaybook(new SegmentId("enterprise-software"), out var playbook));
        Assert.Equal(["SOC 2 Type II", "99.95% uptime SLA"], playbook.ProofPoints.ToArray());
        Assert.Equal("Globex ships daily", Assert.Single(playbook.CaseStudies).Title);
        Assert.False(Model.TryGetPlaybook(new SegmentId("dach-mid-market"), out _));
        Assert.True(Model.TryGetPlaybook(new SegmentId("general"), out _));
    }
}
