using Alignment.Scoring;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// The 40 peer rules as an Alignment scoring model (<c>Scoring/peer-40.model.json</c>, embedded): all fit rules without grade steps,
/// ordinal text comparison (the specification's <c>contains_any</c> is case-sensitive, and "Director" contains "cto" ignoring case),
/// the behaviour attributes declared as custom attributes, one default category without cap, thresholds MQL 60 and hot 120 with
/// minimum grade F.
/// </summary>
public static class ScoringPeersModel
{
    /// <summary>The model's id.</summary>
    public const string Id = "peer-40";

    private const string ResourceName = "Alignment.Benchmarks.Scoring.peer-40.model.json";

    /// <summary>The model document (read from the assembly on each call; nothing is cached).</summary>
    /// <exception cref="InvalidOperationException">The resource is missing from the assembly.</exception>
    public static string Json
    {
        get
        {
            using Stream stream = typeof(ScoringPeersModel).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from the benchmark assembly.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>
    /// Loads and compiles the model against <see cref="PeerAttributes.Schema"/>. Setting the environment variable
    /// <c>ALIGNMENT_BENCH_INTERPRET=1</c> makes the engine interpret instead of compile: the deliberately slowed build used to
    /// show that the CI guards trip (docs/performance.md).
    /// </summary>
    /// <returns>The compiled model.</returns>
    public static ScoringModel Compile() => ScoringModel.Load(Json, new ScoringModelOptions
    {
        Schema = PeerAttributes.Schema,
        Document = "peer-40.model.json",
        PreferInterpretation = Environment.GetEnvironmentVariable("ALIGNMENT_BENCH_INTERPRET") == "1",
    });
}
