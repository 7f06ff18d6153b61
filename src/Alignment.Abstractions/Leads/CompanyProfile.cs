namespace Alignment.Leads;

/// <summary>Firmographic attributes of the company a lead works for. Every member is optional: a missing value is <see langword="null"/>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CompanyProfile
{
    /// <summary>A profile with no attribute set.</summary>
    public static CompanyProfile Empty { get; } = new();

    /// <summary>The company's name.</summary>
    public string? Name { get; init; }

    /// <summary>The company's web domain, such as <c>example.com</c>; used to match leads to existing accounts.</summary>
    public string? Domain { get; init; }

    /// <summary>The industry, in the CRM's own vocabulary (for example <c>Software</c>).</summary>
    public string? Industry { get; init; }

    /// <summary>The number of employees.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public int? EmployeeCount
    {
        get;
        init => field = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(EmployeeCount), value, "The employee count cannot be negative.");
    }

    /// <summary>The annual revenue in the CRM's reporting currency.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative amount.</exception>
    public decimal? AnnualRevenue
    {
        get;
        init => field = value is null || value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(AnnualRevenue), value, "The annual revenue cannot be negative.");
    }

    /// <summary>The country, in the CRM's own vocabulary (for example <c>United Kingdom</c> or <c>GB</c>).</summary>
    public string? Country { get; init; }

    /// <summary>The region or state within the country, or a sales region such as <c>EMEA</c>.</summary>
    public string? Region { get; init; }
}
