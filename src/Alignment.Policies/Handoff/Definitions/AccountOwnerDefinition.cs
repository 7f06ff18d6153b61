namespace Alignment.Policies.Handoff.Definitions;

/// <summary>Who owns an account, matched by account id or company domain.</summary>
internal sealed record AccountOwnerDefinition
{
    /// <summary>The CRM's account id; at least one of this and <see cref="Domain"/> is required.</summary>
    public string? AccountId { get; init; }

    /// <summary>The company's web domain (for example <c>globex.com</c>).</summary>
    public string? Domain { get; init; }

    /// <summary>The rep id of the owner. Required.</summary>
    public string? Owner { get; init; }
}
