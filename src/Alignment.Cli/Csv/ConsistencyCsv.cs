using Alignment.Handoff;
using Alignment.Segmentation;
using Alignment.Segmentation.Consistency;

namespace Alignment.Cli.Csv;

/// <summary>
/// Reads the reps' answers to "what is your value proposition?" (<c>alignment consistency --answers</c>): <c>rep,segment,answer</c>
/// and optional <c>test</c> (the test's id; one test when absent) and <c>at</c> (when it was asked; a test is dated by its earliest
/// answer). Tests without dates are ordered as they first appear in the file.
/// </summary>
internal static class ConsistencyCsv
{
    /// <summary>The most answers a file may hold.</summary>
    public const int MaxRows = 100_000;

    /// <summary>The most characters an answer may have.</summary>
    public const int MaxAnswerLength = 4_000;

    /// <summary>One answer as read, with its line.</summary>
    public sealed record Answer(string Test, DateTimeOffset? At, RepId Rep, SegmentId Segment, string Text, int Line);

    /// <summary>Reads the answers.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="file">The file name, for error messages.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The answers in file order.</returns>
    /// <exception cref="LeadCsvException">The file is malformed, a column is missing, or a value is empty, too long or not valid.</exception>
    public static List<Answer> Read(TextReader reader, string file, CancellationToken cancellationToken)
    {
        var csv = CsvFiles.Open(reader, file);
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        string[] required = ["rep", "segment", "answer"];
        string[] optional = ["test", "at"];
        for (var i = 0; i < csv.Header.Count; i++)
        {
            var name = csv.Header[i].Trim();
            foreach (var known in required.Concat(optional))
            {
                if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase) && !columns.TryAdd(known, i))
                {
                    throw new LeadCsvException(file, csv.HeaderLine, known, "the column appears twice in the header");
                }
            }
        }

        foreach (var name in required)
        {
            if (!columns.ContainsKey(name))
            {
                throw new LeadCsvException(file, csv.HeaderLine, name, "the column is missing from the header (it needs rep, segment, answer; it may have test, at)");
            }
        }

        var answers = new List<Answer>();
        var seen = new HashSet<(string Test, string Rep, string Segment)>();
        while (csv.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (answers.Count >= MaxRows)
            {
                throw new LeadCsvException(file, csv.Line, null, $"the file has more than {MaxRows:N0} answers");
            }

            string rep = Required(csv, columns["rep"], file, "rep");
            string segment = Required(csv, columns["segment"], file, "segment");
            string text = Required(csv, columns["answer"], file, "answer");
            if (text.Length > MaxAnswerLength)
            {
                throw new LeadCsvException(file, csv.Line, "answer", $"the answer has {text.Length:N0} characters; at most {MaxAnswerLength:N0} are read");
            }

            string test = columns.TryGetValue("test", out var t) ? csv.GetTrimmed(t) ?? throw new LeadCsvException(file, csv.Line, "test", "the test id is empty") : "test";
            DateTimeOffset? at = null;
            if (columns.TryGetValue("at", out var a))
            {
                var value = csv.GetTrimmed(a) ?? throw new LeadCsvException(file, csv.Line, "at", "the date is empty");
                at = Commands.CommandInputs.TryParseInstant(value, out var parsed)
                    ? parsed
                    : throw new LeadCsvException(file, csv.Line, "at", $"'{value}' is not an ISO 8601 date or instant (2026-03-01 or 2026-03-01T09:30:00Z)");
            }

            if (!seen.Add((test, rep, segment)))
            {
                throw new LeadCsvException(file, csv.Line, "rep", $"rep '{rep}' answered twice for segment '{segment}' in test '{test}'");
            }

            answers.Add(new Answer(test, at, new RepId(rep), new SegmentId(segment), text, csv.Line));
        }

        return answers;
    }

    /// <summary>
    /// Groups the answers into tests of surveys against each segment's canonical value proposition.
    /// </summary>
    /// <param name="answers">The answers.</param>
    /// <param name="canonical">Each segment's value proposition.</param>
    /// <param name="file">The answers' file, for error messages.</param>
    /// <param name="modelFile">The segmentation model's file, for error messages.</param>
    /// <returns>The tests, in file order.</returns>
    /// <exception cref="LeadCsvException">An answer names a segment the model does not have.</exception>
    public static List<ConsistencyTest> Tests(IReadOnlyList<Answer> answers, IReadOnlyDictionary<SegmentId, string> canonical, string file, string modelFile)
    {
        var tests = new List<ConsistencyTest>();
        int order = 0;
        foreach (var test in answers.GroupBy(a => a.Test, StringComparer.Ordinal))
        {
            foreach (var answer in test)
            {
                if (!canonical.ContainsKey(answer.Segment))
                {
                    throw new LeadCsvException(file, answer.Line, "segment",
                        $"segment '{answer.Segment.Value}' has no value proposition in {Path.GetFileName(modelFile)} (its segments with a playbook: {string.Join(", ", canonical.Keys.Select(k => k.Value).Order(StringComparer.Ordinal))})");
                }
            }

            var dated = test.Where(a => a.At is not null).Select(a => a.At!.Value).ToList();
            var at = dated.Count > 0 ? dated.Min() : DateTimeOffset.UnixEpoch.AddDays(order);
            var surveys = test.GroupBy(a => a.Segment)
                .Select(s => new ValuePropositionSurvey(s.Key, canonical[s.Key], [.. s.Select(a => new RepAnswer(a.Rep, a.Text))]))
                .ToList();
            tests.Add(new ConsistencyTest(test.Key, at, surveys));
            order++;
        }

        return tests;
    }

    private static string Required(CsvRecordReader csv, int column, string file, string name) =>
        csv.GetTrimmed(column) ?? throw new LeadCsvException(file, csv.Line, name, $"the {name} is empty");
}
