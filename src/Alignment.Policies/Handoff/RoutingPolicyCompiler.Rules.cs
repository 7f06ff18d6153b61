using Alignment.Models;
using System.Collections.Immutable;
using System.Globalization;
using Alignment.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;

namespace Alignment.Policies.Handoff;

internal static partial class RoutingPolicyCompiler
{
    /// <summary>The rules: each rule's match (lead fields of the catalogue), pool, queue, service level and escalation.</summary>
    private sealed partial class Compilation
    {
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

            // The reader resolved the name in the registry (an unknown one is a read error at this path); only a missing one is left.
            var strategy = rule.Strategy;
            if (strategy is null)
            {
                PolicyError(path + ".strategy", $"a rule needs a strategy: {RoutingStrategies.KnownNames}");
            }
            else if (strategy is PluginStrategyReference reference)
            {
                strategy = ResolveStrategy(reference.PluginName, path + ".strategy.plugin");
            }

            var conditions = ResolveConditions(rule.Conditions, path + ".conditions");

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
                    if (Alignment.Leads.LeadFields.TryParseState(m.States[i]?.Trim(), out var state))
                    {
                        states[(int)state] = true;
                    }
                    else
                    {
                        PolicyError($"{K(mp, "score.state")}[{i}]", $"unknown qualification state '{m.States[i]}' (use notQualified, mql or hot)");
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
                if (strategy?.NeedsPool ?? true)
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

                if (strategy is { PoolIsFilter: true })
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

            if (strategy is null)
            {
                return null;
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
                Conditions = conditions,
            };
        }

        private PluginStrategy? ResolveStrategy(string name, string path)
        {
            var registered = plugins?.Strategies ?? [];
            foreach (var s in registered)
            {
                if (s is not null && string.Equals(s.Name, name, StringComparison.Ordinal))
                {
                    return new PluginStrategy(s);
                }
            }

            PolicyError(path, $"no registered routing strategy is named '{name}' (registered: {Registered(registered.Select(s => s?.Name))})");
            return null;
        }

        private IRoutingCondition[] ResolveConditions(IReadOnlyList<string>? names, string path)
        {
            if (names is null)
            {
                return [];
            }

            if (names.Count == 0)
            {
                PolicyError(path, "an empty list names no condition; leave it out");
                return [];
            }

            var registered = plugins?.Conditions ?? [];
            var resolved = new List<IRoutingCondition>();
            for (int i = 0; i < names.Count; i++)
            {
                string? name = names[i];
                var found = registered.FirstOrDefault(c => c is not null && string.Equals(c.Name, name, StringComparison.Ordinal));
                if (found is null)
                {
                    PolicyError($"{path}[{i}]", $"no registered routing condition is named '{name}' (registered: {Registered(registered.Select(c => c?.Name))})");
                }
                else
                {
                    resolved.Add(found);
                }
            }

            return [.. resolved];
        }

        private static string Registered(IEnumerable<string?> names)
        {
            var list = names.Where(n => n is not null).ToList();
            return list.Count == 0 ? "none" : string.Join(", ", list);
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
