using Alignment.Models;
using System.Globalization;
using Alignment.Policies.Handoff.Definitions;

namespace Alignment.Policies.Handoff;

/// <summary>
/// The bounds of a routing policy and roster (see docs/handoff.md, "Limits"), and the check that no identifier holds a control
/// character: every text of these documents is an id, a name or a list value compared with a lead's, none is free text.
/// </summary>
internal static class RoutingPolicyChecks
{
    /// <summary>The longest first-touch service level, in minutes: 365 days.</summary>
    public const int MaxSlaMinutes = 525_600;

    /// <summary>The most reassignments after a breach.</summary>
    public const int MaxReassignments = 100;

    /// <summary>The largest cap (open leads, leads per day).</summary>
    public const int MaxCap = 1_000_000;

    /// <summary>The largest weight of a rep.</summary>
    public const int MaxWeight = 1_000;

    /// <summary>
    /// The most entries of the match tables compiled from a policy and its roster, counted by <see cref="MatchTableEntries"/> (32 Mi).
    /// </summary>
    public const long MaxMatchTableEntries = 32L * 1024 * 1024;

    /// <summary>The unit of service levels in messages.</summary>
    public const string SlaUnit = " minutes (365 days)";

    /// <summary>Adds an error for every identifier of the policy or roster that holds a control character.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="roster">The roster.</param>
    /// <param name="errors">Where the errors go.</param>
    public static void CheckIdentifiers(RoutingPolicyDefinition policy, RosterDefinition roster, List<ModelError> errors)
    {
        void P(string? text, string path) => Identifier("policy", text, path, errors);
        void R(string? text, string path) => Identifier("roster", text, path, errors);
        void PList(IReadOnlyList<string>? values, string path) => List("policy", values, path, errors);
        void RList(IReadOnlyList<string>? values, string path) => List("roster", values, path, errors);

        P(policy.Id, "$.id");
        P(policy.FallbackQueue, "$.fallbackQueue");
        var rules = policy.Rules ?? [];
        for (int i = 0; i < rules.Count; i++)
        {
            if (rules[i] is not { } rule)
            {
                continue;
            }

            string path = $"$.rules[{i}]";
            P(rule.Id, path + ".id");
            P(rule.Queue, path + ".queue");
            P(rule.Escalation?.Queue, path + ".escalation.queue");
            if (rule.Match is { } m)
            {
                string mp = path + ".match";
                string country = RuleMatchJsonConverter.KeyPath(mp, "company.country");
                PList(m.Segments, RuleMatchJsonConverter.KeyPath(mp, "segment.id"));
                PList(m.Countries, m.ExcludeCountries is null ? country : country + ".in");
                PList(m.ExcludeCountries, country + ".notIn");
                PList(m.Regions, RuleMatchJsonConverter.KeyPath(mp, "company.region"));
                PList(m.Languages, RuleMatchJsonConverter.KeyPath(mp, "person.language"));
                PList(m.Sources, RuleMatchJsonConverter.KeyPath(mp, "lead.source"));
                PList(m.Accounts, RuleMatchJsonConverter.KeyPath(mp, "lead.accountId"));
                PList(m.Domains, RuleMatchJsonConverter.KeyPath(mp, "lead.domain"));
                PList(m.States, RuleMatchJsonConverter.KeyPath(mp, "score.state"));
                P(m.MinGrade, RuleMatchJsonConverter.KeyPath(mp, "score.grade") + ".atLeast");
                P(m.MaxGrade, RuleMatchJsonConverter.KeyPath(mp, "score.grade") + ".atMost");
            }

            if (rule.Pool is { } pool)
            {
                PList(pool.Reps, path + ".pool.reps");
                PList(pool.Teams, path + ".pool.teams");
                PList(pool.Skills, path + ".pool.skills");
            }
        }

        var reps = roster.Reps ?? [];
        for (int i = 0; i < reps.Count; i++)
        {
            if (reps[i] is not { } r)
            {
                continue;
            }

            string path = $"$.reps[{i}]";
            R(r.Id, path + ".id");
            R(r.Team, path + ".team");
            R(r.TimeZone, path + ".timeZone");
            R(r.Manager, path + ".manager");
            RList(r.Skills, path + ".skills");
            RList(r.Languages, path + ".languages");
            RList(r.Territories, path + ".territories");
            var hours = r.WorkingHours ?? [];
            for (int h = 0; h < hours.Count; h++)
            {
                string hp = $"{path}.workingHours[{h}]";
                RList(hours[h]?.Days, hp + ".days");
                R(hours[h]?.Start, hp + ".start");
                R(hours[h]?.End, hp + ".end");
            }
        }

        var accounts = roster.Accounts ?? [];
        for (int i = 0; i < accounts.Count; i++)
        {
            string path = $"$.accounts[{i}]";
            R(accounts[i]?.AccountId, path + ".accountId");
            R(accounts[i]?.Domain, path + ".domain");
            R(accounts[i]?.Owner, path + ".owner");
        }
    }

    /// <summary>
    /// The number of match-table entries a policy compiles to (see <see cref="MaxMatchTableEntries"/>). Each list of a rule or a rep
    /// compiles to a set of the values it names: a sorted array, or a flag per value of its kind when the list names at least an
    /// eighth of them; so a list costs at most eight entries per value it names and never more than its kind has.
    /// </summary>
    /// <param name="rules">The policy's rules.</param>
    /// <param name="reps">The valid reps.</param>
    /// <param name="geo">The distinct countries, regions and territories.</param>
    /// <param name="languages">The distinct languages.</param>
    /// <param name="segments">The distinct segment ids.</param>
    /// <param name="sources">The distinct sources.</param>
    /// <param name="accounts">The distinct account ids.</param>
    /// <param name="domains">The distinct domains.</param>
    /// <returns>The number of entries.</returns>
    public static long MatchTableEntries(IReadOnlyList<RoutingRuleDefinition?> rules, IReadOnlyList<RepDefinition> reps, int geo, int languages, int segments, int sources, int accounts, int domains)
    {
        static long Set(IReadOnlyList<string>? values, int kind) => values is null ? 0L : Math.Min(8L * values.Count, kind);
        long entries = 0;
        foreach (var rep in reps)
        {
            entries += Set(rep.Territories, geo) + Set(rep.Languages, languages);
        }

        foreach (var rule in rules)
        {
            if (rule?.Match is { } m)
            {
                entries += Set(m.Segments, segments) + Set(m.Countries, geo) + Set(m.ExcludeCountries, geo) + Set(m.Regions, geo)
                    + Set(m.Languages, languages) + Set(m.Sources, sources) + Set(m.Accounts, accounts) + Set(m.Domains, domains);
            }

            if (rule?.Strategy is { PoolIsFilter: true } && rule.Pool is not null)
            {
                entries += reps.Count;
            }
        }

        return entries;
    }

    /// <summary>The message when <see cref="MatchTableEntries"/> is over <see cref="MaxMatchTableEntries"/>.</summary>
    /// <param name="entries">The entries needed.</param>
    /// <param name="rules">The number of rules.</param>
    /// <param name="reps">The number of reps.</param>
    /// <returns>The message.</returns>
    public static string TooManyEntries(long entries, int rules, int reps) =>
        string.Create(CultureInfo.InvariantCulture, $"the policy ({rules:N0} rules) and roster ({reps:N0} reps) compile to match tables of {entries:N0} entries (the values named by every list of every rule and rep); the allowed range is 0 to {MaxMatchTableEntries:N0}: use fewer rules, reps or distinct list values");

    private static void List(string document, IReadOnlyList<string>? values, string path, List<ModelError> errors)
    {
        for (int i = 0; i < (values?.Count ?? 0); i++)
        {
            Identifier(document, values![i], $"{path}[{i}]", errors);
        }
    }

    private static void Identifier(string document, string? text, string path, List<ModelError> errors)
    {
        if (PolicyText.FirstControl(text) is { } c)
        {
            errors.Add(new ModelError(path, PolicyText.ControlCharacter(c)) { Document = document });
        }
    }
}
