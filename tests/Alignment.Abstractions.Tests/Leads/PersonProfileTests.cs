using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class PersonProfileTests
{
    [Theory]
    [InlineData("jane.doe@Example.COM", "example.com")]
    [InlineData("a@b@sub.example.org", "sub.example.org")]
    [InlineData("@example.com", "example.com")]
    [InlineData("no-at-sign", null)]
    [InlineData("trailing@", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void EmailDomain_FollowsEmail(string? email, string? domain)
    {
        var profile = new PersonProfile { Email = email };

        Assert.Equal(email, profile.Email);
        Assert.Equal(domain, profile.EmailDomain);
    }

    [Fact]
    public void EmailDomain_WithExpressionChangingEmail_IsRecomputed()
    {
        var profile = new PersonProfile { Email = "jane@old.example" };

        var moved = profile with { Email = "jane@new.example" };
        var cleared = profile with { Email = null };

        Assert.Equal("new.example", moved.EmailDomain);
        Assert.Null(cleared.EmailDomain);
        Assert.Equal("old.example", profile.EmailDomain);
    }

    [Fact]
    public void ToString_NeverPrintsNameOrEmail()
    {
        var profile = new PersonProfile
        {
            Name = "Jane Doe",
            Email = "jane.doe@example.com",
            JobTitle = "VP Engineering",
            Seniority = "VP",
            Department = "Engineering",
            Language = "en",
        };

        string text = profile.ToString();

        Assert.DoesNotContain("Jane", text);
        Assert.DoesNotContain("jane.doe", text);
        Assert.DoesNotContain("example.com", text);
        Assert.Equal("PersonProfile { JobTitle = VP Engineering, Seniority = VP, Department = Engineering, Language = en }", text);
    }

    [Fact]
    public void Empty_HasNothingSet()
    {
        Assert.Equal(new PersonProfile(), PersonProfile.Empty);
        Assert.Null(PersonProfile.Empty.Email);
        Assert.Null(PersonProfile.Empty.EmailDomain);
    }
}
