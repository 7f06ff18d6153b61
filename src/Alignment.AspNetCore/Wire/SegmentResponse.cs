namespace Alignment.AspNetCore.Wire;

/// <summary>A lead's segment and the rep's playbook for it.</summary>
/// <param name="Id">The segment.</param>
/// <param name="Reason">Why the lead is in it.</param>
/// <param name="Playbook">The segment's playbook, when the model has one.</param>
public sealed record SegmentResponse(string Id, string Reason, PlaybookResponse? Playbook);
