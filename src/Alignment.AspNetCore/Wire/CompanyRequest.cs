namespace Alignment.AspNetCore.Wire;

/// <summary>The company behind a lead.</summary>
public sealed record CompanyRequest
{
    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The web domain.</summary>
    public string? Domain { get; init; }

    /// <summary>The industry.</summary>
    public string? Industry { get; init; }

    /// <summary>The number of employees (not negative).</summary>
    public int? EmployeeCount { get; init; }

    /// <summary>The annual revenue (not negative).</summary>
    public decimal? AnnualRevenue { get; init; }

    /// <summary>The country.</summary>
    public string? Country { get; init; }

    /// <summary>The region.</summary>
    public string? Region { get; init; }
}
