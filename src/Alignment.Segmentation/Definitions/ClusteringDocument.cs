namespace Alignment.Segmentation.Definitions;

/// <summary>
/// A clustering frozen into the model: the number fields it uses, how they were standardised, and the labelled centroids in
/// original units. The field <c>cluster.&lt;id&gt;</c> of a lead is the label of the nearest centroid (standardised Euclidean distance).
/// </summary>
public sealed record ClusteringDocument
{
    /// <summary>The clustering's id.</summary>
    public string? Id { get; init; }

    /// <summary>The number fields, in order (for example <c>company.employeeCount</c>, <c>attributes.engagement</c>).</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>The mean of each feature used to standardise.</summary>
    public IReadOnlyList<double>? Means { get; init; }

    /// <summary>The standard deviation of each feature used to standardise (greater than zero).</summary>
    public IReadOnlyList<double>? StandardDeviations { get; init; }

    /// <summary>The centroids.</summary>
    public IReadOnlyList<CentroidDocument>? Centroids { get; init; }
}
