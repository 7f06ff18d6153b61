namespace Alignment.Segmentation.Rules;

/// <summary>The result of the batch path: a lead's segment and the definition that put it there, without building a text reason.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Definition">The index of the matching definition in <see cref="SegmentationModel.Definitions"/>, or -1 for the default segment.</param>
public readonly record struct SegmentMatch(SegmentId Segment, int Definition)
{
    /// <summary><see langword="true"/> when no definition matched.</summary>
    public bool IsDefault => Definition < 0;
}
