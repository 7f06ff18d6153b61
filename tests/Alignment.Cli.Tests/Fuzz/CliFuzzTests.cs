using Alignment.Cli.Csv;
using Alignment.Models;
using System.Diagnostics;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;
using Alignment.Segmentation.Rules;
using CsCheck;
using Xunit.Abstractions;

namespace Alignment.Cli.Tests.Fuzz;

/// <summary>
/// Mutations of every example model, policy, roster and CSV file in docs/ go through every command that reads them, in-process.
/// The only outcomes allowed: success, or the documented error (exit 1) that names the file and a line or JSON path, never an
/// internal error or a stack trace, each command within <see cref="TimeBound"/>. The nurture policy, which no command reads, goes
/// through <see cref="NurturePolicyLoader"/>. CsCheck generates the cases and shrinks a failure to a minimal one.
/// </summary>
/// <remarks>
/// Run on its own by eng/test.sh (category Fuzz) so that its seed and case count are printed. ALIGNMENT_FUZZ_SEED replays a run
/// (a CsCheck seed, as printed); ALIGNMENT_FUZZ_CASES sets the number of cases (default 1,500).
/// </remarks>
[Trait("Category", "Fuzz")]
public sealed class CliFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(20);

    // Which commands read each kind of file, with the file names every case writes.
    // The command line of `report` over the case's files (declared before Commands, which uses it).
    private static readonly string[] Report =
        ["report", "--leads", "facts.csv", "--history", "shistory.csv", "--spend", "spend.csv", "--plan", "plan.json", "--as-of", "2026-06-01", "--out", ReportFolder];

    private static readonly Dictionary<FuzzKind, string[][]> Commands = new()
    {
        [FuzzKind.ScoringModel] =
        [
            ["validate", "model.json"],
            ["score", "--model", "model.json", "--leads", "leads.csv", "--activities", "activities.csv", "--as-of", "2026-03-01", "--explain"],
            ["backtest", "--model", "model.json", "--history", "history.csv", "--activities", "activities.csv"],
            ["diff", "base.json", "model.json", "--leads", "leads.csv", "--activities", "activities.csv", "--as-of", "2026-03-01"],
            ["release", "publish", "model.json", "--tenant", "fuzz", "--registry", RegistryFolder],
        ],
        [FuzzKind.Segmentation] = [["validate", "segments.json"], ["segment", "--model", "segments.json", "--accounts", "accounts.csv"], ["consistency", "--answers", "answers.csv", "--segments", "segments.json"]],
        [FuzzKind.ContentFile] =
        [
            ["content", "list", "--folder", CaseFolder, "--format", "json"],
            ["content", "expiring", "--folder", CaseFolder, "--within", "400"],
            ["content", "review", "battle-globex", "--folder", CaseFolder, "--reviewer", "sam", "--verdict", "still-right"],
            ["content", "retire", "battle-globex", "--folder", CaseFolder, "--reason", "fuzz"],
        ],
        [FuzzKind.Answers] = [["consistency", "--answers", "answers.csv", "--segments", "segments.json"], ["consistency", "--answers", "answers.csv", "--segments", "segments.json", "--format", "json", "--drift", "0.05"]],
        [FuzzKind.Policy] = [["validate", "policy.json", "--roster", "roster.json"], ["validate", "policy.json"], ["route", "--policy", "policy.json", "--roster", "roster.json", "--leads", "rleads.csv", "--at", "2026-03-02T09:00:00Z"], ["route", "--policy", "policy.json", "--roster", "roster.json", "--leads", "rleads.csv", "--simulate", "2", "--start", "2026-03-02T00:00:00Z"]],
        [FuzzKind.Roster] = [["validate", "roster.json", "--kind", "roster"], ["route", "--policy", "policy.json", "--roster", "roster.json", "--leads", "rleads.csv", "--at", "2026-03-02T09:00:00Z"], ["route", "--policy", "policy.json", "--roster", "roster.json", "--leads", "rleads.csv", "--simulate", "2", "--start", "2026-03-02T00:00:00Z"]],
        [FuzzKind.Leads] =
        [
            ["score", "--model", "model.json", "--leads", "leads.csv", "--activities", "activities.csv", "--as-of", "2026-03-01", "--explain"],
            ["diff", "base.json", "model.json", "--leads", "leads.csv", "--as-of", "2026-03-01"],
        ],
        [FuzzKind.Activities] =
        [
            ["score", "--model", "model.json", "--leads", "leads.csv", "--activities", "activities.csv", "--as-of", "2026-03-01"],
            ["backtest", "--model", "model.json", "--history", "history.csv", "--activities", "activities.csv"],
        ],
        [FuzzKind.History] = [["backtest", "--model", "model.json", "--history", "history.csv", "--format", "json"]],
        [FuzzKind.Stages] = [["predict", "--stages", "stages.csv", "--history", "phistory.csv", "--leads", "pleads.csv"]],
        [FuzzKind.PredictiveHistory] = [["predict", "--stages", "stages.csv", "--history", "phistory.csv", "--leads", "pleads.csv"]],
        [FuzzKind.Accounts] = [["segment", "--model", "segments.json", "--accounts", "accounts.csv"]],
        [FuzzKind.ClusterAccounts] = [["cluster", "--accounts", "cluster.csv", "--features", "employees,revenue", "--k", "2", "--format", "json"]],
        [FuzzKind.RoutingLeads] = [["route", "--policy", "policy.json", "--roster", "roster.json", "--leads", "rleads.csv", "--at", "2026-03-02T09:00:00Z"], ["route", "--policy", "policy.json", "--roster", "roster.json", "--leads", "rleads.csv", "--simulate", "2", "--start", "2026-03-02T00:00:00Z"]],
        [FuzzKind.Nurture] = [],
        [FuzzKind.StageHistory] = [[.. Report], ["plan", "--target", "targets.csv", "--history", "shistory.csv", "--min-sample", "2"], ["plan", "--target", "targets.csv", "--history", "shistory.csv", "--as-of", "2026-03-01", "--format", "json"]],
        [FuzzKind.RevenueTargets] = [["plan", "--target", "targets.csv", "--history", "shistory.csv"]],
        [FuzzKind.LeadFacts] = [[.. Report], ["plan", "--target", "targets.csv", "--history", "shistory.csv", "--leads", "facts.csv"]],
        [FuzzKind.Spend] = [[.. Report]],
        [FuzzKind.PlanFile] = [[.. Report], [.. Report, "--activities", "activities.csv"]],
        [FuzzKind.MappingFile] =
        [
            ["score", "--model", "model.json", "--leads", "crmleads.csv", "--map", "map.json", "--as-of", "2026-03-01"],
            ["map", "--leads", "crmleads.csv", "--map", "map.json", "--out", "started.json"],
        ],
        [FuzzKind.CrmLeads] =
        [
            ["score", "--model", "model.json", "--leads", "crmleads.csv", "--from", "salesforce", "--culture", "en-US", "--time-zone", "UTC", "--as-of", "2026-03-01"],
            ["score", "--model", "model.json", "--leads", "crmleads.csv", "--map", "map.json", "--as-of", "2026-03-01"],
            ["map", "--leads", "crmleads.csv", "--from", "salesforce"],
        ],
    };

    // The registry folder of `release publish`, in the case's folder like the files.
    private const string RegistryFolder = "registry";

    // The output folder of `report`, in the case's folder like the files.
    private const string ReportFolder = "reportout";

    // The case's folder itself (the content folder of `content`, whose content.json is written there like the other files).
    private const string CaseFolder = "<case>";


    private static readonly Dictionary<FuzzKind, string> FileNames = new()
    {
        [FuzzKind.ScoringModel] = "model.json",
        [FuzzKind.Segmentation] = "segments.json",
        [FuzzKind.Policy] = "policy.json",
        [FuzzKind.Roster] = "roster.json",
        [FuzzKind.Nurture] = "nurture.json",
        [FuzzKind.Leads] = "leads.csv",
        [FuzzKind.Activities] = "activities.csv",
        [FuzzKind.History] = "history.csv",
        [FuzzKind.Stages] = "stages.csv",
        [FuzzKind.PredictiveHistory] = "phistory.csv",
        [FuzzKind.Accounts] = "accounts.csv",
        [FuzzKind.ClusterAccounts] = "cluster.csv",
        [FuzzKind.RoutingLeads] = "rleads.csv",
        [FuzzKind.MappingFile] = "map.json",
        [FuzzKind.CrmLeads] = "crmleads.csv",
        [FuzzKind.StageHistory] = "shistory.csv",
        [FuzzKind.RevenueTargets] = "targets.csv",
        [FuzzKind.LeadFacts] = "facts.csv",
        [FuzzKind.Spend] = "spend.csv",
        [FuzzKind.PlanFile] = "plan.json",
        [FuzzKind.Answers] = "answers.csv",
        [FuzzKind.ContentFile] = "content.json",
    };

    // The leads file of the predictive commands is the history's columns without the outcome.
    private static string PredictiveLeads(string history)
    {
        var lines = history.Split('\n');
        var header = lines[0].Split(',');
        int outcome = Array.FindIndex(header, h => h.Trim() == "outcome");
        return string.Join('\n', lines.Select(l => outcome < 0 ? l : string.Join(',', l.Split(',').Where((_, i) => i != outcome))));
    }

    [Fact]
    public void Every_command_answers_a_mutated_input_with_success_or_a_located_error_in_time()
    {
        string seed = Environment.GetEnvironmentVariable("ALIGNMENT_FUZZ_SEED") is { Length: > 0 } s
            ? s
            : new PCG((uint)Random.Shared.Next(), (ulong)Random.Shared.NextInt64()).ToString();
        long cases = long.TryParse(Environment.GetEnvironmentVariable("ALIGNMENT_FUZZ_CASES"), out long n) ? n : 1500;
        var seeds = FuzzSeeds.All;
        output.WriteLine($"fuzz: seed {seed}, {cases} cases, {seeds.Count} seed files ({string.Join(", ", seeds.GroupBy(x => x.Kind).Select(g => $"{g.Key} {g.Count()}"))})");
        int commandsRun = 0, failures = 0;
        // ALIGNMENT_FUZZ_SURVEY=1 (local use): run every case and list the distinct failures instead of stopping at the first.
        var survey = Environment.GetEnvironmentVariable("ALIGNMENT_FUZZ_SURVEY") == "1" ? new System.Collections.Concurrent.ConcurrentDictionary<string, string>() : null;
        var clock = Stopwatch.StartNew();
        FuzzCase.Gen.Sample(
            c =>
            {
              try
              {
                var (seedFile, mutated, files) = Build(seeds, c);
                // The library's own readers get the text as a string (a file read by the command never holds half a surrogate pair;
                // a string given by a host can): only their documented exception may come out.
                LibraryAnswers(seedFile.Kind, mutated);
                if (seedFile.Kind == FuzzKind.Nurture)
                {
                    var load = Task.Run(() => (Loaded: NurturePolicy.TryLoad(mutated, null, out var policy, out var errors), policy, errors));
                    Assert.True(load.Wait(TimeBound), "the nurture policy loader did not answer within " + TimeBound);
                    var result = load.Result; // throws if the loader threw anything
                    Assert.True(result.Loaded ? result.policy is not null : result.errors.Length > 0, "neither a policy nor an error");
                    Assert.All(result.errors, e => Assert.StartsWith("$", e.Path, StringComparison.Ordinal));
                    return;
                }

                using var dir = new TempFolder();
                foreach (var (file, text) in files)
                {
                    File.WriteAllBytes(Path.Combine(dir.Path, file), FuzzMutation.ToFileBytes(text));
                }

                foreach (string[] command in Commands[seedFile.Kind])
                {
                    string[] args = [.. command.Select(a => a == CaseFolder ? dir.Path : a.EndsWith(".json", StringComparison.Ordinal) || a.EndsWith(".csv", StringComparison.Ordinal) || a == RegistryFolder || a == ReportFolder ? Path.Combine(dir.Path, a) : a)];
                    var run = CliRun.RunAsync(args);
                    Interlocked.Increment(ref commandsRun);
                    if (!run.Wait(TimeBound))
                    {
                        Interlocked.Increment(ref failures);
                        Assert.Fail($"alignment {string.Join(' ', command)} did not finish within {TimeBound}");
                    }

                    var r = run.Result;
                    string problem = Judge(r, [.. command.Where(a => a.EndsWith(".json", StringComparison.Ordinal) || a.EndsWith(".csv", StringComparison.Ordinal)), .. command.Contains(CaseFolder) ? [FileNames[FuzzKind.ContentFile]] : Array.Empty<string>()]);
                    if (problem.Length > 0)
                    {
                        Interlocked.Increment(ref failures);
                        string report = $"alignment {string.Join(' ', command)}: {problem}\nexit {r.ExitCode}\nstderr: {FuzzMutation.Printable(r.Error)}";
                        if (survey is not null)
                        {
                            string firstLine = r.Error.Split('\n')[0].Replace(dir.Path + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);
                            survey.TryAdd($"{seedFile.Kind} {command[0]}: {problem}: {firstLine[..Math.Min(60, firstLine.Length)]}", Describe(seeds, c) + "\n" + report);
                            continue;
                        }

                        Assert.Fail(report);
                    }
                }
              }
              catch (Exception e) when (survey is not null && e is not Xunit.Sdk.XunitException)
              {
                  survey.TryAdd($"{seeds[c.Seed % seeds.Count].Kind} exception {e.GetType().Name}: {e.Message[..Math.Min(60, e.Message.Length)]}", Describe(seeds, c) + "\n" + e);
              }
              catch (Xunit.Sdk.XunitException e) when (survey is not null)
              {
                  survey.TryAdd($"{seeds[c.Seed % seeds.Count].Kind} assert: {e.Message[..Math.Min(80, e.Message.Length)]}", Describe(seeds, c) + "\n" + e.Message);
              }
            },
            writeLine: output.WriteLine,
            seed: seed,
            iter: cases,
            threads: 2,
            print: c => Describe(seeds, c));
        if (survey is not null)
        {
            foreach (var (key, example) in survey.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                output.WriteLine("=== " + key + "\n" + example + "\n");
            }

            Assert.Empty(survey.Keys);
        }

        output.WriteLine($"fuzz: {cases} cases, {commandsRun} command runs, no failure, {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static void LibraryAnswers(FuzzKind kind, string text)
    {
        var answer = Task.Run(() =>
        {
            try
            {
                switch (kind)
                {
                    case FuzzKind.ScoringModel:
                        _ = text.Contains("\"approvals\"", StringComparison.Ordinal) ? (object)ScoringModelReleaseJson.Parse(text) : ScoringModelJson.Parse(text);
                        break;
                    case FuzzKind.Segmentation:
                        _ = SegmentationModel.TryLoad(text, null, out _, out var errors) || errors.Length > 0 ? 0 : throw new InvalidOperationException("TryLoad failed without an error");
                        break;
                    case FuzzKind.Policy:
                        _ = RoutingPolicyLoader.ParsePolicy(text);
                        break;
                    case FuzzKind.Roster:
                        _ = RoutingPolicyLoader.ParseRoster(text);
                        break;
                    case FuzzKind.Leads:
                    case FuzzKind.RoutingLeads:
                    case FuzzKind.Accounts:
                        using (var reader = new StringReader(text))
                        {
                            _ = LeadCsvReader.ReadAll(reader, "leads.csv");
                        }

                        break;
                    case FuzzKind.MappingFile:
                        _ = Alignment.Leads.Import.CrmMappingJson.Parse(text, "map.json");
                        break;
                }
            }
            catch (Exception e) when (e is ModelException or ModelException or LeadCsvException)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        });
        Assert.True(answer.Wait(TimeBound), $"the library's reader of {kind} did not answer within {TimeBound}");
    }

    // Success, or the documented error: exit 1, one of the files named with a line or a JSON path, no internal error or stack trace.
    private static string Judge(CliRun r, string[] files)
    {
        if (r.ExitCode == 0)
        {
            return string.Empty;
        }

        if (r.ExitCode != 1)
        {
            return $"exit code {r.ExitCode}, expected 0 or 1";
        }

        if (r.Error.Contains("internal error", StringComparison.Ordinal) || r.Error.Contains("\n   at ", StringComparison.Ordinal))
        {
            return "an internal error or a stack trace";
        }

        if (!files.Any(f => r.Error.Contains(f, StringComparison.Ordinal)))
        {
            return "the error names none of the input files";
        }

        // The location: a line, a JSON path or a field of the file, or the whole file ("leads.csv: the file has no rows").
        if (!r.Error.Contains("line ", StringComparison.Ordinal) && !r.Error.Contains('$') && !r.Error.Contains("field '", StringComparison.Ordinal)
            && !files.Any(f => r.Error.Contains(f + ": ", StringComparison.Ordinal)))
        {
            return "the error names no line, no JSON path, no field and not the whole file";
        }

        return string.Empty;
    }

    // The files of one case: the mutated seed under its kind's name, and a seed of every other kind (chosen by the case) beside it.
    private static (FuzzSeed Seed, string Mutated, List<(string File, string Text)> Files) Build(IReadOnlyList<FuzzSeed> seeds, FuzzCase c)
    {
        var seed = seeds[c.Seed % seeds.Count];
        string mutated = FuzzMutation.Apply(c, seed.Text, seed.Text.TrimStart().StartsWith('{'));
        var files = new List<(string, string)>();
        foreach (var (kind, name) in FileNames)
        {
            var ofKind = seeds.Where(x => x.Kind == kind).ToList();
            var companion = ofKind[c.Companion % ofKind.Count];
            if (kind == FuzzKind.ScoringModel)
            {
                files.Add(("base.json", ofKind[(c.Companion + 1) % ofKind.Count].Text)); // the other side of a diff
            }

            if (kind == FuzzKind.PredictiveHistory)
            {
                files.Add(("pleads.csv", PredictiveLeads(companion.Text)));
            }

            files.Add((name, kind == seed.Kind ? mutated : companion.Text));
        }

        return (seed, mutated, files);
    }

    private static string Describe(IReadOnlyList<FuzzSeed> seeds, FuzzCase c)
    {
        var seed = seeds[c.Seed % seeds.Count];
        string mutated = FuzzMutation.Apply(c, seed.Text, seed.Text.TrimStart().StartsWith('{'));
        return $"{c} = {FuzzMutation.Names[c.Mutation]} of {seed}:\n{FuzzMutation.Printable(mutated)}";
    }
}
