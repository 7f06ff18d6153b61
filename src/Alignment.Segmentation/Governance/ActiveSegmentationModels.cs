using Alignment.Leads;
using Alignment.Models.Registry;
using Alignment.Scoring;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Governance;

/// <summary>Helpers over the segmentation models each tenant has active (<see cref="ActiveModels{TModel}"/> of <see cref="SegmentationModel"/>).</summary>
public static class ActiveSegmentationModels
{
    /// <summary>
    /// An <see cref="ISegmenter"/> for the engines: each lead is assigned by its tenant's active model, resolved per lead with a
    /// lock-free lookup, so an activation or a rollback takes effect at the next lead without a restart. Each assignment names the
    /// model that made it (<see cref="SegmentAssignment.Model"/>).
    /// </summary>
    /// <param name="models">The tenants' active segmentation models.</param>
    /// <param name="tenantOf">Tells a lead's tenant (for example from its account or a custom attribute).</param>
    /// <returns>The segmenter; its <see cref="ISegmenter.Assign"/> throws <see cref="InvalidOperationException"/> for a lead whose tenant has no active model (a tenant not loaded yet in this process is read from the registry on its first lead).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ISegmenter SegmenterFor(this ActiveModels<SegmentationModel> models, Func<Lead, string> tenantOf)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(tenantOf);
        return new TenantSegmenter(models, tenantOf);
    }

    private sealed class TenantSegmenter(ActiveModels<SegmentationModel> models, Func<Lead, string> tenantOf) : ISegmenter
    {
        public SegmentAssignment Assign(Lead lead, ScoreCard? score)
        {
            ArgumentNullException.ThrowIfNull(lead);
            string tenant = tenantOf(lead);
            return models.Get(tenant).Model.Assign(lead, score);
        }
    }
}
