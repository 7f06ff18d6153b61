namespace Alignment.Segmentation.Playbooks;

/// <summary>An objection a prospect raises and the answer marketing and sales agreed on.</summary>
/// <param name="Objection">The objection.</param>
/// <param name="Response">The answer.</param>
public sealed record ObjectionResponse(string Objection, string Response);
