using Alignment.Handoff;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;

namespace Alignment.Benchmarks.Policies;

/// <summary>
/// The baseline of <see cref="RoutingBenchmark"/>'s time guard: the benchmark's 20 rules and 50 reps routed by a plain C# loop
/// over arrays built once (rules in order, the account owner first, then the match conditions, the pool's team, language and
/// territory filters, the open-lead cap, and round robin, weighted or load-balanced choice). It skips what the engine adds
/// (time zones and working hours, explanations, daily caps), so it is faster than the engine; what matters is that it does
/// not change when the engine does, so the ratio between them moves only with the engine.
/// </summary>
internal sealed class RoutingHandWritten
{
    private readonly Rule[] _rules;
    private readonly Dictionary<string, int> _owners;
    private readonly string[][] _repLanguages;
    private readonly string[][] _repTerritories;
    private readonly int[] _maxOpen;
    private readonly int[] _weight;
    private readonly int[] _open;

    public RoutingHandWritten(IReadOnlyList<RoutingRuleDefinition> rules, IReadOnlyList<RepDefinition> reps, IReadOnlyList<AccountOwnerDefinition> accounts)
    {
        var repIndex = reps.Select((r, i) => (r.Id!, i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
        _owners = accounts.ToDictionary(a => a.AccountId!, a => repIndex[a.Owner!], StringComparer.Ordinal);
        _repLanguages = [.. reps.Select(r => r.Languages?.ToArray() ?? [])];
        _repTerritories = [.. reps.Select(r => r.Territories?.ToArray() ?? [])];
        _maxOpen = [.. reps.Select(r => r.MaxOpenLeads ?? int.MaxValue)];
        _weight = [.. reps.Select(r => r.Weight ?? 1)];
        _open = new int[reps.Count];
        _rules = [.. rules.Select(r => new Rule
        {
            IsOwner = r.Strategy == RoutingStrategies.AccountOwner,
            Strategy = r.Strategy == RoutingStrategies.Weighted ? Choice.Weighted : r.Strategy == RoutingStrategies.LoadBalanced ? Choice.LoadBalanced : Choice.RoundRobin,
            Countries = r.Match?.Countries?.ToArray(),
            ExcludeCountries = r.Match?.ExcludeCountries?.ToArray(),
            Regions = r.Match?.Regions?.ToArray(),
            Languages = r.Match?.Languages?.ToArray(),
            Sources = r.Match?.Sources?.ToArray(),
            States = r.Match?.States?.Select(s => s == "hot" ? QualificationState.Hot : s == "mql" ? QualificationState.MarketingQualified : QualificationState.NotQualified).ToArray(),
            MinScore = r.Match?.MinScore,
            MinGrade = r.Match?.MinGrade is null ? null : Grade.C,
            Pool = [.. reps.Select((rep, i) => (rep, i)).Where(p => r.Pool?.Teams is null || r.Pool.Teams.Contains(p.rep.Team!)).Select(p => p.i)],
            MatchLanguage = r.Pool?.MatchLanguage ?? false,
            MatchTerritory = r.Pool?.MatchTerritory ?? false,
        })];
    }

    /// <summary>Routes one lead: the index of the chosen rep, or -1 (queued).</summary>
    public int Route(HandoffRequest request)
    {
        var lead = request.Lead;
        string? country = lead.Company?.Country;
        string? region = lead.Company?.Region;
        string? language = lead.Person?.Language;
        foreach (var rule in _rules)
        {
            if (rule.IsOwner)
            {
                if (lead.AccountId is { } account && _owners.TryGetValue(account.Value, out int owner) && _open[owner] < _maxOpen[owner])
                {
                    return Take(owner);
                }

                continue;
            }

            if ((rule.Countries is not null && !Contains(rule.Countries, country))
                || (rule.ExcludeCountries is not null && Contains(rule.ExcludeCountries, country))
                || (rule.Regions is not null && !Contains(rule.Regions, region))
                || (rule.Languages is not null && !Contains(rule.Languages, language))
                || (rule.Sources is not null && !Contains(rule.Sources, lead.Source))
                || (rule.States is not null && Array.IndexOf(rule.States, request.Score.State) < 0)
                || (rule.MinScore is decimal min && request.Score.Total < min)
                || (rule.MinGrade is Grade grade && request.Score.Grade < grade))
            {
                continue;
            }

            int best = -1;
            int pool = rule.Pool.Length;
            for (int n = 0; n < pool; n++)
            {
                int rep = rule.Pool[(rule.Cursor + n) % pool];
                if (_open[rep] >= _maxOpen[rep]
                    || (rule.MatchLanguage && language is not null && !StartsAny(_repLanguages[rep], language))
                    || (rule.MatchTerritory && !Contains(_repTerritories[rep], country)))
                {
                    continue;
                }

                if (rule.Strategy == Choice.RoundRobin)
                {
                    rule.Cursor = (rule.Cursor + n + 1) % pool;
                    return Take(rep);
                }

                if (best < 0 || (rule.Strategy == Choice.LoadBalanced
                    ? _open[rep] < _open[best]
                    : _open[rep] * _weight[best] < _open[best] * _weight[rep]))
                {
                    best = rep;
                }
            }

            if (best >= 0)
            {
                return Take(best);
            }
        }

        return -1;
    }

    /// <summary>Frees one open lead of a rep.</summary>
    public void Release(int rep) => _open[rep]--;

    private int Take(int rep)
    {
        _open[rep]++;
        return rep;
    }

    private static bool Contains(string[] values, string? value)
    {
        foreach (string v in values)
        {
            if (string.Equals(v, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsAny(string[] languages, string language)
    {
        foreach (string l in languages)
        {
            if (language.StartsWith(l, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // The choice among the pool, mapped once from the rule's strategy so that the loop compares plain values as it always did.
    private enum Choice
    {
        RoundRobin,
        Weighted,
        LoadBalanced,
    }

    private sealed class Rule
    {
        public bool IsOwner { get; init; }
        public Choice Strategy { get; init; }
        public string[]? Countries { get; init; }
        public string[]? ExcludeCountries { get; init; }
        public string[]? Regions { get; init; }
        public string[]? Languages { get; init; }
        public string[]? Sources { get; init; }
        public QualificationState[]? States { get; init; }
        public decimal? MinScore { get; init; }
        public Grade? MinGrade { get; init; }
        public int[] Pool { get; init; } = [];
        public bool MatchLanguage { get; init; }
        public bool MatchTerritory { get; init; }
        public int Cursor { get; set; }
    }
}
