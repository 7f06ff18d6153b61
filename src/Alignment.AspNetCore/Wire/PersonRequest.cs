namespace Alignment.AspNetCore.Wire;

/// <summary>The person behind a lead.</summary>
public sealed record PersonRequest
{
    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The e-mail address.</summary>
    public string? Email { get; init; }

    /// <summary>The job title.</summary>
    public string? JobTitle { get; init; }

    /// <summary>The seniority (for example <c>director</c>).</summary>
    public string? Seniority { get; init; }

    /// <summary>The department.</summary>
    public string? Department { get; init; }

    /// <summary>The preferred language.</summary>
    public string? Language { get; init; }
}
