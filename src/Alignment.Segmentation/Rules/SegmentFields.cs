namespace Alignment.Segmentation.Rules;

/// <summary>
/// Names a segment condition can use besides the lead-field catalogue (<see cref="Alignment.Leads.LeadFields"/>, whose
/// <c>attributes.&lt;name&gt;</c> fields read the <see cref="Alignment.Leads.AttributeSchema"/> the model is loaded with): a band
/// set of the model by its name, or <c>cluster.&lt;id&gt;</c>, the nearest centroid's label of one of the model's clusterings.
/// </summary>
internal static class SegmentFields
{
    /// <summary>The prefix of clustering fields.</summary>
    public const string ClusterPrefix = "cluster.";
}
