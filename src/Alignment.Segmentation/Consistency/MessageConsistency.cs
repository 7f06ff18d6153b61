using System.Collections.Immutable;
using Alignment.Handoff;

namespace Alignment.Segmentation.Consistency;

/// <summary>
/// Measures message consistency with TF-IDF cosine similarity. For each segment the corpus is the canonical value proposition plus
/// every answer (N documents), tokenised by <see cref="TextNormalizer"/>. A term's weight in a document is its count times
/// idf = ln((1 + N) / (1 + df)) + 1, where df is the number of documents holding it (the smoothed idf, so a word every document
/// shares still counts). Similarity is the cosine of the answer's and the canonical text's weight vectors (0 when either has no
/// token). The segment index is the mean similarity of its answers; a rep's index is the mean over their answers.
/// </summary>
/// <remarks>Deterministic and thread-safe.</remarks>
public static class MessageConsistency
{
    /// <summary>Scores every answer against its segment's canonical value proposition.</summary>
    /// <param name="surveys">One survey per segment.</param>
    /// <param name="divergentCount">How many of the least similar answers to list; zero or more.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="surveys"/> or one of its texts is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="divergentCount"/> is negative.</exception>
    public static ConsistencyReport Analyze(IEnumerable<ValuePropositionSurvey> surveys, int divergentCount)
    {
        ArgumentNullException.ThrowIfNull(surveys);
        ArgumentOutOfRangeException.ThrowIfNegative(divergentCount);
        var segments = new List<SegmentConsistency>();
        var all = new List<AnswerSimilarity>();
        foreach (var survey in surveys)
        {
            ArgumentNullException.ThrowIfNull(survey);
            ArgumentNullException.ThrowIfNull(survey.Canonical);
            ArgumentNullException.ThrowIfNull(survey.Answers);
            var documents = new List<ImmutableArray<string>> { TextNormalizer.Tokenize(survey.Canonical) };
            foreach (var answer in survey.Answers)
            {
                ArgumentNullException.ThrowIfNull(answer?.Text, nameof(surveys));
                documents.Add(TextNormalizer.Tokenize(answer.Text));
            }

            var vectors = Vectorize(documents);
            var scores = survey.Answers.Select((a, i) => new AnswerSimilarity(survey.Segment, a.Rep, Cosine(vectors[0], vectors[i + 1]))).ToList();
            all.AddRange(scores);
            segments.Add(new SegmentConsistency(
                survey.Segment,
                scores.Count == 0 ? 0 : scores.Average(s => s.Similarity),
                [.. Order(scores)]));
        }

        var reps = all.GroupBy(a => a.Rep)
            .Select(g => new RepConsistency(g.Key, g.Average(a => a.Similarity), g.Count()))
            .OrderBy(r => r.Index).ThenBy(r => r.Rep.Value, StringComparer.Ordinal);
        return new ConsistencyReport(
            all.Count == 0 ? 0 : all.Average(a => a.Similarity),
            [.. segments],
            [.. reps],
            [.. Order(all).Take(divergentCount)]);
    }

    /// <summary>The TF-IDF cosine similarity of two texts, with the two of them as the corpus.</summary>
    /// <param name="first">One text.</param>
    /// <param name="second">The other.</param>
    /// <returns>0 to 1.</returns>
    /// <exception cref="ArgumentNullException">A text is null.</exception>
    public static double Similarity(string first, string second)
    {
        var v = Vectorize([TextNormalizer.Tokenize(first), TextNormalizer.Tokenize(second)]);
        return Cosine(v[0], v[1]);
    }

    private static IOrderedEnumerable<AnswerSimilarity> Order(IEnumerable<AnswerSimilarity> scores) =>
        scores.OrderBy(s => s.Similarity).ThenBy(s => s.Rep.Value, StringComparer.Ordinal).ThenBy(s => s.Segment.Value, StringComparer.Ordinal);

    private static List<Dictionary<string, double>> Vectorize(List<ImmutableArray<string>> documents)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            foreach (var term in doc.Distinct())
            {
                df[term] = df.GetValueOrDefault(term) + 1;
            }
        }

        int n = documents.Count;
        return documents.Select(doc => doc.GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count() * (Math.Log((1.0 + n) / (1.0 + df[g.Key])) + 1.0), StringComparer.Ordinal)).ToList();
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        double dot = 0, na = 0, nb = 0;
        foreach (var (term, w) in a.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            na += w * w;
            if (b.TryGetValue(term, out double wb))
            {
                dot += w * wb;
            }
        }

        foreach (var (_, w) in b.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            nb += w * w;
        }

        return na == 0 || nb == 0 ? 0 : Math.Clamp(dot / Math.Sqrt(na * nb), 0, 1);
    }
}
