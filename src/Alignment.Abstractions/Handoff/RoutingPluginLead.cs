using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Handoff;

/// <summary>
/// What a routing plugin (<see cref="IRoutingStrategy"/>, <see cref="IRoutingCondition"/>) reads of a lead: the facts every routing
/// rule matches on, the same on the first routing and on a reassignment (which routes the lead again from these stored facts, without
/// the CRM's full record).
/// </summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Country">The company's country, or <see langword="null"/>.</param>
/// <param name="Region">The company's region, or <see langword="null"/>.</param>
/// <param name="Language">The person's language, or <see langword="null"/>.</param>
/// <param name="Segment">The segment id, or <see langword="null"/>.</param>
/// <param name="Source">The lead source, or <see langword="null"/>.</param>
/// <param name="AccountId">The account id, or <see langword="null"/>.</param>
/// <param name="Domain">The company domain, or else the e-mail domain, or <see langword="null"/>.</param>
/// <param name="Score">The total score.</param>
/// <param name="Grade">The grade.</param>
/// <param name="State">The qualification state.</param>
public readonly record struct RoutingPluginLead(
    LeadId LeadId,
    string? Country,
    string? Region,
    string? Language,
    string? Segment,
    string? Source,
    string? AccountId,
    string? Domain,
    decimal Score,
    Grade Grade,
    QualificationState State);
