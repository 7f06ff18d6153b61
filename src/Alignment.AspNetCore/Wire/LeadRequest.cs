using System.Text.Json;

namespace Alignment.AspNetCore.Wire;

/// <summary>
/// The body of <c>POST /leads</c>: a lead as the CRM has it, with the activities it reports (new ones, or all of them: an
/// activity already stored, same type, time, URL and campaign, is not added twice). Every member but <see cref="Id"/> is
/// optional; a member left out keeps what an earlier ingest of the same lead said.
/// </summary>
public sealed record LeadRequest
{
    /// <summary>The CRM's id of the lead (required; at most 200 characters).</summary>
    public string? Id { get; init; }

    /// <summary>The CRM's id of the lead's account, if any.</summary>
    public string? AccountId { get; init; }

    /// <summary>The person.</summary>
    public PersonRequest? Person { get; init; }

    /// <summary>The company.</summary>
    public CompanyRequest? Company { get; init; }

    /// <summary>Where the lead came from (for example <c>Web</c>, <c>Trade Show</c>).</summary>
    public string? Source { get; init; }

    /// <summary>The campaign that brought the lead in.</summary>
    public string? Campaign { get; init; }

    /// <summary>When the CRM created the lead, with its UTC offset.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The custom fields the tenant's models declare (<c>attributes</c> in the scoring model): numbers, booleans or texts.</summary>
    public Dictionary<string, JsonElement>? Attributes { get; init; }

    /// <summary>The activities (at most 10,000 per request).</summary>
    public List<ActivityRequest>? Activities { get; init; }
}
