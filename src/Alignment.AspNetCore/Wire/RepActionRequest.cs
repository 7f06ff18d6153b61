namespace Alignment.AspNetCore.Wire;

/// <summary>The body of a rep's answer to a handoff: first touch, accept or reject.</summary>
public sealed record RepActionRequest
{
    /// <summary>The acting rep (required: the router checks that the handoff is theirs).</summary>
    public string? Rep { get; init; }

    /// <summary>For a rejection: the reason code (required), one of <c>notAFit</c>, <c>badData</c>, <c>duplicate</c>, <c>noBudget</c>, <c>timing</c>, <c>notNow</c>, <c>noAuthority</c>, <c>other</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>For a rejection: a note, if any.</summary>
    public string? Note { get; init; }
}
