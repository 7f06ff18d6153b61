using System.Collections.Immutable;

namespace Alignment.Segmentation.Consistency;

/// <summary>One run of the value-proposition test: every rep's answer per segment, collected at one time.</summary>
/// <param name="Id">The test's id (for example <c>2026-Q1</c>).</param>
/// <param name="At">When the answers were collected.</param>
/// <param name="Surveys">The answers per segment, with the segment's canonical value proposition.</param>
public sealed record ConsistencyTest(string Id, DateTimeOffset At, IReadOnlyList<ValuePropositionSurvey> Surveys);

/// <summary>The result of one test: the report against the canonical value propositions, and how alike the reps' answers are to each other.</summary>
/// <param name="Id">The test's id.</param>
/// <param name="At">When the answers were collected.</param>
/// <param name="Report">Consistency against each segment's canonical value proposition, per segment and per rep.</param>
/// <param name="PeerIndex">Per segment, the mean similarity of each pair of reps' answers (1 when fewer than two answered), in segment order as given.</param>
public sealed record ConsistencyTestResult(string Id, DateTimeOffset At, ConsistencyReport Report, ImmutableArray<KeyValuePair<SegmentId, double>> PeerIndex);

/// <summary>A rep or segment whose consistency index fell between two tests by at least the drift threshold.</summary>
/// <param name="Name">The rep's or the segment's id.</param>
/// <param name="PreviousTestId">The earlier test.</param>
/// <param name="Previous">Its index in the earlier test.</param>
/// <param name="LatestTestId">The later test.</param>
/// <param name="Latest">Its index in the later test.</param>
public sealed record ConsistencyDrift(string Name, string PreviousTestId, double Previous, string LatestTestId, double Latest)
{
    /// <summary>How far the index fell (positive when it fell).</summary>
    public double Drop => Previous - Latest;
}

/// <summary>The value-proposition test tracked over time: each test's result in time order, and who drifted in the latest test.</summary>
/// <param name="Tests">Every test's result, oldest first.</param>
/// <param name="DriftingReps">The reps whose index fell by at least the threshold between their last two tests, the largest drop first.</param>
/// <param name="DriftingSegments">The segments whose index fell by at least the threshold between their last two tests, the largest drop first.</param>
public sealed record ConsistencyTrend(ImmutableArray<ConsistencyTestResult> Tests, ImmutableArray<ConsistencyDrift> DriftingReps, ImmutableArray<ConsistencyDrift> DriftingSegments)
{
    /// <summary>
    /// Scores every test (<see cref="MessageConsistency.Analyze"/>), orders them by time, and names the reps and segments whose index
    /// fell by at least <paramref name="driftThreshold"/> between the last two tests they took part in.
    /// </summary>
    /// <param name="tests">The tests, in any order.</param>
    /// <param name="driftThreshold">The fall in index (0 to 1) that counts as drift; for example 0.2.</param>
    /// <returns>The trend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tests"/> or a test is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="driftThreshold"/> is not above 0 and at most 1.</exception>
    /// <exception cref="ArgumentException">Two tests have the same id, or a test has no id.</exception>
    public static ConsistencyTrend Track(IEnumerable<ConsistencyTest> tests, double driftThreshold)
    {
        ArgumentNullException.ThrowIfNull(tests);
        if (double.IsNaN(driftThreshold) || driftThreshold is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(driftThreshold), driftThreshold, "The drift threshold must be above 0 and at most 1.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<ConsistencyTestResult>();
        foreach (var test in tests)
        {
            ArgumentNullException.ThrowIfNull(test, nameof(tests));
            ArgumentNullException.ThrowIfNull(test.Surveys, nameof(tests));
            if (string.IsNullOrWhiteSpace(test.Id) || !ids.Add(test.Id))
            {
                throw new ArgumentException($"Every test needs its own id ('{test.Id}' is empty or repeated).", nameof(tests));
            }

            var report = MessageConsistency.Analyze(test.Surveys, divergentCount: 5);
            var peers = test.Surveys.Select(s => new KeyValuePair<SegmentId, double>(s.Segment, Peer(s))).ToImmutableArray();
            results.Add(new ConsistencyTestResult(test.Id, test.At, report, peers));
        }

        results.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Id, b.Id));
        var reps = Drifts(results, r => r.Report.Reps.Select(x => (x.Rep.Value, x.Index)), driftThreshold);
        var segments = Drifts(results, r => r.Report.Segments.Select(x => (x.Segment.Value, x.Index)), driftThreshold);
        return new ConsistencyTrend([.. results], reps, segments);
    }

    private static double Peer(ValuePropositionSurvey survey)
    {
        var answers = survey.Answers;
        if (answers.Count < 2)
        {
            return 1;
        }

        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < answers.Count; i++)
        {
            for (int j = i + 1; j < answers.Count; j++)
            {
                sum += MessageConsistency.Similarity(answers[i].Text, answers[j].Text);
                pairs++;
            }
        }

        return sum / pairs;
    }

    private static ImmutableArray<ConsistencyDrift> Drifts(List<ConsistencyTestResult> results, Func<ConsistencyTestResult, IEnumerable<(string Name, double Index)>> indexes, double threshold)
    {
        var history = new Dictionary<string, List<(string Test, double Index)>>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            foreach (var (name, index) in indexes(result))
            {
                if (!history.TryGetValue(name, out var list))
                {
                    history[name] = list = [];
                }

                list.Add((result.Id, index));
            }
        }

        return [.. history
            .Where(h => h.Value.Count >= 2 && h.Value[^2].Index - h.Value[^1].Index >= threshold - 1e-12)
            .Select(h => new ConsistencyDrift(h.Key, h.Value[^2].Test, h.Value[^2].Index, h.Value[^1].Test, h.Value[^1].Index))
            .OrderByDescending(d => d.Drop)
            .ThenBy(d => d.Name, StringComparer.Ordinal)];
    }
}
