namespace Alignment.AspNetCore.Wire;

/// <summary>What a rep says to a segment.</summary>
/// <param name="ValueProposition">The value proposition both teams agreed.</param>
/// <param name="ProofPoints">Proof points.</param>
/// <param name="Collateral">The collateral to send, best first (ids).</param>
public sealed record PlaybookResponse(string ValueProposition, IReadOnlyList<string> ProofPoints, IReadOnlyList<string> Collateral);
