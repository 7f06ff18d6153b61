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
internal static partial class RoutingPolicyCompiler
{
    private static readonly string SlaRange = PolicyText.Range(1, RoutingPolicyChecks.MaxSlaMinutes, RoutingPolicyChecks.SlaUnit);

    private static readonly string[] DayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>Compiles a policy, throwing on any problem.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="roster">The roster.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ModelException">The policy or roster is invalid; the exception lists every problem.</exception>
    /// <param name="plugins">The plugin strategies and conditions rules may name, or <see langword="null"/> for none.</param>
    public static CompiledRoutingPolicy Compile(RoutingPolicyDefinition policy, RosterDefinition roster, RoutingPolicyLoadOptions? plugins = null) =>
        TryCompile(policy, roster, null, plugins, out var compiled, out var errors) ? compiled! : throw new ModelException("routing policy", errors);

    /// <summary>Compiles a policy, returning its problems instead of throwing; the policy's <see cref="CompiledRoutingPolicy.Model"/> has no version.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="roster">The roster.</param>
    /// <param name="compiled">The compiled policy, when valid.</param>
    /// <param name="errors">Every problem found; empty when valid.</param>
    /// <returns><see langword="true"/> when the policy is valid.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool TryCompile(RoutingPolicyDefinition policy, RosterDefinition roster, out CompiledRoutingPolicy? compiled, out ImmutableArray<ModelError> errors) =>
        TryCompile(policy, roster, null, null, out compiled, out errors);

    /// <summary>Compiles a policy whose rules may name plugins, returning its problems instead of throwing.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="roster">The roster.</param>
    /// <param name="plugins">The plugin strategies and conditions rules may name, or <see langword="null"/> for none.</param>
    /// <param name="compiled">The compiled policy, when valid.</param>
    /// <param name="errors">Every problem found; empty when valid.</param>
    /// <returns><see langword="true"/> when the policy is valid.</returns>
    public static bool TryCompile(RoutingPolicyDefinition policy, RosterDefinition roster, RoutingPolicyLoadOptions? plugins, out CompiledRoutingPolicy? compiled, out ImmutableArray<ModelError> errors) =>
        TryCompile(policy, roster, null, plugins, out compiled, out errors);

    /// <summary>Compiles a policy of a release version, returning its problems instead of throwing.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="roster">The roster.</param>
    /// <param name="version">The release's version, or <see langword="null"/> outside a release: part of the policy's <see cref="CompiledRoutingPolicy.Model"/> and of its content hash.</param>
    /// <param name="compiled">The compiled policy, when valid.</param>
    /// <param name="errors">Every problem found; empty when valid.</param>
    /// <returns><see langword="true"/> when the policy is valid.</returns>
    /// <param name="plugins">The plugin strategies and conditions rules may name, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool TryCompile(RoutingPolicyDefinition policy, RosterDefinition roster, string? version, RoutingPolicyLoadOptions? plugins, out CompiledRoutingPolicy? compiled, out ImmutableArray<ModelError> errors)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(roster);
        var c = new Compilation(policy, roster, version, plugins);
        compiled = c.Run();
        errors = [.. c.Errors];
        return errors.IsEmpty;
    }

    private sealed partial class Compilation(RoutingPolicyDefinition policy, RosterDefinition roster, string? version, RoutingPolicyLoadOptions? plugins)
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

            return new CompiledRoutingPolicy(id.Trim(), [.. compiledRules], reps, [.. zones], [.. queues], _geo, _languages, _segments, _sources, _accounts, _domains, ownerByAccount, ownerByDomain, defaultSla,
                new ModelReference(id.Trim(), version ?? string.Empty, RoutingReleaseJson.ComputeContentHash(version, policy, roster)));
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
    }
}
