using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class CompanyProfileTests
{
    [Fact]
    public void EmployeeCount_Negative_ThrowsNamingTheProperty()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CompanyProfile { EmployeeCount = -1 });

        Assert.Equal("EmployeeCount", e.ParamName);
    }

    [Fact]
    public void AnnualRevenue_Negative_ThrowsNamingTheProperty()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CompanyProfile { AnnualRevenue = -0.01m });

        Assert.Equal("AnnualRevenue", e.ParamName);
    }

    [Fact]
    public void ZeroAndNull_AreAccepted()
    {
        var profile = new CompanyProfile { EmployeeCount = 0, AnnualRevenue = 0m };
        var missing = profile with { EmployeeCount = null, AnnualRevenue = null };

        Assert.Equal(0, profile.EmployeeCount);
        Assert.Null(missing.EmployeeCount);
        Assert.Null(missing.AnnualRevenue);
    }
}
