using Alignment.Scoring.Predictive;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Alignment.Benchmarks.Predictive;

/// <summary>
/// Trains the predictive frequency tables on N closed leads, by a full <see cref="PredictiveScorer.Rebuild"/> and by
/// <see cref="PredictiveScorer.AddOutcome"/> one lead at a time. Linear training shows as a time per N that stays flat from
/// 250,000 to 1,000,000. <see cref="HandWritten"/> (the baseline) counts the same won/lost frequencies with a plain dictionary
/// loop at the same N, so a uniformly slower engine moves the ratio to it where the ratio between two sizes stays flat. Run: <c>dotnet run -c Release --project benchmarks/Alignment.Benchmarks -- --filter '*PredictiveTraining*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[IterationCount(15)]
public class PredictiveTrainingBenchmark
{
    /// <summary>The fields of the generated leads, as in Odoo's predictive lead scoring settings.</summary>
    public static readonly string[] Fields = ["country", "state", "source", "lang", "email_state", "phone_state"];

    private static readonly PipelineStage[] Stages =
    [
        new("New", 1, false), new("Qualified", 2, false), new("Proposition", 3, false), new("Negotiation", 4, false),
        new("Won", 5, true),
    ];

    private PredictiveRecord[] _history = null!;

    /// <summary>Gets or sets the number of closed leads trained on.</summary>
    [Params(250_000, 500_000, 1_000_000)]
    public int N { get; set; }

    /// <summary>Creates a scorer for the generated leads.</summary>
    /// <returns>An untrained scorer.</returns>
    public static PredictiveScorer CreateScorer()
        => new(Stages, new PredictiveScoringOptions { Fields = Fields, MissingAsValueFields = ["email_state", "phone_state"] });

    /// <summary>
    /// Generates <paramref name="count"/> closed leads deterministically: 8 teams and no team, 50 countries, 200 states, 12 sources,
    /// 20 languages, email and phone quality (often unset), 0 to 3 of 40 tags; about 30 % won.
    /// </summary>
    /// <param name="count">How many leads.</param>
    /// <returns>The leads.</returns>
    public static PredictiveRecord[] CreateHistory(int count)
    {
        var random = new Random(20_260_401);
        string?[] teams = [null, .. Names("team", 8)];
        var countries = Names("country", 50);
        var states = Names("state", 200);
        var sources = Names("source", 12);
        var languages = Names("lang", 20);
        string?[] quality = [null, "correct", "incorrect"];
        var tags = Names("tag", 40);
        var history = new PredictiveRecord[count];
        for (var i = 0; i < count; i++)
        {
            var won = random.NextDouble() < 0.3;
            var tagCount = random.Next(4);
            var leadTags = new string[tagCount];
            for (var t = 0; t < tagCount; t++)
            {
                leadTags[t] = tags[random.Next(tags.Length)]!;
            }

            history[i] = new PredictiveRecord(
                i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                teams[random.Next(teams.Length)],
                won ? "Won" : Stages[random.Next(4)].Name,
                won ? LeadOutcome.Won : LeadOutcome.Lost,
                [
                    countries[random.Next(countries.Length)], random.Next(5) == 0 ? null : states[random.Next(states.Length)],
                    sources[random.Next(sources.Length)], languages[random.Next(languages.Length)],
                    quality[random.Next(quality.Length)], quality[random.Next(quality.Length)],
                ],
                [.. leadTags]);
        }

        return history;
    }

    /// <summary>Generates the history once per N.</summary>
    [GlobalSetup]
    public void Setup() => _history = CreateHistory(N);

    /// <summary>Builds the tables from scratch.</summary>
    /// <returns>The number of leads counted.</returns>
    [Benchmark]
    public long Rebuild()
    {
        using var scorer = CreateScorer();
        return scorer.Rebuild(_history);
    }

    /// <summary>Adds the leads one at a time, as outcomes arrive.</summary>
    /// <returns>The number of leads counted.</returns>
    [Benchmark]
    public long AddOutcomeOneByOne()
    {
        using var scorer = CreateScorer();
        foreach (var lead in _history)
        {
            scorer.AddOutcome(lead);
        }

        return scorer.OutcomeCount;
    }

    /// <summary>
    /// The baseline: won/lost counts per (team, field, value) and per (field, value) over all teams, and per tag, in one
    /// dictionary, by a plain loop over the same leads.
    /// </summary>
    /// <returns>The number of leads counted.</returns>
    [Benchmark(Baseline = true)]
    public long HandWritten()
    {
        var counts = new Dictionary<(string? Team, int Field, string? Value), long>();
        long leads = 0;
        foreach (var lead in _history)
        {
            long won = lead.Outcome == LeadOutcome.Won ? 1L << 32 : 1L;
            var values = lead.Values;
            for (int f = 0; f < values.Length; f++)
            {
                Add(counts, (lead.Team, f, values[f]), won);
                Add(counts, (null, f, values[f]), won);
            }

            foreach (string tag in lead.Tags)
            {
                Add(counts, (lead.Team, -1, tag), won);
                Add(counts, (null, -1, tag), won);
            }

            leads++;
        }

        return leads + counts.Count;

        static void Add(Dictionary<(string?, int, string?), long> counts, (string?, int, string?) key, long won)
        {
            ref long slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
            slot += won;
        }
    }

    private static string?[] Names(string prefix, int count)
    {
        var names = new string?[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return names;
    }
}
