using Alignment.Leads;
using Alignment.Models;

namespace Alignment.Segmentation;

/// <summary>The segment a lead landed in, and why.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Segment">Its segment; every lead lands in exactly one (the model's default when no definition matches).</param>
/// <param name="Reason">Which definition matched, or which centroid was nearest and by how much.</param>
public sealed record SegmentAssignment(LeadId LeadId, SegmentId Segment, string Reason)
{
    /// <summary><see langword="true"/> when no definition matched and the lead fell to the default segment.</summary>
    public bool IsDefault { get; init; }

    /// <summary>
    /// The segmentation model that made the assignment (id, version and content hash), so the assignment can be traced to the
    /// release that made it; <see langword="null"/> when the segmenter does not name one. A model attaches the same instance to every
    /// assignment it makes.
    /// </summary>
    public ModelReference? Model { get; init; }
}
