namespace Alignment.Policies.Handoff.Definitions;

/// <summary>One rep of a roster.</summary>
internal sealed record RepDefinition
{
    /// <summary>The CRM's id of the rep. Required, unique.</summary>
    public string? Id { get; init; }

    /// <summary>The team (for example <c>uk</c>, <c>inside-sales</c>). Required.</summary>
    public string? Team { get; init; }

    /// <summary>Skills (for example <c>agency</c>).</summary>
    public IReadOnlyList<string>? Skills { get; init; }

    /// <summary>Languages the rep sells in.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>Countries or regions the rep covers.</summary>
    public IReadOnlyList<string>? Territories { get; init; }

    /// <summary>The IANA (or Windows) time-zone id of the rep's working hours and daily cap.</summary>
    /// <value>Defaults to <c>UTC</c>.</value>
    public string? TimeZone { get; init; }

    /// <summary>The most leads the rep may hold open (assigned and not yet accepted or rejected); <see langword="null"/> for no cap.</summary>
    public int? MaxOpenLeads { get; init; }

    /// <summary>The most leads the rep may receive per day of their time zone; <see langword="null"/> for no cap.</summary>
    public int? MaxLeadsPerDay { get; init; }

    /// <summary>The rep's share in <see cref="WeightedStrategy">weighted</see> rules.</summary>
    /// <value>Defaults to 1.</value>
    public int? Weight { get; init; }

    /// <summary>The rep id of the manager notified on a service-level breach.</summary>
    public string? Manager { get; init; }

    /// <summary>Weekly working hours in the rep's time zone; <see langword="null"/> or empty means always available.</summary>
    public IReadOnlyList<WorkingHoursDefinition>? WorkingHours { get; init; }

    /// <summary>Out-of-office periods; they must not overlap.</summary>
    public IReadOnlyList<OutOfOfficeDefinition>? OutOfOffice { get; init; }
}
