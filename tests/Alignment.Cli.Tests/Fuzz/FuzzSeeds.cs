using System.Text.RegularExpressions;

namespace Alignment.Cli.Tests.Fuzz;

/// <summary>What an input file is, which decides the commands that read it.</summary>
internal enum FuzzKind
{
    ScoringModel,
    Segmentation,
    Policy,
    Roster,
    Nurture,
    Leads,
    Activities,
    History,
    Stages,
    PredictiveHistory,
    Accounts,
    ClusterAccounts,
    RoutingLeads,
    MappingFile,
    CrmLeads,
    StageHistory,
    RevenueTargets,
    LeadFacts,
    Spend,
    PlanFile,
    Answers,
    ContentFile,
}

/// <summary>One valid input the fuzzer starts from: its kind, where it came from and its text.</summary>
internal sealed record FuzzSeed(FuzzKind Kind, string Origin, string Text)
{
    public override string ToString() => $"{Kind} from {Origin}";
}

/// <summary>
/// The seeds: every example model, policy, roster and CSV file in docs/ (the files under docs/examples and the complete
/// <c>json</c> and <c>csv</c> blocks of the pages), classified by content, plus the command tests' own files.
/// </summary>
internal static partial class FuzzSeeds
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static IReadOnlyList<FuzzSeed> All { get; } = Load();

    private static List<FuzzSeed> Load()
    {
        var seeds = new List<FuzzSeed>();
        string docs = Path.Combine(RepositoryRoot, "docs");
        foreach (string file in Directory.GetFiles(Path.Combine(docs, "examples")).Order(StringComparer.Ordinal))
        {
            Add(seeds, "docs/examples/" + Path.GetFileName(file), File.ReadAllText(file));
        }

        foreach (string page in Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal))
        {
            int n = 0;
            foreach (Match m in FencedBlock().Matches(File.ReadAllText(page).ReplaceLineEndings("\n")))
            {
                n++;
                Add(seeds, $"docs/{Path.GetFileName(page)} block {n} ({m.Groups[1].Value})", m.Groups[2].Value);
            }
        }

        seeds.Add(new(FuzzKind.ScoringModel, "TestFiles.ScoringModel", Join(TestFiles.ScoringModel)));
        seeds.Add(new(FuzzKind.Segmentation, "PolicyFiles.Segments", Join(PolicyFiles.Segments)));
        seeds.Add(new(FuzzKind.Policy, "PolicyFiles.Policy", Join(PolicyFiles.Policy)));
        seeds.Add(new(FuzzKind.Roster, "PolicyFiles.Roster", Join(PolicyFiles.Roster)));
        seeds.Add(new(FuzzKind.RoutingLeads, "PolicyFiles.RoutingLeads", Join(PolicyFiles.RoutingLeads)));
        foreach (FuzzKind kind in Enum.GetValues<FuzzKind>())
        {
            Assert.True(seeds.Any(s => s.Kind == kind), $"no seed of kind {kind}: the docs lost an example the fuzz test relies on");
        }

        return seeds;
    }

    public static string Join(string[] lines) => string.Join("\n", lines) + "\n";

    private static void Add(List<FuzzSeed> seeds, string origin, string text)
    {
        if (Classify(text) is { } kind)
        {
            seeds.Add(new(kind, origin, text));
        }
    }

    // Classified by content, as a user's file would be; fragments (a rule, a list) are not complete files and are left out.
    private static FuzzKind? Classify(string text)
    {
        string t = text.TrimStart();
        if (t.StartsWith('{'))
        {
            return t.Contains("\"items\"", StringComparison.Ordinal) && t.Contains("\"history\"", StringComparison.Ordinal) ? FuzzKind.ContentFile
                : t.Contains("\"tracks\"", StringComparison.Ordinal) ? FuzzKind.Nurture
                : t.Contains("\"extends\"", StringComparison.Ordinal) || (t.Contains("\"columns\"", StringComparison.Ordinal) && !t.Contains("\"thresholds\"", StringComparison.Ordinal)) ? FuzzKind.MappingFile
                : t.Contains("\"segments\"", StringComparison.Ordinal) ? FuzzKind.Segmentation
                : t.Contains("\"reps\"", StringComparison.Ordinal) ? FuzzKind.Roster
                : t.Contains("\"rules\"", StringComparison.Ordinal) && t.Contains("\"strategy\"", StringComparison.Ordinal) ? FuzzKind.Policy
                : t.Contains("\"thresholds\"", StringComparison.Ordinal) || t.Contains("\"approvals\"", StringComparison.Ordinal) ? FuzzKind.ScoringModel
                : t.Contains("\"targets\"", StringComparison.Ordinal) || t.Contains("\"marketingCommitments\"", StringComparison.Ordinal) ? FuzzKind.PlanFile
                : null;
        }

        string header = t.Split('\n')[0];
        var columns = header.Split(',').Select(c => c.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return columns.Contains("rep") && columns.Contains("segment") && columns.Contains("answer") ? FuzzKind.Answers
            : columns.Contains("\"Lead ID\"") || columns.Contains("Lead ID") ? FuzzKind.CrmLeads
            : columns.Contains("leadId") && columns.Contains("type") ? FuzzKind.Activities
            : columns.Contains("sequence") && columns.Contains("is_won") ? FuzzKind.Stages
            : columns.Contains("scoredAt") && columns.Contains("outcome") ? FuzzKind.History
            : columns.Contains("stage") && columns.Contains("outcome") ? FuzzKind.PredictiveHistory
            : columns.Contains("stage") && columns.Contains("at") ? FuzzKind.StageHistory
            : columns.Contains("month") && columns.Contains("revenue") ? FuzzKind.RevenueTargets
            : columns.Contains("month") && columns.Contains("channel") && columns.Contains("amount") ? FuzzKind.Spend
            : columns.Contains("id") && columns.Contains("createdAt") && columns.Contains("firstTouchAt") ? FuzzKind.LeadFacts
            : columns.Contains("recencyDays") ? FuzzKind.ClusterAccounts
            : columns.Contains("accountId") && columns.Contains("state") ? FuzzKind.RoutingLeads
            : columns.Contains("isPartner") ? FuzzKind.Accounts
            : columns.Contains("id") && columns.Contains("industry") ? FuzzKind.Leads
            : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Alignment.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Alignment.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^```(json|csv)[^\n]*\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
