namespace Alignment.Scoring;

/// <summary>A change of <see cref="QualificationState"/> between two scores of the same lead, in either direction.</summary>
/// <param name="From">The earlier state.</param>
/// <param name="To">The later state.</param>
public readonly record struct ThresholdCrossing(QualificationState From, QualificationState To)
{
    /// <summary><see langword="true"/> when the lead moved up (for example became MQL).</summary>
    public bool IsUp => To > From;

    /// <summary><see langword="true"/> when the lead dropped (for example its engagement decayed below the MQL threshold).</summary>
    public bool IsDown => To < From;

    /// <summary>Compares two states.</summary>
    /// <param name="previous">The earlier state.</param>
    /// <param name="current">The later state.</param>
    /// <param name="crossing">The crossing, when the states differ.</param>
    /// <returns><see langword="true"/> when a threshold was crossed.</returns>
    public static bool TryDetect(QualificationState previous, QualificationState current, out ThresholdCrossing crossing)
    {
        crossing = new ThresholdCrossing(previous, current);
        return previous != current;
    }
}
