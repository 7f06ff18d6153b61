using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly AttributeSchema Schema = new(
    [
        new AttributeDefinition("intentScore", AttributeKind.Number),
        new AttributeDefinition("isCustomer", AttributeKind.Boolean),
        new AttributeDefinition("plan", AttributeKind.Text),
    ]);

    /// <summary>Wraps rule sections into a full model document.</summary>
    public static string Model(string sections, string extra = "") => $$"""
        {
          "id": "test", "version": "1.0.0",
          "attributes": [ {"name": "intentScore", "type": "number"}, {"name": "isCustomer", "type": "boolean"}, {"name": "plan", "type": "text"} ],
          "thresholds": { "mql": {"score": 50, "minGrade": "C"}, "hot": {"score": 100, "minGrade": "B"} }{{extra}},
          {{sections}}
        }
        """;

    public static ScoringModel Compile(string sections, string extra = "", params IScoringRule[] plugins) =>
        ScoringModel.Load(Model(sections, extra), new ScoringModelOptions { Schema = Schema, PluginRules = plugins });

    public static Lead Lead(string id = "L1", string? industry = "Software", int? employees = 500, string? title = "VP Engineering",
        string? country = "United States", string? email = "ann@acme.com", double intent = double.NaN, bool? customer = null, string? plan = null,
        DateTimeOffset? created = null)
    {
        var attrs = Schema.CreateBuilder();
        if (!double.IsNaN(intent))
        {
            attrs.Set("intentScore", intent);
        }

        if (customer is bool c)
        {
            attrs.Set("isCustomer", c);
        }

        attrs.Set("plan", plan);
        return new Lead(new LeadId(id))
        {
            Company = new CompanyProfile { Industry = industry, EmployeeCount = employees, Country = country, AnnualRevenue = employees * 100_000m, Name = "Acme" },
            Person = new PersonProfile { JobTitle = title, Email = email, Seniority = "VP", Name = "Ann Example" },
            Source = "Webinar",
            CreatedAt = created,
            Attributes = attrs.Build(),
        };
    }

    public static LeadActivity Act(ActivityType type, double daysAgo, string? url = null, string? campaign = null) =>
        new(type, Now - TimeSpan.FromDays(daysAgo)) { Url = url, Campaign = campaign };
}
