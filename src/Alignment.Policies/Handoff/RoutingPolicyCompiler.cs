using Alignment.Models;
using System.Collections.Immutable;
using System.Globalization;
using Alignment.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;

namespace Alignment.Policies.Handoff;

/// <summary>
/// Validates a routing policy against a roster and compiles it. Every problem is reported at once, each with the JSON path of
/// the offending value (unknown rep id, empty pool, negative cap, overlapping out-of-office, unknown time zone, …).
/// </summary>
internal static class RoutingPolicyCompiler
{
    private static readonly string SlaRange = PolicyText.Range(1, RoutingPolicyChecks.MaxSlaMinutes, RoutingPolicyChecks.SlaUnit);

    private static readonly string[] DayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>Compiles a policy, throwing on any problem.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="roster">The roster.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ModelException">The policy or roster is invalid; the exception lists every problem.</exception>
    public static CompiledRoutingPolicy Compile(RoutingPolicyDefinition policy, RosterDefinition roster) =>
        TryCompile(policy, roster, out var compiled, out var errors) ? compiled! : throw new ModelException("routing policy", errors);

    /// <summary>Compiles a policy, returning its problems instead of throwing.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="roster">The roster.</param>
    /// <param name="compiled">The compiled policy, when valid.</param>
    /// <param name="errors">Every problem found; empty when valid.</param>
    /// <returns><see langword="true"/> when the policy is valid.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool TryCompile(RoutingPolicyDefinition policy, RosterDefinition roster, out CompiledRoutingPolicy? compiled, out ImmutableArray<ModelError> errors)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(roster);
        var c = new Compilation(policy, roster);
        compiled = c.Run();
        errors = [.. c.Errors];
        return errors.IsEmpty;
    }

    private sealed class Compilation(RoutingPolicyDefinition policy, RosterDefinition roster)
    {
        private readonly SymbolTable _geo = new();
        private readonly SymbolTable _languages = new();
        private readonly SymbolTable _segments = new();
        private readonly SymbolTable _sources = new();
        private readonly SymbolTable _accounts = new();
        private readonly SymbolTable _domains = new();
        private readonly Dictionary<string, int> _queueIndex = new(StringComparer.Ordinal);
        private Dictionary<string, List<int>>? _teams;

        public List<ModelError> Errors { get; } = [];

        private void PolicyError(string path, string message) => Errors.Add(new ModelError(path, message) { Document = "policy" });

        private void RosterError(string path, string message) => Errors.Add(new ModelError(path, message) { Document = "roster" });

        public CompiledRoutingPolicy? Run()
        {
            RoutingPolicyChecks.CheckIdentifiers(policy, roster, Errors);
            if (Errors.Count > 0)
            {
                return null;
            }

            var repDefs = roster.Reps ?? [];
            if (roster.Reps is null || roster.Reps.Count == 0)
            {
                RosterError("$.reps", "a roster needs at least one rep");
            }

            var repIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            var validReps = new List<(RepDefinition Def, int Source)>();
            for (int i = 0; i < repDefs.Count; i++)
            {
                var r = repDefs[i];
                string path = $"$.reps[{i}]";
                if (r is null)
                {
                    RosterError(path, "a rep cannot be null");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(r.Id))
                {
                    RosterError(path + ".id", "a rep needs an id");
                    continue;
                }

                if (!repIndex.TryAdd(r.Id, -1))
                {
                    RosterError(path + ".id", $"duplicate rep id '{r.Id}'");
                    continue;
                }

                validReps.Add((r, i));
            }

            // Rep-id order is the rotation ring's order: stable when reps join or leave.
            validReps.Sort((a, b) => string.CompareOrdinal(a.Def.Id, b.Def.Id));
            for (int i = 0; i < validReps.Count; i++)
            {
                repIndex[validReps[i].Def.Id!] = i;
            }

            // Intern every text before freezing the symbol tables.
            foreach (var (r, _) in validReps)
            {
                InternAll(_languages, r.Languages);
                InternAll(_geo, r.Territories);
            }

            var rules = policy.Rules ?? [];
            foreach (var rule in rules)
            {
                if (rule?.Match is { } m)
                {
                    InternAll(_segments, m.Segments);
                    InternAll(_geo, m.Countries);
                    InternAll(_geo, m.ExcludeCountries);
                    InternAll(_geo, m.Regions);
                    InternAll(_languages, m.Languages);
                    InternAll(_sources, m.Sources);
                    InternAll(_accounts, m.Accounts);
                    InternAll(_domains, m.Domains, normalizeDomain: true);
                }
            }

            foreach (var a in roster.Accounts ?? [])
            {
                if (!string.IsNullOrWhiteSpace(a?.AccountId))
                {
                    _accounts.Intern(a.AccountId);
                }

                if (!string.IsNullOrWhiteSpace(a?.Domain))
                {
                    _domains.Intern(NormalizeDomain(a.Domain));
                }
            }

            _geo.Freeze();
            _languages.Freeze();
            _segments.Freeze();
            _sources.Freeze();
            _accounts.Freeze();
            _domains.Freeze();
            long entries = RoutingPolicyChecks.MatchTableEntries(rules, [.. validReps.Select(v => v.Def)], _geo.Count, _languages.Count, _segments.Count, _sources.Count, _accounts.Count, _domains.Count);
            if (entries > RoutingPolicyChecks.MaxMatchTableEntries)
            {
                PolicyError("$.rules", RoutingPolicyChecks.TooManyEntries(entries, rules.Count, validReps.Count));
                return null;
            }

            var zones = new List<TimeZoneInfo>();
            var zoneIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var reps = new CompiledRep[validReps.Count];
            for (int i = 0; i < validReps.Count; i++)
            {
                reps[i] = CompileRep(validReps[i].Def, $"$.reps[{validReps[i].Source}]", i, zones, zoneIndex);
            }

            var ownerByAccount = new int[_accounts.Count];
            var ownerByDomain = new int[_domains.Count];
            Array.Fill(ownerByAccount, -1);
            Array.Fill(ownerByDomain, -1);
            var accounts = roster.Accounts ?? [];
            for (int i = 0; i < accounts.Count; i++)
            {
                CompileAccount(accounts[i], $"$.accounts[{i}]", repIndex, ownerByAccount, ownerByDomain);
            }

            string id = policy.Id ?? string.Empty;
            if (string.IsNullOrWhiteSpace(policy.Id))
            {
                PolicyError("$.id", "a policy needs an id");
            }

            var queues = new List<string>();
            if (string.IsNullOrWhiteSpace(policy.FallbackQueue))
            {
                PolicyError("$.fallbackQueue", "a policy needs a fallback queue, so that every lead gets an outcome");
                queues.Add("unassigned");
            }
            else
            {
                queues.Add(policy.FallbackQueue.Trim());
            }

            var defaultSla = TimeSpan.FromHours(24);
            if (policy.DefaultSlaMinutes is { } dsla)
            {
                if (dsla <= 0)
                {
                    PolicyError("$.defaultSlaMinutes", $"must be greater than zero (was {dsla})" + SlaRange);
                }
                else if (dsla > RoutingPolicyChecks.MaxSlaMinutes)
                {
                    PolicyError("$.defaultSlaMinutes", PolicyText.TooLarge(dsla, 1, RoutingPolicyChecks.MaxSlaMinutes, RoutingPolicyChecks.SlaUnit));
                }
                else
                {
                    defaultSla = TimeSpan.FromMinutes(dsla);
                }
            }

            if (policy.Rules is null || policy.Rules.Count == 0)
            {
                PolicyError("$.rules", "a policy needs at least one rule");
            }

            var compiledRules = new List<CompiledRule>();
            var ruleIds = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < rules.Count; i++)
            {
                var rule = CompileRule(rules[i], $"$.rules[{i}]", compiledRules.Count, reps, repIndex, queues, ruleIds, defaultSla);
                if (rule is not null)
                {
                    compiledRules.Add(rule);
                }
            }

            if (Errors.Count > 0)
            {
                return null;
            }

            return new CompiledRoutingPolicy(id.Trim(), [.. compiledRules], reps, [.. zones], [.. queues], _geo, _languages, _segments, _sources, _accounts, _domains, ownerByAccount, ownerByDomain, defaultSla);
        }

        private static void InternAll(SymbolTable table, IReadOnlyList<string>? values, bool normalizeDomain = false)
        {
            foreach (var v in values ?? [])
            {
                if (!string.IsNullOrWhiteSpace(v))
                {
                    table.Intern(normalizeDomain ? NormalizeDomain(v) : v);
                }
            }
        }

        private static string NormalizeDomain(string domain)
        {
            var d = domain.Trim();
            return d.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? d[4..] : d;
        }

        private CompiledRep CompileRep(RepDefinition r, string path, int index, List<TimeZoneInfo> zones, Dictionary<string, int> zoneIndex)
        {
            if (string.IsNullOrWhiteSpace(r.Team))
            {
                RosterError(path + ".team", $"rep '{r.Id}' needs a team");
            }

            string zoneId = string.IsNullOrWhiteSpace(r.TimeZone) ? "UTC" : r.TimeZone.Trim();
            if (!zoneIndex.TryGetValue(zoneId, out int zi))
            {
                if (TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
                {
                    zi = zones.Count;
                    zones.Add(zone);
                    zoneIndex.Add(zoneId, zi);
                }
                else
                {
                    RosterError(path + ".timeZone", $"unknown time-zone id '{zoneId}'");
                    zi = 0;
                    if (zones.Count == 0)
                    {
                        zones.Add(TimeZoneInfo.Utc);
                        zoneIndex.Add("UTC", 0);
                    }
                }
            }

            CheckCap(r.MaxOpenLeads, path + ".maxOpenLeads");
            CheckCap(r.MaxLeadsPerDay, path + ".maxLeadsPerDay");
            if (r.Weight is < 1)
            {
                RosterError(path + ".weight", $"must be at least 1 (was {r.Weight})" + PolicyText.Range(1, RoutingPolicyChecks.MaxWeight, ""));
            }
            else if (r.Weight is > RoutingPolicyChecks.MaxWeight)
            {
                RosterError(path + ".weight", PolicyText.TooLarge(r.Weight.Value, 1, RoutingPolicyChecks.MaxWeight, ""));
            }

            CheckTexts(r.Skills, path + ".skills", RosterError);
            CheckTexts(r.Languages, path + ".languages", RosterError);
            CheckTexts(r.Territories, path + ".territories", RosterError);

            ulong[]? week = null;
            var hours = r.WorkingHours ?? [];
            for (int h = 0; h < hours.Count; h++)
            {
                week ??= new ulong[(7 * 1440 + 63) / 64];
                AddHours(hours[h], $"{path}.workingHours[{h}]", week);
            }

            var away = new List<(long From, long To, int Source)>();
            var ooo = r.OutOfOffice ?? [];
            for (int o = 0; o < ooo.Count; o++)
            {
                string op = $"{path}.outOfOffice[{o}]";
                if (ooo[o] is not { From: { } from, To: { } to })
                {
                    RosterError(op, "an out-of-office period needs 'from' and 'to'");
                    continue;
                }

                if (to <= from)
                {
                    RosterError(op + ".to", $"must be later than 'from' ({from:O})");
                    continue;
                }

                away.Add((from.UtcTicks, to.UtcTicks, o));
            }

            away.Sort((a, b) => a.From.CompareTo(b.From));
            for (int k = 1; k < away.Count; k++)
            {
                if (away[k].From < away[k - 1].To)
                {
                    RosterError($"{path}.outOfOffice[{away[k].Source}]", $"overlaps {path}.outOfOffice[{away[k - 1].Source}]");
                }
            }

            var languages = SymbolSet.Of((r.Languages ?? []).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => _languages.Find(l)), _languages.Count);
            var territories = SymbolSet.Of((r.Territories ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => _geo.Find(t)), _geo.Count);

            return new CompiledRep
            {
                Id = new RepId(r.Id!),
                Index = index,
                Team = r.Team?.Trim() ?? string.Empty,
                ZoneIndex = zi,
                MaxOpen = r.MaxOpenLeads ?? int.MaxValue,
                MaxPerDay = r.MaxLeadsPerDay ?? int.MaxValue,
                Weight = r.Weight is >= 1 ? r.Weight.Value : 1,
                Manager = string.IsNullOrWhiteSpace(r.Manager) ? null : new RepId(r.Manager),
                WeekMinutes = week,
                AwayFrom = [.. away.Select(a => a.From)],
                AwayTo = [.. away.Select(a => a.To)],
                Languages = languages,
                Territories = territories,
                Skills = new HashSet<string>((r.Skills ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()), StringComparer.OrdinalIgnoreCase),
            };
        }

        private void CheckCap(int? cap, string path)
        {
            if (cap is < 0)
            {
                RosterError(path, $"a cap cannot be negative (was {cap})" + PolicyText.Range(0, RoutingPolicyChecks.MaxCap, ""));
            }
            else if (cap is > RoutingPolicyChecks.MaxCap)
            {
                RosterError(path, PolicyText.TooLarge(cap.Value, 0, RoutingPolicyChecks.MaxCap, " (leave the cap out for no cap)"));
            }
        }

        private static void CheckTexts(IReadOnlyList<string>? values, string path, Action<string, string> error)
        {
            if (values is null)
            {
                return;
            }

            for (int i = 0; i < values.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(values[i]))
                {
                    error($"{path}[{i}]", "must not be empty");
                }
            }
        }

        private void AddHours(WorkingHoursDefinition? h, string path, ulong[] week)
        {
            if (h is null)
            {
                RosterError(path, "working hours cannot be null");
                return;
            }

            int start = ParseTime(h.Start, path + ".start");
            int end = ParseTime(h.End, path + ".end");
            bool timesOk = start >= 0 && end >= 0;
            if (timesOk && end <= start)
            {
                RosterError(path + ".end", $"must be later than the start ({h.Start})");
                timesOk = false;
            }

            if (h.Days is null || h.Days.Count == 0)
            {
                RosterError(path + ".days", "needs at least one day");
                return;
            }

            for (int d = 0; d < h.Days.Count; d++)
            {
                int day = ParseDay(h.Days[d]);
                if (day < 0)
                {
                    RosterError($"{path}.days[{d}]", $"unknown day '{h.Days[d]}' (use mon, tue, wed, thu, fri, sat, sun)");
                    continue;
                }

                if (!timesOk)
                {
                    continue;
                }

                SetMinutes(week, day * 1440 + start, day * 1440 + end);
            }
        }

        // Sets the bits [from, to) a word at a time, so that a day listed many times costs little.
        private static void SetMinutes(ulong[] week, int from, int to)
        {
            while (from < to)
            {
                int bit = from & 63;
                int n = Math.Min(64 - bit, to - from);
                week[from >> 6] |= (n == 64 ? ulong.MaxValue : ((1UL << n) - 1)) << bit;
                from += n;
            }
        }

        private int ParseTime(string? text, string path)
        {
            if (text is not null && text.Length == 5 && text[2] == ':'
                && int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hh)
                && int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int mm)
                && mm < 60 && (hh < 24 || (hh == 24 && mm == 0)))
            {
                return hh * 60 + mm;
            }

            RosterError(path, $"'{text}' is not a time of day (HH:mm, 00:00 to 24:00)");
            return -1;
        }

        private static int ParseDay(string? text)
        {
            if (string.IsNullOrWhiteSpace(text) || text.Trim().Length < 3)
            {
                return -1;
            }

            var t = text.Trim();
            for (int i = 0; i < DayNames.Length; i++)
            {
                if (DayNames[i].StartsWith(t, StringComparison.OrdinalIgnoreCase) && (t.Length == 3 || t.Length == DayNames[i].Length))
                {
                    return i;
                }
            }

            return -1;
        }

        private void CompileAccount(AccountOwnerDefinition? a, string path, Dictionary<string, int> repIndex, int[] byAccount, int[] byDomain)
        {
            if (a is null)
            {
                RosterError(path, "an account cannot be null");
                return;
            }

            if (string.IsNullOrWhiteSpace(a.AccountId) && string.IsNullOrWhiteSpace(a.Domain))
            {
                RosterError(path, "an account needs an accountId or a domain");
            }

            int owner = -1;
            if (string.IsNullOrWhiteSpace(a.Owner))
            {
                RosterError(path + ".owner", "an account needs an owner");
            }
            else if (!repIndex.TryGetValue(a.Owner, out owner))
            {
                RosterError(path + ".owner", $"unknown rep id '{a.Owner}'");
                owner = -1;
            }

            if (!string.IsNullOrWhiteSpace(a.AccountId))
            {
                int s = _accounts.Find(a.AccountId);
                if (byAccount[s] >= 0)
                {
                    RosterError(path + ".accountId", $"account '{a.AccountId}' already has an owner");
                }

                byAccount[s] = owner;
            }

            if (!string.IsNullOrWhiteSpace(a.Domain))
            {
                int s = _domains.Find(NormalizeDomain(a.Domain));
                if (byDomain[s] >= 0)
                {
                    RosterError(path + ".domain", $"domain '{a.Domain}' already has an owner");
                }

                byDomain[s] = owner;
            }
        }

        private SymbolSet? Set(SymbolTable table, IReadOnlyList<string>? values, string path, bool domains = false)
        {
            if (values is null)
            {
                return null;
            }

            if (values.Count == 0)
            {
                PolicyError(path, "an empty list matches no lead; leave the condition out to match every lead");
                return null;
            }

            CheckTexts(values, path, PolicyError);
            return SymbolSet.Of(values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => table.Find(domains ? NormalizeDomain(v) : v)), table.Count);
        }

        private int Queue(List<string> queues, string name)
        {
            name = name.Trim();
            if (_queueIndex.Count < queues.Count)
            {
                // The fallback queue (and any added before) by its first position, as a search of the list would find it.
                for (int k = _queueIndex.Count; k < queues.Count; k++)
                {
                    _queueIndex.TryAdd(queues[k], k);
                }
            }

            if (!_queueIndex.TryGetValue(name, out int i))
            {
                i = queues.Count;
                queues.Add(name);
                _queueIndex.Add(name, i);
            }

            return i;
        }

        private CompiledRule? CompileRule(RoutingRuleDefinition? rule, string path, int index, CompiledRep[] reps, Dictionary<string, int> repIndex, List<string> queues, HashSet<string> ruleIds, TimeSpan defaultSla)
        {
            if (rule is null)
            {
                PolicyError(path, "a rule cannot be null");
                return null;
            }

            if (string.IsNullOrWhiteSpace(rule.Id))
            {
                PolicyError(path + ".id", "a rule needs an id");
            }
            else if (!ruleIds.Add(rule.Id.Trim()))
            {
                PolicyError(path + ".id", $"duplicate rule id '{rule.Id}'");
            }

            if (rule.Strategy is not { } strategy || !Enum.IsDefined(strategy))
            {
                PolicyError(path + ".strategy", "a rule needs a strategy: roundRobin, weighted, loadBalanced or accountOwner");
                strategy = RoutingStrategy.RoundRobin;
            }

            var m = rule.Match ?? new RuleMatchDefinition();
            string mp = path + ".match";
            bool[]? states = null;
            if (m.States is not null)
            {
                states = new bool[3];
                if (m.States.Count == 0)
                {
                    PolicyError(K(mp, "score.state"), "an empty list matches no lead; leave the condition out to match every lead");
                }

                for (int i = 0; i < m.States.Count; i++)
                {
                    switch (m.States[i]?.Trim().ToUpperInvariant())
                    {
                        case "NOTQUALIFIED": states[(int)QualificationState.NotQualified] = true; break;
                        case "MQL": case "MARKETINGQUALIFIED": states[(int)QualificationState.MarketingQualified] = true; break;
                        case "HOT": states[(int)QualificationState.Hot] = true; break;
                        default: PolicyError($"{K(mp, "score.state")}[{i}]", $"unknown qualification state '{m.States[i]}' (use notQualified, mql or hot)"); break;
                    }
                }
            }

            if (m.MinScore is { } minS && m.MaxScore is { } maxS && minS > maxS)
            {
                PolicyError(K(mp, "score.total") + ".atMost", $"must not be below atLeast ({minS.ToString(CultureInfo.InvariantCulture)})");
            }

            int minGrade = 0;
            int maxGrade = int.MaxValue;
            if (m.MinGrade is not null)
            {
                minGrade = Grades.TryParse(m.MinGrade, out var g) ? (int)g : Bad(K(mp, "score.grade") + ".atLeast", $"'{m.MinGrade}' is not a grade (F to A+)");
            }

            if (m.MaxGrade is not null)
            {
                maxGrade = Grades.TryParse(m.MaxGrade, out var g) ? (int)g : Bad(K(mp, "score.grade") + ".atMost", $"'{m.MaxGrade}' is not a grade (F to A+)");
            }

            if (minGrade > maxGrade)
            {
                PolicyError(K(mp, "score.grade") + ".atMost", $"must not be below atLeast ({m.MinGrade})");
            }

            var pool = rule.Pool;
            int[] members = [];
            bool[]? inPool = null;
            if (pool is null || (pool.Reps is null && pool.Teams is null))
            {
                if (strategy != RoutingStrategy.AccountOwner)
                {
                    PolicyError(path + ".pool", "a rule needs a pool (reps and/or teams)");
                }
            }
            else
            {
                var set = new SortedSet<int>();
                var poolReps = pool.Reps ?? [];
                for (int i = 0; i < poolReps.Count; i++)
                {
                    if (string.IsNullOrWhiteSpace(poolReps[i]) || !repIndex.TryGetValue(poolReps[i], out int ri))
                    {
                        PolicyError($"{path}.pool.reps[{i}]", $"unknown rep id '{poolReps[i]}'");
                    }
                    else
                    {
                        set.Add(ri);
                    }
                }

                var teams = pool.Teams ?? [];
                _teams ??= reps.GroupBy(r => r.Team, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Select(r => r.Index).ToList(), StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < teams.Count; i++)
                {
                    bool any = false;
                    if (teams[i] is { } team && _teams.TryGetValue(team.Trim(), out var inTeam))
                    {
                        set.UnionWith(inTeam);
                        any = true;
                    }

                    if (!any)
                    {
                        PolicyError($"{path}.pool.teams[{i}]", $"no rep is in team '{teams[i]}'");
                    }
                }

                members = [.. set];
                if (members.Length == 0)
                {
                    PolicyError(path + ".pool", "empty pool: it names no rep");
                }

                if (strategy == RoutingStrategy.AccountOwner)
                {
                    inPool = new bool[reps.Length];
                    foreach (int mi in members)
                    {
                        inPool[mi] = true;
                    }
                }
            }

            var skills = pool?.Skills ?? [];
            CheckTexts(skills, path + ".pool.skills", PolicyError);
            var hasSkills = new bool[members.Length];
            int skilled = 0;
            for (int i = 0; i < members.Length; i++)
            {
                hasSkills[i] = skills.All(s => string.IsNullOrWhiteSpace(s) || reps[members[i]].Skills.Contains(s.Trim()));
                skilled += hasSkills[i] ? 1 : 0;
            }

            if (members.Length > 0 && skilled == 0)
            {
                PolicyError(path + ".pool.skills", $"empty pool: no member has every required skill ({string.Join(", ", skills)})");
            }

            var sla = defaultSla;
            if (rule.SlaMinutes is { } slaMinutes)
            {
                if (slaMinutes <= 0)
                {
                    PolicyError(path + ".slaMinutes", $"must be greater than zero (was {slaMinutes})" + SlaRange);
                }
                else if (slaMinutes > RoutingPolicyChecks.MaxSlaMinutes)
                {
                    PolicyError(path + ".slaMinutes", PolicyText.TooLarge(slaMinutes, 1, RoutingPolicyChecks.MaxSlaMinutes, RoutingPolicyChecks.SlaUnit));
                }
                else
                {
                    sla = TimeSpan.FromMinutes(slaMinutes);
                }
            }

            int queue = -1;
            if (rule.Queue is not null)
            {
                if (string.IsNullOrWhiteSpace(rule.Queue))
                {
                    PolicyError(path + ".queue", "a queue name must not be empty");
                }
                else
                {
                    queue = Queue(queues, rule.Queue);
                }
            }

            var esc = rule.Escalation;
            int maxReassign = 0;
            int escQueue = 0;
            if (esc is not null)
            {
                if (esc.MaxReassignments is < 0)
                {
                    PolicyError(path + ".escalation.maxReassignments", $"cannot be negative (was {esc.MaxReassignments})" + PolicyText.Range(0, RoutingPolicyChecks.MaxReassignments, ""));
                }
                else if (esc.MaxReassignments is > RoutingPolicyChecks.MaxReassignments)
                {
                    PolicyError(path + ".escalation.maxReassignments", PolicyText.TooLarge(esc.MaxReassignments.Value, 0, RoutingPolicyChecks.MaxReassignments, ""));
                }
                else
                {
                    maxReassign = esc.MaxReassignments ?? 0;
                }

                if (esc.Queue is not null)
                {
                    if (string.IsNullOrWhiteSpace(esc.Queue))
                    {
                        PolicyError(path + ".escalation.queue", "a queue name must not be empty");
                    }
                    else
                    {
                        escQueue = Queue(queues, esc.Queue);
                    }
                }
            }

            if (rule.Availability is { } av && !Enum.IsDefined(av))
            {
                PolicyError(path + ".availability", "must be skip or wait");
            }

            return new CompiledRule
            {
                Id = rule.Id?.Trim() ?? string.Empty,
                Index = index,
                Qualification = rule.Qualification,
                Strategy = strategy,
                Availability = rule.Availability ?? AvailabilityMode.Skip,
                Segments = Set(_segments, m.Segments, K(mp, "segment.id")),
                Countries = Set(_geo, m.Countries, m.ExcludeCountries is null ? K(mp, "company.country") : K(mp, "company.country") + ".in"),
                ExcludeCountries = Set(_geo, m.ExcludeCountries, K(mp, "company.country") + ".notIn"),
                Regions = Set(_geo, m.Regions, K(mp, "company.region")),
                Languages = Set(_languages, m.Languages, K(mp, "person.language")),
                Sources = Set(_sources, m.Sources, K(mp, "lead.source")),
                Accounts = Set(_accounts, m.Accounts, K(mp, "lead.accountId")),
                Domains = Set(_domains, m.Domains, K(mp, "lead.domain"), domains: true),
                States = states,
                MinScore = m.MinScore,
                MaxScore = m.MaxScore,
                MinGrade = minGrade,
                MaxGrade = maxGrade,
                Members = members,
                MemberHasSkills = hasSkills,
                InPool = inPool,
                MatchLanguage = pool?.MatchLanguage ?? false,
                MatchTerritory = pool?.MatchTerritory ?? false,
                QueueIndex = queue,
                Sla = sla,
                NotifyManager = esc?.NotifyManager ?? false,
                MaxReassignments = maxReassign,
                EscalationQueueIndex = escQueue,
            };
        }

        // The JSON path of a match key, such as $.rules[0].match['company.country'].
        private static string K(string matchPath, string field) => RuleMatchJsonConverter.KeyPath(matchPath, field);

        private int Bad(string path, string message)
        {
            PolicyError(path, message);
            return 0;
        }
    }
}
