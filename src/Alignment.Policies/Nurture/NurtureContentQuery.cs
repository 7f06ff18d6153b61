using Alignment.Leads;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>What a nurture step asks the content provider for.</summary>
/// <param name="LeadId">The lead the content is for.</param>
/// <param name="Segment">The lead's segment, if known.</param>
/// <param name="Topic">The step's topic.</param>
/// <param name="Campaign">The campaign of the enrolment (for a webinar recording), if any.</param>
/// <param name="AsOf">The instant of the step.</param>
public sealed record NurtureContentQuery(LeadId LeadId, SegmentId? Segment, string Topic, string? Campaign, DateTimeOffset AsOf);
