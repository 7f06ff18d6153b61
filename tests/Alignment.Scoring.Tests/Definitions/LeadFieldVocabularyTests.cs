using Alignment.Leads;
using Alignment.Models;

namespace Alignment.Scoring.Tests.Definitions;

/// <summary>Scoring conditions name fields by the one lead-field catalogue (issue 15): every lead field, attributes.&lt;name&gt;, and clear errors otherwise.</summary>
public sealed class LeadFieldVocabularyTests
{
    public static TheoryData<string, string> EveryLeadField() => new()
    {
        { "company.name", "Acme" },
        { "company.domain", "acme.com" },
        { "company.industry", "Software" },
        { "company.country", "GB" },
        { "company.region", "EMEA" },
        { "person.jobTitle", "VP Sales" },
        { "person.seniority", "VP" },
        { "person.department", "Sales" },
        { "person.language", "en" },
        { "person.emailDomain", "acme.com" },
        { "lead.source", "Webinar" },
        { "lead.campaign", "spring" },
        { "lead.accountId", "A-1" },
        { "lead.domain", "acme.com" },
    };

    [Theory]
    [MemberData(nameof(EveryLeadField))]
    public void Every_text_field_of_the_lead_in_the_catalogue_can_be_scored(string field, string value)
    {
        var model = TestData.Compile($$$"""
            "fit": [ {"id": "r", "points": 10, "when": {"field": "{{{field}}}", "equals": "{{{value}}}"}} ]
            """);

        Assert.Equal(10, model.Score(FullLead(), [], TestData.Now).Fit);
        Assert.Equal(0, model.Score(new Lead(new LeadId("empty")) { Attributes = TestData.Schema.CreateBuilder().Build() }, [], TestData.Now).Fit);
    }

    [Fact]
    public void Every_lead_field_of_the_catalogue_is_readable_by_scoring()
    {
        foreach (var field in LeadFields.All.Where(f => f.Source == LeadFieldSource.Lead))
        {
            string op = field.Kind == LeadFieldKind.Number ? "\"gte\": 0" : "\"isMissing\": true";
            Assert.True(
                ScoringModel.TryLoad(TestData.Model($$$"""
                    "fit": [ {"id": "r", "points": 1, "when": {"field": "{{{field.Name}}}", {{{op}}}}} ]
                    """), new ScoringModelOptions { Schema = TestData.Schema }, out _, out var errors),
                $"{field.Name}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void Number_fields_and_attributes_are_read_under_their_catalogue_names()
    {
        var model = TestData.Compile("""
            "fit": [
              {"id": "size", "points": 5, "when": {"field": "company.employeeCount", "between": [100, 1000]}},
              {"id": "revenue", "points": 7, "when": {"field": "company.annualRevenue", "gte": 1000000}},
              {"id": "intent", "points": 11, "when": {"field": "attributes.intentScore", "gte": 50}}
            ]
            """);

        Assert.Equal(23, model.Score(TestData.Lead(employees: 500, intent: 60), [], TestData.Now).Fit);
    }

    [Fact]
    public void An_old_or_misspelt_name_is_refused_with_a_suggestion()
    {
        Assert.False(ScoringModel.TryLoad(TestData.Model("""
            "fit": [
              {"id": "a", "points": 1, "when": {"field": "employeeCount", "gt": 5}},
              {"id": "b", "points": 1, "when": {"field": "plan", "equals": "pro"}},
              {"id": "c", "points": 1, "when": {"field": "score.total", "gt": 5}},
              {"id": "d", "points": 1, "when": {"field": "attributes.nps", "gt": 5}}
            ]
            """), new ScoringModelOptions { Schema = TestData.Schema }, out _, out var errors));

        Assert.Equal(4, errors.Length);
        Assert.Equal(("$.fit[0].when.field", "did you mean 'company.employeeCount'?"), (errors[0].Path, errors[0].Suggestion));
        Assert.Equal(("$.fit[1].when.field", "did you mean 'attributes.plan'?"), (errors[1].Path, errors[1].Suggestion));
        Assert.Contains("computed after scoring", errors[2].Message, StringComparison.Ordinal);
        Assert.Equal("unknown attribute 'nps'; declare it under $.attributes", errors[3].Message);
    }

    private static Lead FullLead() => new(new LeadId("L1"))
    {
        Company = new CompanyProfile { Name = "Acme", Domain = "acme.com", Industry = "Software", Country = "GB", Region = "EMEA" },
        Person = new PersonProfile { JobTitle = "VP Sales", Seniority = "VP", Department = "Sales", Language = "en", Email = "ann@acme.com" },
        Source = "Webinar",
        Campaign = "spring",
        AccountId = new AccountId("A-1"),
        Attributes = TestData.Schema.CreateBuilder().Build(),
    };
}
