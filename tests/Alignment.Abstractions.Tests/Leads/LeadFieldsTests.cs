using System.Collections.Immutable;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class LeadFieldsTests
{
    private static readonly Lead Sample = new(new LeadId("l-1"))
    {
        AccountId = new AccountId("acc-9"),
        Source = "webinar",
        Campaign = "q3-launch",
        Company = new CompanyProfile { Name = "Acme", Domain = null, Industry = "Software", EmployeeCount = 250, AnnualRevenue = 12_000_000m, Country = "GB", Region = "EMEA" },
        Person = new PersonProfile { Email = "Ann@Acme.example", JobTitle = "CMO", Seniority = "c-level", Department = "marketing", Language = "en" },
    };

    [Fact]
    public void Every_name_is_unique_dotted_and_found_case_insensitively()
    {
        Assert.Equal(LeadFields.All.Length, LeadFields.All.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var field in LeadFields.All)
        {
            Assert.Matches("^(company|person|lead|score|segment)\\.[a-z][A-Za-z]+$", field.Name);
            Assert.True(LeadFields.TryGet(field.Name.ToUpperInvariant(), out var found));
            Assert.Same(field, found);
            Assert.NotEmpty(field.Description);
        }

        Assert.False(LeadFields.TryGet("employeeCount", out _));
        Assert.False(LeadFields.TryGet(null, out _));
    }

    [Fact]
    public void The_lead_fields_read_the_lead()
    {
        var values = LeadFields.All.Where(f => f.Source == LeadFieldSource.Lead)
            .ToImmutableDictionary(f => f.Name, f => f.Kind == LeadFieldKind.Number ? f.ReadNumber(Sample)?.ToString(System.Globalization.CultureInfo.InvariantCulture) : f.ReadText(Sample));

        Assert.Equal("Acme", values["company.name"]);
        Assert.Null(values["company.domain"]);
        Assert.Equal("Software", values["company.industry"]);
        Assert.Equal("250", values["company.employeeCount"]);
        Assert.Equal("12000000", values["company.annualRevenue"]);
        Assert.Equal("GB", values["company.country"]);
        Assert.Equal("EMEA", values["company.region"]);
        Assert.Equal("CMO", values["person.jobTitle"]);
        Assert.Equal("c-level", values["person.seniority"]);
        Assert.Equal("marketing", values["person.department"]);
        Assert.Equal("en", values["person.language"]);
        Assert.Equal("acme.example", values["person.emailDomain"]);
        Assert.Equal("webinar", values["lead.source"]);
        Assert.Equal("q3-launch", values["lead.campaign"]);
        Assert.Equal("acc-9", values["lead.accountId"]);
        Assert.Equal("acme.example", values["lead.domain"]);
        Assert.Equal(16, values.Count);
    }

    [Fact]
    public void Score_fields_read_the_score_card_and_refuse_the_lead()
    {
        var card = new ScoreCard
        {
            LeadId = Sample.Id, AsOf = DateTimeOffset.UnixEpoch, Total = 70, Fit = 40, Engagement = 30, Grade = Grades.Start,
            State = QualificationState.Hot, Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "h",
        };

        Assert.Equal(70, LeadFields.ScoreTotal.ReadNumber(card));
        Assert.Equal(40, LeadFields.ScoreFit.ReadNumber(card));
        Assert.Equal(30, LeadFields.ScoreEngagement.ReadNumber(card));
        var ex = Assert.Throws<InvalidOperationException>(() => LeadFields.ScoreTotal.ReadText(Sample));
        Assert.Equal("The field 'score.total' is not a text field of the lead (Number of Score).", ex.Message);
        Assert.Throws<InvalidOperationException>(() => LeadFields.CompanyIndustry.ReadNumber(card));
    }

    [Theory]
    [InlineData("employeeCount", "company.employeeCount")]
    [InlineData("industry", "company.industry")]
    [InlineData("company.industy", "company.industry")]
    [InlineData("countries", "company.country")]
    [InlineData("company.employees", "company.employeeCount")]
    [InlineData("company.revenue", "company.annualRevenue")]
    [InlineData("favouriteColour", null)]
    [InlineData("", null)]
    public void Suggest_finds_the_field_a_mistaken_name_meant(string name, string? expected) =>
        Assert.Equal(expected, LeadFields.Suggest(name)?.Name);
}
