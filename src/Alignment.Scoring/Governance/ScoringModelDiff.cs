using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Alignment.Leads;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Governance;

/// <summary>
/// What changed between two versions of a scoring model: model-wide settings (thresholds, categories, attributes, text comparison),
/// rules added and removed, and rules changed property by property (points, conditions, grade steps, caps, decay, window, category…).
/// Rules are matched by id. Write it for people with <see cref="ToText"/> or for machines with <see cref="ToJson"/>.
/// </summary>
/// <remarks>Immutable and thread-safe. Create one with <see cref="Compare"/>.</remarks>
public sealed class ScoringModelDiff
{
    private static readonly string[] PropertyOrder =
        ["section", "kind", "points", "grade", "when", "activity", "urlContains", "campaign", "windowDays", "cap", "decay", "inactiveDays", "rule", "category"];

    private ScoringModelDiff(ModelVersionInfo from, ModelVersionInfo to, ImmutableArray<SettingChange> settings, ImmutableArray<RuleChange> added, ImmutableArray<RuleChange> removed, ImmutableArray<RuleChange> changed)
    {
        From = from;
        To = to;
        Settings = settings;
        AddedRules = added;
        RemovedRules = removed;
        ChangedRules = changed;
    }

    /// <summary>The older version.</summary>
    public ModelVersionInfo From { get; }

    /// <summary>The newer version.</summary>
    public ModelVersionInfo To { get; }

    /// <summary>Model-wide setting changes: <c>id</c>, <c>textComparison</c>, thresholds, then categories and attributes (by name).</summary>
    public ImmutableArray<SettingChange> Settings { get; }

    /// <summary>Rules only in the newer version, in its order.</summary>
    public ImmutableArray<RuleChange> AddedRules { get; }

    /// <summary>Rules only in the older version, in its order.</summary>
    public ImmutableArray<RuleChange> RemovedRules { get; }

    /// <summary>Rules in both versions whose content differs, in the newer version's order.</summary>
    public ImmutableArray<RuleChange> ChangedRules { get; }

    /// <summary>Whether anything that affects scoring changed (a new version or change note alone is not a change).</summary>
    public bool HasChanges => Settings.Length + AddedRules.Length + RemovedRules.Length + ChangedRules.Length > 0;

    /// <summary>Compares two model versions.</summary>
    /// <param name="from">The older version.</param>
    /// <param name="to">The newer version.</param>
    /// <returns>The differences.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ScoringModelDiff Compare(ScoringModelDefinition from, ScoringModelDefinition to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var settings = ImmutableArray.CreateBuilder<SettingChange>();
        void Setting(string name, string? oldValue, string? newValue)
        {
            if (oldValue != newValue)
            {
                settings.Add(new SettingChange(name, oldValue, newValue));
            }
        }

        Setting("id", from.Id, to.Id);
        Setting("textComparison", TextComparisonName(from.TextComparison), TextComparisonName(to.TextComparison));
        Setting("thresholds.mql", Threshold(from.Mql), Threshold(to.Mql));
        Setting("thresholds.hot", from.Hot is null ? null : Threshold(from.Hot), to.Hot is null ? null : Threshold(to.Hot));
        foreach (var (name, oldValue, newValue) in Keyed(from.Categories, to.Categories, c => c.Id, c => c.Cap is decimal cap ? "cap " + Number(cap) : "no cap"))
        {
            Setting("categories." + name, oldValue, newValue);
        }

        foreach (var (name, oldValue, newValue) in Keyed(from.Attributes, to.Attributes, a => a.Name, a => KindName(a.Kind)))
        {
            Setting("attributes." + name, oldValue, newValue);
        }

        var oldRules = new Dictionary<string, ScoringRuleDefinition>(StringComparer.Ordinal);
        foreach (var r in from.Rules)
        {
            oldRules.TryAdd(r.Id, r);
        }

        var newIds = new HashSet<string>(to.Rules.Select(r => r.Id), StringComparer.Ordinal);
        var added = ImmutableArray.CreateBuilder<RuleChange>();
        var changed = ImmutableArray.CreateBuilder<RuleChange>();
        foreach (var r in to.Rules)
        {
            if (!oldRules.TryGetValue(r.Id, out var old))
            {
                added.Add(new RuleChange(r.Id, SectionName(r.Component), null, r.Describe(), []));
                continue;
            }

            var before = Properties(old);
            var after = Properties(r);
            var properties = ImmutableArray.CreateBuilder<PropertyChange>();
            foreach (var p in PropertyOrder)
            {
                before.TryGetValue(p, out var o);
                after.TryGetValue(p, out var n);
                if (o != n)
                {
                    properties.Add(new PropertyChange(p, o, n));
                }
            }

            if (properties.Count > 0)
            {
                changed.Add(new RuleChange(r.Id, SectionName(r.Component), old.Describe(), r.Describe(), properties.ToImmutable()));
            }
        }

        var removed = ImmutableArray.CreateBuilder<RuleChange>();
        foreach (var r in from.Rules)
        {
            if (!newIds.Contains(r.Id))
            {
                removed.Add(new RuleChange(r.Id, SectionName(r.Component), r.Describe(), null, []));
            }
        }

        return new ScoringModelDiff(Info(from), Info(to), settings.ToImmutable(), added.ToImmutable(), removed.ToImmutable(), changed.ToImmutable());
    }

    /// <summary>Writes the diff for people: a header, then settings, added, removed and changed rules, then a summary line.</summary>
    /// <returns>The text; lines end with <c>\n</c>.</returns>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("Scoring model diff: ").Append(From).Append(" -> ").Append(To).Append('\n');
        if (To.ChangeNote is not null && To.ChangeNote != From.ChangeNote)
        {
            sb.Append("Change note: ").Append(To.ChangeNote).Append('\n');
        }

        if (!HasChanges)
        {
            sb.Append("No changes to settings or rules.\n");
            return sb.ToString();
        }

        if (!Settings.IsEmpty)
        {
            sb.Append("Settings:\n");
            foreach (var s in Settings)
            {
                sb.Append(s.Old is null ? "  + " : s.New is null ? "  - " : "  ~ ").Append(s.Setting).Append(": ")
                  .Append(s.Old is null ? s.New : s.New is null ? s.Old : s.Old + " -> " + s.New).Append('\n');
            }
        }

        if (!AddedRules.IsEmpty)
        {
            sb.Append("Rules added:\n");
            foreach (var r in AddedRules)
            {
                sb.Append("  + ").Append(r.Section).Append('/').Append(r.RuleId).Append(": ").Append(r.NewDescription).Append('\n');
            }
        }

        if (!RemovedRules.IsEmpty)
        {
            sb.Append("Rules removed:\n");
            foreach (var r in RemovedRules)
            {
                sb.Append("  - ").Append(r.Section).Append('/').Append(r.RuleId).Append(": ").Append(r.OldDescription).Append('\n');
            }
        }

        if (!ChangedRules.IsEmpty)
        {
            sb.Append("Rules changed:\n");
            foreach (var r in ChangedRules)
            {
                sb.Append("  ~ ").Append(r.Section).Append('/').Append(r.RuleId).Append(": ").Append(r.OldDescription).Append(" -> ").Append(r.NewDescription).Append('\n');
                foreach (var p in r.Properties)
                {
                    sb.Append("      ").Append(p.Property).Append(": ").Append(p.Old ?? "none").Append(" -> ").Append(p.New ?? "none").Append('\n');
                }
            }
        }

        sb.Append(CultureInfo.InvariantCulture, $"Summary: {AddedRules.Length} rule(s) added, {RemovedRules.Length} removed, {ChangedRules.Length} changed; {Settings.Length} setting change(s).\n");
        return sb.ToString();
    }

    /// <summary>Writes the diff as JSON (camelCase members <c>from</c>, <c>to</c>, <c>settings</c>, <c>addedRules</c>, <c>removedRules</c>, <c>changedRules</c>, <c>hasChanges</c>).</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true) =>
        GovernanceJsonContext.Write(this, GovernanceJsonContext.Default.ScoringModelDiff, indented);

    /// <summary>Returns <see cref="ToText"/>.</summary>
    /// <returns>The diff as text.</returns>
    public override string ToString() => ToText();

    internal static string SectionName(ScoreComponent component) => component switch
    {
        ScoreComponent.Fit => "fit",
        ScoreComponent.Engagement => "engagement",
        ScoreComponent.Negative => "negative",
        _ => "plugins",
    };

    private static ModelVersionInfo Info(ScoringModelDefinition d) => new(d.Id, d.Version, ScoringModelJson.ComputeContentHash(d), d.ChangeNote);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Threshold(ThresholdDefinition t) => $"score {Number(t.Score)}, grade {t.MinGrade.ToLetter()}";

    private static string TextComparisonName(TextComparison c) => c == TextComparison.Ordinal ? "ordinal" : "ignoreCase";

    private static string KindName(AttributeKind kind) => kind switch { AttributeKind.Text => "text", AttributeKind.Boolean => "boolean", _ => "number" };

    private static IEnumerable<(string Name, string? Old, string? New)> Keyed<T>(ImmutableArray<T> before, ImmutableArray<T> after, Func<T, string> key, Func<T, string> value)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var x in before)
        {
            o.TryAdd(key(x), value(x));
        }

        var n = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var x in after)
        {
            n.TryAdd(key(x), value(x));
        }

        foreach (var name in o.Keys.Union(n.Keys).Order(StringComparer.Ordinal))
        {
            yield return (name, o.GetValueOrDefault(name), n.GetValueOrDefault(name));
        }
    }

    private static Dictionary<string, string> Properties(ScoringRuleDefinition rule)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["section"] = SectionName(rule.Component),
            ["category"] = rule.Category,
        };
        switch (rule)
        {
            case ProfileRuleDefinition r:
                p["kind"] = "profile";
                p["points"] = Number(r.Points);
                if (r.GradeSteps != 0)
                {
                    p["grade"] = GradeSteps(r.GradeSteps);
                }

                p["when"] = r.When.ToString();
                break;
            case ActivityRuleDefinition r:
                p["kind"] = "activity";
                p["points"] = Number(r.Points);
                p["activity"] = ScoringNames.ActivityName(r.Activity);
                Optional(p, "urlContains", r.UrlContains);
                Optional(p, "campaign", r.Campaign);
                Optional(p, "windowDays", r.WindowDays?.ToString(CultureInfo.InvariantCulture));
                Optional(p, "cap", r.Cap is decimal cap ? Number(cap) : null);
                Optional(p, "decay", r.Decay switch
                {
                    DecayDefinition.HalfLife h => "half-life " + h.Days.ToString("R", CultureInfo.InvariantCulture) + " days",
                    DecayDefinition.Stepped s => "steps " + string.Join(", ", s.Steps.Select(x => $"{x.AfterDays.ToString(CultureInfo.InvariantCulture)}d x{x.Factor.ToString("R", CultureInfo.InvariantCulture)}")),
                    _ => null,
                });
                break;
            case InactivityRuleDefinition r:
                p["kind"] = "inactivity";
                p["points"] = Number(r.Points);
                p["inactiveDays"] = r.InactiveDays.ToString(CultureInfo.InvariantCulture);
                break;
            case PluginRuleDefinition r:
                p["kind"] = "plugin";
                p["rule"] = r.RuleName;
                Optional(p, "cap", r.Cap is decimal pcap ? Number(pcap) : null);
                break;
        }

        return p;
    }

    private static void Optional(Dictionary<string, string> p, string name, string? value)
    {
        if (value is not null)
        {
            p[name] = value;
        }
    }

    private static string GradeSteps(int steps) => (steps > 0 ? "+" : "-") + (Math.Abs(steps) == 3 ? "1" : Math.Abs(steps).ToString(CultureInfo.InvariantCulture) + "/3");
}
