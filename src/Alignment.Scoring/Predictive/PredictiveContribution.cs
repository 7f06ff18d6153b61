namespace Alignment.Scoring.Predictive;

/// <summary>
/// One factor of a predictive probability: the won side was multiplied by <see cref="WonFactor"/> and the lost side by
/// <see cref="LostFactor"/>.
/// </summary>
/// <param name="Kind">Whether the factor comes from the stage, a field or a tag.</param>
/// <param name="Field">The field name (<c>stage</c> for the stage, <c>tag</c> for tags).</param>
/// <param name="Value">The value, or <see langword="null"/> for an unset value of a field that counts missing as a value.</param>
/// <param name="Won">The smoothed won count of the (team, field, value) row, or of the global view's sum.</param>
/// <param name="Lost">The smoothed lost count of that row.</param>
/// <param name="WonTotal">The divisor of <see cref="Won"/>: the first stage's won count for the stage, else the field's won total.</param>
/// <param name="LostTotal">The divisor of <see cref="Lost"/>, chosen like <see cref="WonTotal"/>.</param>
public sealed record PredictiveContribution(
    PredictiveFactorKind Kind,
    string Field,
    string? Value,
    double Won,
    double Lost,
    double WonTotal,
    double LostTotal)
{
    /// <summary>Gets the factor applied to the won side: <see cref="Won"/> / <see cref="WonTotal"/>.</summary>
    public double WonFactor => Won / WonTotal;

    /// <summary>Gets the factor applied to the lost side: <see cref="Lost"/> / <see cref="LostTotal"/>.</summary>
    public double LostFactor => Lost / LostTotal;

    /// <summary>
    /// Gets the natural logarithm of <see cref="WonFactor"/> / <see cref="LostFactor"/>: positive when this value pushes the
    /// lead towards winning, negative when towards losing, 0 when it is neutral.
    /// </summary>
    public double Weight => Math.Log(WonFactor / LostFactor);
}
