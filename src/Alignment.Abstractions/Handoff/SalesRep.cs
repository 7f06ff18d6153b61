using System.Collections.Immutable;

namespace Alignment.Handoff;

/// <summary>A salesperson as routing sees them: team, skills, languages, territories, time zone and capacity.</summary>
/// <param name="Id">The CRM's id of the rep.</param>
/// <param name="Team">The team (for example <c>us-ae</c>, <c>uk</c>, <c>agency</c>, <c>inside-sales</c>).</param>
public sealed record SalesRep(RepId Id, string Team)
{
    /// <summary>Skills the rep has (for example <c>agency</c>), matched by routing rules.</summary>
    public ImmutableArray<string> Skills { get; init; } = [];

    /// <summary>Languages the rep sells in.</summary>
    public ImmutableArray<string> Languages { get; init; } = [];

    /// <summary>Countries or regions the rep covers.</summary>
    public ImmutableArray<string> Territories { get; init; } = [];

    /// <summary>The IANA or Windows time-zone id of the rep's working hours.</summary>
    /// <value>Defaults to <c>UTC</c>.</value>
    public string TimeZoneId { get; init; } = "UTC";

    /// <summary>The most open leads the rep may hold at once; <see langword="null"/> for no cap.</summary>
    public int? MaxOpenLeads { get; init; }

    /// <summary>The most leads the rep may receive in one day (in the rep's time zone); <see langword="null"/> for no cap.</summary>
    public int? MaxLeadsPerDay { get; init; }
}
