namespace Alignment.Segmentation.Clustering;

/// <summary>Settings of a k-means fit. Every default is the one <see cref="KMeans.Fit"/> was tuned and documented with.</summary>
public sealed class KMeansOptions
{
    /// <summary>The number of clusters.</summary>
    /// <value>Defaults to 8. At least 1.</value>
    public int K { get; set; } = 8;

    /// <summary>The seed: the same seed, data and options give bit-for-bit the same result on every run, whatever the thread count.</summary>
    /// <value>Defaults to 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>How many k-means++ starts to try; the one with the lowest inertia wins. Small data gets more (see <see cref="SmallDataRestarts"/>).</summary>
    /// <value>Defaults to 10. At least 1.</value>
    public int Restarts { get; set; } = 10;

    /// <summary>
    /// How many k-means++ starts to try on small data, where every start can run to convergence on all rows cheaply: when the
    /// estimated work of <see cref="Restarts"/> full runs, rows x features x <see cref="K"/> x (30 expected iterations + 2 + ln k
    /// seeding candidates) x restarts, is at most 2²⁷ (about 134 million; of the order of 0.1 s of one core), the data is not sampled and
    /// as many restarts as fit in that work run, at least <see cref="Restarts"/> and otherwise at most this many (so
    /// <c>max(Restarts, SmallDataRestarts)</c> at most); the lowest inertia wins. The estimate counts 30 iterations per run, a
    /// typical count; a run may take up to <see cref="MaxIterations"/>, so the real work can exceed the estimate on data that
    /// converges slowly.
    /// 0 turns the small-data rule off (<see cref="Restarts"/> restarts, sampled as set by <see cref="SampleSize"/>).
    /// </summary>
    /// <value>Defaults to 100 (a few hundred rows of up to 8 features and 8 clusters get all 100). Zero or more.</value>
    public int SmallDataRestarts { get; set; } = 100;

    /// <summary>The most Lloyd iterations of the final (full data) run.</summary>
    /// <value>Defaults to 300. At least 1.</value>
    public int MaxIterations { get; set; } = 300;

    /// <summary>Lloyd stops when no point changes cluster, or when no centroid moves by more than this distance in one iteration.</summary>
    /// <value>Defaults to 1e-4 (in the units of the data; a ten-thousandth of a standard deviation on standardised data). Zero or more.</value>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>
    /// When the data has more rows than this, the restarts (k-means++ seeding and up to <see cref="SampleIterations"/> Lloyd
    /// iterations) run on a deterministic stratified sample of this many rows, and only the <see cref="FinalCandidates"/> best starts
    /// are finished on the full data. 0 runs every restart on the full data. Small data is never sampled (see <see cref="SmallDataRestarts"/>).
    /// </summary>
    /// <value>Defaults to 8,192. Zero, or at least 100.</value>
    public int SampleSize { get; set; } = 8_192;

    /// <summary>The most Lloyd iterations of one restart on the sample.</summary>
    /// <value>Defaults to 50. At least 1.</value>
    public int SampleIterations { get; set; } = 50;

    /// <summary>
    /// How many of the best sampled starts are finished on the full data (the lowest full-data inertia wins). Starts that reached the
    /// same centroids on the sample count as one.
    /// </summary>
    /// <value>Defaults to 2. At least 1.</value>
    public int FinalCandidates { get; set; } = 2;

    /// <summary>
    /// A runner-up start is finished on the full data only when its sample inertia is at most this fraction above the best start's
    /// (a start clearly worse on the sample is not worth a full run: a poor start also converges slowly).
    /// </summary>
    /// <value>Defaults to 0.01 (1 %). Zero or more.</value>
    public double CandidateMargin { get; set; } = 0.01;

    /// <summary>The most threads to use; -1 uses every core. The result does not depend on it.</summary>
    /// <value>Defaults to -1. -1 or at least 1.</value>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>The number of rows the silhouette is computed on (a deterministic stratified sample when the data is larger).</summary>
    /// <value>Defaults to 2,000. At least 2.</value>
    public int SilhouetteSampleSize { get; set; } = 2_000;

    /// <summary>Checks every setting.</summary>
    /// <returns>One message per invalid setting, naming it; empty when all are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (K < 1)
        {
            errors.Add($"{nameof(K)} must be at least 1 (was {K}).");
        }

        if (Restarts < 1)
        {
            errors.Add($"{nameof(Restarts)} must be at least 1 (was {Restarts}).");
        }

        if (SmallDataRestarts < 0)
        {
            errors.Add($"{nameof(SmallDataRestarts)} must be 0 or more (was {SmallDataRestarts}).");
        }

        if (MaxIterations < 1)
        {
            errors.Add($"{nameof(MaxIterations)} must be at least 1 (was {MaxIterations}).");
        }

        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance))
        {
            errors.Add($"{nameof(Tolerance)} must be a finite number of zero or more (was {Tolerance}).");
        }

        if (SampleSize is not 0 and < 100)
        {
            errors.Add($"{nameof(SampleSize)} must be 0 or at least 100 (was {SampleSize}).");
        }

        if (SampleIterations < 1)
        {
            errors.Add($"{nameof(SampleIterations)} must be at least 1 (was {SampleIterations}).");
        }

        if (FinalCandidates < 1)
        {
            errors.Add($"{nameof(FinalCandidates)} must be at least 1 (was {FinalCandidates}).");
        }

        if (!(CandidateMargin >= 0) || double.IsInfinity(CandidateMargin))
        {
            errors.Add($"{nameof(CandidateMargin)} must be a finite number of zero or more (was {CandidateMargin}).");
        }

        if (MaxDegreeOfParallelism is not -1 and < 1)
        {
            errors.Add($"{nameof(MaxDegreeOfParallelism)} must be -1 or at least 1 (was {MaxDegreeOfParallelism}).");
        }

        if (SilhouetteSampleSize < 2)
        {
            errors.Add($"{nameof(SilhouetteSampleSize)} must be at least 2 (was {SilhouetteSampleSize}).");
        }

        return errors;
    }
}
