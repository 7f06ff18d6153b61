using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Policies.Handoff;

/// <summary>
/// What routing rules read from a lead, kept with its assignment so that a store can route the lead again (reassignment after a
/// missed service level, or the field leg after inside-sales qualification) without the CRM's full record.
/// </summary>
/// <param name="LeadId">The lead.</param>
public sealed record RoutingFacts(LeadId LeadId)
{
    /// <summary>The company's country.</summary>
    public string? Country { get; init; }

    /// <summary>The company's region.</summary>
    public string? Region { get; init; }

    /// <summary>The person's language.</summary>
    public string? Language { get; init; }

    /// <summary>The segment id.</summary>
    public string? Segment { get; init; }

    /// <summary>The lead source.</summary>
    public string? Source { get; init; }

    /// <summary>The account id.</summary>
    public string? AccountId { get; init; }

    /// <summary>The company domain, or else the e-mail domain.</summary>
    public string? Domain { get; init; }

    /// <summary>The total score.</summary>
    public decimal Score { get; init; }

    /// <summary>The grade.</summary>
    public Grade Grade { get; init; } = Grades.Start;

    /// <summary>The qualification state.</summary>
    public QualificationState State { get; init; }

    /// <summary>Takes the facts routing reads from a request.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    internal static RoutingFacts From(HandoffRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lead = request.Lead;
        return new RoutingFacts(lead.Id)
        {
            Country = lead.Company.Country,
            Region = lead.Company.Region,
            Language = lead.Person.Language,
            Segment = request.Segment?.Value,
            Source = lead.Source,
            AccountId = lead.AccountId?.Value,
            Domain = lead.Company.Domain ?? lead.Person.EmailDomain,
            Score = request.Score.Total,
            Grade = request.Score.Grade,
            State = request.Score.State,
        };
    }
}
