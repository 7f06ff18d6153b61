using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Segmentation.Tests;

internal static class TestData
{
    public const string ModelJson = """
    {
      // The example of docs/segmentation-model.md.
      "id": "acme-segments",
      "version": "2026.1",
      "bands": [
        { "name": "sizeBand", "field": "company.employeeCount", "values": [
          { "name": "smb", "below": 100 },
          { "name": "mid-market", "atLeast": 100, "below": 1000 },
          { "name": "enterprise", "atLeast": 1000 } ] },
        { "name": "engagementLevel", "field": "score.engagement", "values": [
          { "name": "cold", "below": 10 },
          { "name": "warm", "atLeast": 10, "below": 40 },
          { "name": "hot", "atLeast": 40 } ] }
      ],
      "segments": [
        { "id": "enterprise-software", "name": "Enterprise software",
          "when": [ { "field": "company.industry", "in": ["Software", "SaaS"] }, { "field": "sizeBand", "in": ["enterprise"] } ],
          "playbook": {
            "valueProposition": "Cut release risk across hundreds of teams with one governed delivery platform.",
            "proofPoints": ["SOC 2 Type II", "99.95% uptime SLA"],
            "dataPoints": ["Customers ship 3x more often in six months"],
            "caseStudies": [ { "title": "Globex ships daily", "customer": "Globex", "summary": "From monthly to daily releases." } ],
            "objections": [ { "objection": "We already have Jenkins.", "response": "Keep it: we orchestrate it and add governance." } ]
          } },
        { "id": "dach-mid-market", "when": [ { "field": "company.country", "in": ["DE", "AT", "CH"] }, { "field": "sizeBand", "in": ["mid-market"] } ] },
        { "id": "hot-a-grade", "when": [ { "field": "score.grade", "atLeast": "A-" }, { "field": "engagementLevel", "in": ["hot"] } ] }
      ],
      "default": { "id": "general", "name": "Everyone else",
        "playbook": { "valueProposition": "Ship software faster and safer." } }
    }
    """;

    public static Lead Lead(string id, string? industry = null, int? employees = null, string? country = null) => new(new LeadId(id))
    {
        Company = new CompanyProfile { Industry = industry, EmployeeCount = employees, Country = country },
    };

    public static ScoreCard Score(string leadId, Grade grade, decimal engagement) => new()
    {
        LeadId = new LeadId(leadId),
        AsOf = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Total = 50 + engagement,
        Fit = 50,
        Engagement = engagement,
        Grade = grade,
        State = QualificationState.NotQualified,
        Categories = [],
        Explanation = [],
        ModelId = "m",
        ModelVersion = "1.0.0",
        ModelHash = "0",
    };
}
