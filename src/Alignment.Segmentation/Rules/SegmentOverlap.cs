namespace Alignment.Segmentation.Rules;

/// <summary>
/// Two segment definitions that can both match the same lead. The earlier one wins (definitions are ordered), so the later one
/// only gets what is left; when <see cref="LaterIsUnreachable"/> is set it gets nothing at all.
/// </summary>
/// <param name="Earlier">The definition that wins.</param>
/// <param name="Later">The definition that loses.</param>
/// <param name="Example">A lead both can match, as field values (for example <c>company.industry = Software; company.employeeCount = 1000</c>).</param>
/// <param name="LaterIsUnreachable">Whether every lead the later definition matches is already taken by the earlier one.</param>
public sealed record SegmentOverlap(SegmentId Earlier, SegmentId Later, string Example, bool LaterIsUnreachable)
{
    /// <summary>Describes the overlap for a report.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"'{Earlier}' and '{Later}' can both match (for example {Example}); '{Earlier}' wins{(LaterIsUnreachable ? $" and '{Later}' can never match" : "")}.";
}
