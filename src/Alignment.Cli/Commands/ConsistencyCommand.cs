using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Cli.Csv;
using Alignment.Cli.Output;
using Alignment.Segmentation;
using Alignment.Segmentation.Consistency;
using Alignment.Segmentation.Rules;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment consistency --answers A.csv --segments S.json [--drift D] [--format table|json]</c>: the value-proposition test. Each
/// rep's answer to "what is your value proposition?" is scored against the canonical value proposition of the segment's playbook in
/// the segmentation model and against the other reps' answers, per segment and per rep, for every test in the file; over several
/// tests, the reps and segments whose index fell by at least the drift threshold are named.
/// </summary>
internal sealed class ConsistencyCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var answers = CommandInputs.FileOption("--answers", "A.csv", "The reps' answers: rep,segment,answer and optional test, at (CSV).");
        var segments = CommandInputs.FileOption("--segments", "S.json", "The segmentation model whose playbooks hold each segment's value proposition (JSON).");
        var drift = CommandInputs.NumberOption<double>("--drift", "D", "How far an index must fall between two tests to count as drift, above 0 and at most 1 (default 0.1).", d => d is > 0 and <= 1, "a number above 0 and at most 1");
        var limits = CommandInputs.LimitOption();
        var format = CommandInputs.FormatOption();
        var command = new Command("consistency", "The value-proposition test: how consistently reps tell each segment's story, and who drifts.")
        {
            answers, segments, drift, limits, format,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            parse.GetRequiredValue(answers),
            parse.GetRequiredValue(segments),
            parse.GetValue(drift) ?? 0.1,
            parse.GetRequiredValue(limits),
            parse.GetValue(format) == "json",
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string answersPath, string modelPath, double drift, Alignment.Models.ModelReadLimits limits, bool json, CancellationToken cancellationToken)
    {
        var (model, _) = SegmentationInputs.Load(modelPath, "--segments", limits);
        var canonical = new Dictionary<SegmentId, string>();
        foreach (var definition in model.Definitions.Append(model.Default))
        {
            if (model.TryGetPlaybook(definition.Id, out var playbook))
            {
                canonical[definition.Id] = playbook.ValueProposition;
            }
        }

        if (canonical.Count == 0)
        {
            throw new CliInputException(modelPath, null, "--segments", "no segment has a playbook with a value proposition to compare the answers with");
        }

        List<ConsistencyTest> tests;
        try
        {
            using var reader = CommandInputs.OpenText(answersPath, "--answers");
            var read = ConsistencyCsv.Read(reader, answersPath, cancellationToken);
            if (read.Count == 0)
            {
                throw new CliInputException(answersPath, null, "--answers", "the file has no answer; add a row such as rep-1,enterprise,\"We cut release risk\"");
            }

            tests = ConsistencyCsv.Tests(read, canonical, answersPath, modelPath);
        }
        catch (LeadCsvException e)
        {
            throw CommandInputs.From(e);
        }

        var trend = ConsistencyTrend.Track(tests, drift);
        string text = json ? Json(trend, drift) : Table(trend, drift, answersPath);
        await console.Out.WriteAsync(TerminalText.EscapeLines(text)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Table(ConsistencyTrend trend, double drift, string answersPath)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.Append(c, $"Value-proposition test from {Path.GetFileName(answersPath)}: {trend.Tests.Length} test(s); index 1 = every answer tells the segment's story, 0 = none does").AppendLine();
        foreach (var test in trend.Tests)
        {
            b.AppendLine();
            b.Append(c, $"Test {test.Id} ({test.At.UtcDateTime:yyyy-MM-dd}): overall {test.Report.Overall:0.000}").AppendLine();
            b.AppendLine("  segment                          index   peers  answers");
            var peers = test.PeerIndex.ToDictionary(p => p.Key, p => p.Value);
            foreach (var segment in test.Report.Segments)
            {
                b.Append(c, $"  {segment.Segment.Value,-30}  {segment.Index,6:0.000}  {(peers.TryGetValue(segment.Segment, out var p) ? p.ToString("0.000", c) : "-"),6}  {segment.Answers.Length,7}").AppendLine();
            }

            b.AppendLine("  rep                              index  answers");
            foreach (var rep in test.Report.Reps)
            {
                b.Append(c, $"  {rep.Rep.Value,-30}  {rep.Index,6:0.000}  {rep.Answers,7}").AppendLine();
            }

            if (!test.Report.MostDivergent.IsEmpty)
            {
                b.Append("  furthest from the story: ")
                    .AppendJoin(", ", test.Report.MostDivergent.Select(a => string.Create(c, $"{a.Rep.Value} on {a.Segment.Value} ({a.Similarity:0.000})")))
                    .AppendLine();
            }
        }

        b.AppendLine();
        if (trend.Tests.Length < 2)
        {
            b.AppendLine("Drift: one test only; run the test again (a new test id) to see who drifts.");
        }
        else if (trend.DriftingReps.IsEmpty && trend.DriftingSegments.IsEmpty)
        {
            b.Append(c, $"Drift: no rep or segment fell by {drift:0.###} or more since the previous test.").AppendLine();
        }
        else
        {
            b.Append(c, $"Drift (fell by {drift:0.###} or more):").AppendLine();
            foreach (var d in trend.DriftingReps)
            {
                b.Append(c, $"  rep {d.Name}: {d.Previous:0.000} in {d.PreviousTestId} → {d.Latest:0.000} in {d.LatestTestId} (-{d.Drop:0.000})").AppendLine();
            }

            foreach (var d in trend.DriftingSegments)
            {
                b.Append(c, $"  segment {d.Name}: {d.Previous:0.000} in {d.PreviousTestId} → {d.Latest:0.000} in {d.LatestTestId} (-{d.Drop:0.000})").AppendLine();
            }
        }

        return b.ToString();
    }

    private static string Json(ConsistencyTrend trend, double drift)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("driftThreshold", drift);
            w.WriteStartArray("tests");
            foreach (var test in trend.Tests)
            {
                w.WriteStartObject();
                w.WriteString("id", test.Id);
                w.WriteString("at", test.At);
                w.WriteNumber("overall", Math.Round(test.Report.Overall, 6));
                w.WriteStartArray("segments");
                var peers = test.PeerIndex.ToDictionary(p => p.Key, p => p.Value);
                foreach (var segment in test.Report.Segments)
                {
                    w.WriteStartObject();
                    w.WriteString("segment", segment.Segment.Value);
                    w.WriteNumber("index", Math.Round(segment.Index, 6));
                    if (peers.TryGetValue(segment.Segment, out var peer))
                    {
                        w.WriteNumber("peerIndex", Math.Round(peer, 6));
                    }
                    else
                    {
                        w.WriteNull("peerIndex");
                    }

                    w.WriteStartArray("answers");
                    foreach (var answer in segment.Answers)
                    {
                        w.WriteStartObject();
                        w.WriteString("rep", answer.Rep.Value);
                        w.WriteNumber("similarity", Math.Round(answer.Similarity, 6));
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("reps");
                foreach (var rep in test.Report.Reps)
                {
                    w.WriteStartObject();
                    w.WriteString("rep", rep.Rep.Value);
                    w.WriteNumber("index", Math.Round(rep.Index, 6));
                    w.WriteNumber("answers", rep.Answers);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteDrifts(w, "driftingReps", trend.DriftingReps);
            WriteDrifts(w, "driftingSegments", trend.DriftingSegments);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    /// <summary>Writes drifts as a JSON array (also used by the demo's summary, so both read alike).</summary>
    /// <param name="w">The writer.</param>
    /// <param name="name">The property name.</param>
    /// <param name="drifts">The drifts.</param>
    internal static void WriteDrifts(Utf8JsonWriter w, string name, IEnumerable<ConsistencyDrift> drifts)
    {
        w.WriteStartArray(name);
        foreach (var d in drifts)
        {
            w.WriteStartObject();
            w.WriteString("name", d.Name);
            w.WriteString("previousTest", d.PreviousTestId);
            w.WriteNumber("previous", Math.Round(d.Previous, 6));
            w.WriteString("latestTest", d.LatestTestId);
            w.WriteNumber("latest", Math.Round(d.Latest, 6));
            w.WriteNumber("drop", Math.Round(d.Drop, 6));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
