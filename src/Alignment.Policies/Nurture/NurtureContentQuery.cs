using Alignment.Leads;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>What a nurture step asks the content provider for.</summary>
/// <param name="leadId">The lead the content is for.</param>
/// <param name="segment">The lead's segment, if known.</param>
/// <param name="topic">The step's topic.</param>
/// <param name="campaign">The campaign of the enrolment (for a webinar recording), if any.</param>
/// <param name="asOf">The instant of the step.</param>
public sealed class NurtureContentQuery(LeadId leadId, SegmentId? segment, string topic, string? campaign, DateTimeOffset asOf)
{
    /// <summary>The lead the content is for.</summary>
    public LeadId LeadId { get; } = leadId;

    /// <summary>The lead's segment, if known.</summary>
    public SegmentId? Segment { get; } = segment;

    /// <summary>The step's topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>The campaign of the enrolment (for a webinar recording), if any.</summary>
    public string? Campaign { get; } = campaign;

    /// <summary>The instant of the step.</summary>
    public DateTimeOffset AsOf { get; } = asOf;
}
