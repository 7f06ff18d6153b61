using System.Text.Json;
using Alignment.AspNetCore.Wire;
using Alignment.Leads;
using Alignment.Policies.Nurture;
using Alignment.Segmentation;
using Microsoft.Extensions.DependencyInjection;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>Gives the nurture engine each lead as it was last ingested over HTTP (from the tenant's <see cref="ILeadDocumentStore"/>).</summary>
internal sealed class LeadDocumentSnapshotSource(IServiceProvider services) : ILeadSnapshotSource
{
    public async ValueTask<LeadSnapshot?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        if (await services.GetRequiredService<ILeadDocumentStore>().FindAsync(leadId, cancellationToken).ConfigureAwait(false) is not { } document)
        {
            return null;
        }

        // The head only: the last decision's card, explanation and playbook are most of the document and are not needed here.
        var stored = LeadDocumentJson.Read(document, AlignmentHttpJsonContext.Default.StoredLeadHead);
        var schema = services.GetService<AttributeSchema>() ?? AttributeSchema.Empty;
        return new LeadSnapshot(LeadMapping.ToLead(stored.Lead, schema), LeadMapping.ToActivities(stored.Activities))
        {
            Segment = stored.LastDecision?.Segment?.Id is { } segment ? new SegmentId(segment) : null,
        };
    }
}
