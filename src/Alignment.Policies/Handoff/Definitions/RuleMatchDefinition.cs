namespace Alignment.Policies.Handoff.Definitions;

/// <summary>
/// The conditions a lead must meet for a rule to apply. In a policy file it is the rule's <c>match</c> object, whose keys are the
/// lead fields of the one catalogue (<see cref="Alignment.Leads.LeadFields"/>): <c>segment.id</c>, <c>company.country</c>
/// (a list, or <c>{"notIn": [...]}</c> with an optional <c>in</c>), <c>company.region</c>, <c>person.language</c>, <c>lead.source</c>,
/// <c>lead.accountId</c>, <c>lead.domain</c>, <c>score.state</c> (lists), <c>score.total</c> and <c>score.grade</c>
/// (<c>{"atLeast": ..., "atMost": ...}</c>). Every condition that is set must hold; a list condition holds when the
/// lead's value is one of the list's (compared case-insensitively). A lead with no value never matches a list condition.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(RuleMatchJsonConverter))]
internal sealed record RuleMatchDefinition
{
    /// <summary>Segment ids.</summary>
    public IReadOnlyList<string>? Segments { get; init; }

    /// <summary>Company countries.</summary>
    public IReadOnlyList<string>? Countries { get; init; }

    /// <summary>Company countries the rule excludes (for example <c>US</c> for "outside the US"); a lead with no country passes.</summary>
    public IReadOnlyList<string>? ExcludeCountries { get; init; }

    /// <summary>Company regions (for example <c>EMEA</c> or a state).</summary>
    public IReadOnlyList<string>? Regions { get; init; }

    /// <summary>Languages of the person (a tag such as <c>en-GB</c> also matches <c>en</c>).</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>Lead sources (for example <c>Webinar</c>, <c>Agency</c>).</summary>
    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>Account ids.</summary>
    public IReadOnlyList<string>? Accounts { get; init; }

    /// <summary>Company domains (the company's domain, or else the e-mail domain).</summary>
    public IReadOnlyList<string>? Domains { get; init; }

    /// <summary>Qualification states: <c>notQualified</c>, <c>mql</c>, <c>hot</c>.</summary>
    public IReadOnlyList<string>? States { get; init; }

    /// <summary>The lowest total score matched (inclusive).</summary>
    public decimal? MinScore { get; init; }

    /// <summary>The highest total score matched (inclusive).</summary>
    public decimal? MaxScore { get; init; }

    /// <summary>The lowest grade matched, as a letter such as <c>B</c> (inclusive).</summary>
    public string? MinGrade { get; init; }

    /// <summary>The highest grade matched, as a letter such as <c>A+</c> (inclusive).</summary>
    public string? MaxGrade { get; init; }
}
