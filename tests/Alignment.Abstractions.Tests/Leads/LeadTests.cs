using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class LeadTests
{
    [Fact]
    public void New_Defaults_AreEmptyProfilesAndAttributes()
    {
        var lead = new Lead(new LeadId("L-1"));

        Assert.Same(PersonProfile.Empty, lead.Person);
        Assert.Same(CompanyProfile.Empty, lead.Company);
        Assert.Same(LeadAttributes.Empty, lead.Attributes);
        Assert.Null(lead.AccountId);
        Assert.Null(lead.Source);
        Assert.Null(lead.CreatedAt);
    }

    [Fact]
    public void ToString_IdentifiesByIdOnly()
    {
        var lead = new Lead(new LeadId("L-42"))
        {
            Person = new PersonProfile { Name = "Jane Doe", Email = "jane.doe@example.com", JobTitle = "CTO" },
            Company = new CompanyProfile { Name = "Example Ltd", Domain = "example.com" },
            Source = "Webinar",
        };

        Assert.Equal("Lead L-42", lead.ToString());
        Assert.DoesNotContain("jane", $"{lead}", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Doe", $"{lead}", StringComparison.Ordinal);
    }

    [Fact]
    public void Init_NullProfiles_ThrowNamingTheProperty()
    {
        Assert.Equal("Person", Assert.Throws<ArgumentNullException>(() => new Lead(new LeadId("L-1")) { Person = null! }).ParamName);
        Assert.Equal("Company", Assert.Throws<ArgumentNullException>(() => new Lead(new LeadId("L-1")) { Company = null! }).ParamName);
        Assert.Equal("Attributes", Assert.Throws<ArgumentNullException>(() => new Lead(new LeadId("L-1")) { Attributes = null! }).ParamName);
    }

    [Fact]
    public void Equality_SameValues_AreEqual()
    {
        var person = new PersonProfile { JobTitle = "CTO" };

        Assert.Equal(new Lead(new LeadId("L-1")) { Person = person, Source = "Web" }, new Lead(new LeadId("L-1")) { Person = person, Source = "Web" });
        Assert.NotEqual(new Lead(new LeadId("L-1")), new Lead(new LeadId("L-2")));
    }
}
