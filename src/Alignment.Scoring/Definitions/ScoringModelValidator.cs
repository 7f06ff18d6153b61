using Alignment.Models;
using System.Globalization;
using System.Text.RegularExpressions;
using Alignment.Leads;
using Alignment.Scoring.Compilation;
using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <summary>Checks a <see cref="ScoringModelDefinition"/> for every semantic problem and names each by its JSON path.</summary>
/// <remarks>
/// Besides meaning, it bounds every number the engine turns into a table, a time span or an allocation (days to
/// <see cref="MaxDays"/>, decay steps to <see cref="MaxDecaySteps"/>, points to ±1,000,000), so a definition that passes cannot
/// exhaust a host however it was made; and it refuses identifiers with control or bidirectional formatting characters.
/// </remarks>
internal static partial class ScoringModelValidator
{
    /// <summary>The most days a window, an inactivity period, a decay step or a half-life may span: 36,500 (100 years).</summary>
    internal const int MaxDays = 36_500;

    /// <summary>The most steps a stepped decay may have.</summary>
    internal const int MaxDecaySteps = 100;

    private const decimal MaxPoints = 1_000_000m;

    /// <summary>Validates a definition.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>Every problem found, in document order; empty when the definition is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    public static IReadOnlyList<ModelError> Validate(ScoringModelDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<ModelError>();
        void Error(string path, string message) => errors.Add(new ModelError(path, message));

        if (string.IsNullOrWhiteSpace(definition.Id))
        {
            Error("$.id", "the model needs a non-empty id");
        }
        else
        {
            CheckIdentifier(definition.Id, "$.id", "the model id", errors);
        }

        if (definition.Version is null || !SemVer().IsMatch(definition.Version))
        {
            Error("$.version", $"expected a semantic version such as 1.2.0, found \"{definition.Version}\"");
        }

        var attributes = new Dictionary<string, AttributeKind>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < definition.Attributes.Length; i++)
        {
            var a = definition.Attributes[i];
            string path = $"$.attributes[{i}]";
            if (a is null || string.IsNullOrWhiteSpace(a.Name))
            {
                Error(path + ".name", "an attribute needs a non-empty name");
                continue;
            }

            if (!CheckIdentifier(a.Name, path + ".name", "an attribute name", errors))
            {
                continue;
            }

            if (!attributes.TryAdd(a.Name, a.Kind))
            {
                Error(path + ".name", $"duplicate attribute '{a.Name}'");
            }
        }

        var categories = new HashSet<string>(StringComparer.Ordinal) { CategoryDefinition.DefaultId };
        var declared = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < definition.Categories.Length; i++)
        {
            var c = definition.Categories[i];
            string path = $"$.categories[{i}]";
            if (c is null || string.IsNullOrWhiteSpace(c.Id))
            {
                Error(path + ".id", "a category needs a non-empty id");
                continue;
            }

            CheckIdentifier(c.Id, path + ".id", "a category id", errors);
            if (!declared.Add(c.Id))
            {
                Error(path + ".id", $"duplicate category '{c.Id}'");
            }

            categories.Add(c.Id);
            if (c.Cap is decimal cap)
            {
                CheckPoints(cap, path + ".cap", errors, positive: true);
            }
        }

        if (definition.Mql is null)
        {
            Error("$.thresholds.mql", "the model needs an MQL threshold");
        }
        else
        {
            CheckPoints(definition.Mql.Score, "$.thresholds.mql.score", errors, positive: false);
            CheckGrade(definition.Mql.MinGrade, "$.thresholds.mql.minGrade", errors);
            if (definition.Hot is not null)
            {
                CheckPoints(definition.Hot.Score, "$.thresholds.hot.score", errors, positive: false);
                CheckGrade(definition.Hot.MinGrade, "$.thresholds.hot.minGrade", errors);
                if (definition.Hot.Score < definition.Mql.Score || definition.Hot.MinGrade < definition.Mql.MinGrade)
                {
                    Error("$.thresholds.hot", "the hot band must be at or above the MQL threshold (score and grade)");
                }
            }
        }

        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int[] sectionIndex = new int[4];
        foreach (var rule in definition.Rules)
        {
            if (rule is null)
            {
                Error("$", "a rule is null");
                continue;
            }

            string path = RulePath(rule.Component, sectionIndex[(int)rule.Component & 3]++);
            if ((uint)rule.Component > (uint)ScoreComponent.Plugin)
            {
                Error(path, $"unknown component {(int)rule.Component}");
                continue;
            }

            if (string.IsNullOrWhiteSpace(rule.Id))
            {
                Error(path + ".id", "a rule needs a non-empty id");
            }
            else if (CheckIdentifier(rule.Id, path + ".id", "a rule id", errors) && !ids.TryAdd(rule.Id, path))
            {
                Error(path + ".id", $"duplicate rule id '{rule.Id}' (first at {ids[rule.Id]})");
            }

            if (rule.Category is null || (CheckIdentifier(rule.Category, path + ".category", "a category", errors) && !categories.Contains(rule.Category)))
            {
                Error(path + ".category", $"unknown category '{rule.Category}'; declare it under $.categories");
            }

            switch (rule)
            {
                case ProfileRuleDefinition p:
                    if (p.Component is not (ScoreComponent.Fit or ScoreComponent.Negative))
                    {
                        Error(path, "a profile rule belongs under 'fit' or 'negative'");
                    }

                    CheckPoints(p.Points, path + ".points", errors, positive: false);
                    if (p.Component == ScoreComponent.Negative && p.Points > 0)
                    {
                        Error(path + ".points", "a negative rule must give zero or fewer points");
                    }

                    if (p.GradeSteps is < -3 or > 3)
                    {
                        Error(path + ".grade", "a rule moves the grade by at most one letter (3 steps) either way");
                    }

                    if (p.When is null)
                    {
                        Error(path + ".when", "missing condition");
                    }
                    else
                    {
                        CheckCondition(p.When, path + ".when", attributes, errors);
                    }

                    break;
                case ActivityRuleDefinition a:
                    if (a.Component is not (ScoreComponent.Engagement or ScoreComponent.Negative))
                    {
                        Error(path, "an activity rule belongs under 'engagement' or 'negative'");
                    }

                    if (!Enum.IsDefined(a.Activity))
                    {
                        Error(path + ".activity", $"unknown activity type {(int)a.Activity}");
                    }

                    CheckPoints(a.Points, path + ".points", errors, positive: false);
                    if (a.Component == ScoreComponent.Negative && a.Points > 0)
                    {
                        Error(path + ".points", "a negative rule must give zero or fewer points");
                    }

                    if (a.WindowDays is int w && w is < 1 or > MaxDays)
                    {
                        Error(path + ".windowDays", string.Create(CultureInfo.InvariantCulture, $"the window must be from 1 to {MaxDays:N0} days, found {w}"));
                    }

                    if (a.Cap is decimal cap)
                    {
                        CheckPoints(cap, path + ".cap", errors, positive: true);
                    }

                    if (a.UrlContains is { Length: 0 })
                    {
                        Error(path + ".urlContains", "an empty text matches everything; remove it instead");
                    }

                    CheckDecay(a.Decay, path + ".decay", errors);
                    break;
                case InactivityRuleDefinition i:
                    CheckPoints(i.Points, path + ".points", errors, positive: false);
                    if (i.Points > 0)
                    {
                        Error(path + ".points", "a negative rule must give zero or fewer points");
                    }

                    if (i.InactiveDays is < 1 or > MaxDays)
                    {
                        Error(path + ".inactiveDays", string.Create(CultureInfo.InvariantCulture, $"must be from 1 to {MaxDays:N0} days, found {i.InactiveDays}"));
                    }

                    break;
                case PluginRuleDefinition pl:
                    if (string.IsNullOrWhiteSpace(pl.RuleName))
                    {
                        Error(path + ".rule", "a plugin rule needs the name of a registered IScoringRule");
                    }
                    else
                    {
                        CheckIdentifier(pl.RuleName, path + ".rule", "a plugin rule name", errors);
                    }

                    if (pl.Cap is decimal pcap)
                    {
                        CheckPoints(pcap, path + ".cap", errors, positive: true);
                    }

                    break;
            }
        }

        return errors;
    }

    internal static string RulePath(ScoreComponent component, int index) => component switch
    {
        ScoreComponent.Fit => $"$.fit[{index}]",
        ScoreComponent.Engagement => $"$.engagement[{index}]",
        ScoreComponent.Negative => $"$.negative[{index}]",
        _ => $"$.plugins[{index}]",
    };

    private static void CheckPoints(decimal value, string path, List<ModelError> errors, bool positive)
    {
        if (decimal.Round(value, 2) != value)
        {
            errors.Add(new(path, $"points have at most two decimals, found {value}"));
        }

        if (Math.Abs(value) > MaxPoints)
        {
            errors.Add(new(path, $"must be within ±{MaxPoints}, found {value}"));
        }

        if (positive && value <= 0)
        {
            errors.Add(new(path, $"must be greater than zero, found {value}"));
        }
    }

    // Resolves a condition's field: a field of the lead-field catalogue read from the lead, or attributes.<name> for an attribute
    // declared under $.attributes. False (with the error and, when there is an obvious fix, its suggestion added) otherwise.
    private static bool TryResolveField(string name, string path, Dictionary<string, AttributeKind> attributes, List<ModelError> errors, out AttributeKind kind)
    {
        if (ScoringFields.TryGet(name, out var builtIn))
        {
            kind = builtIn.Kind;
            return true;
        }

        kind = default;
        if (name.StartsWith(LeadFields.AttributePrefix, StringComparison.OrdinalIgnoreCase))
        {
            string attribute = name[LeadFields.AttributePrefix.Length..];
            if (attributes.TryGetValue(attribute, out kind))
            {
                return true;
            }

            errors.Add(new(path, $"unknown attribute '{attribute}'; declare it under $.attributes"));
            return false;
        }

        if (LeadFields.TryGet(name, out var computed))
        {
            errors.Add(new(path, $"'{computed.Name}' is computed after scoring ({computed.Description.TrimEnd('.')}); a scoring condition can read only the lead's own fields"));
            return false;
        }

        string? suggestion = attributes.ContainsKey(name)
            ? LeadFields.AttributePrefix + name
            : LeadFields.Suggest(name) is { Source: LeadFieldSource.Lead } field ? field.Name : null;
        errors.Add(new(path, $"unknown field '{name}'; name a lead field (company.*, person.*, lead.*; see the lead-field catalogue) or attributes.<name> for an attribute declared under $.attributes")
        {
            Suggestion = suggestion is null ? null : $"did you mean '{suggestion}'?",
        });
        return false;
    }

    // False (with the error added) when the identifier holds a control or bidirectional formatting character.
    private static bool CheckIdentifier(string name, string path, string what, List<ModelError> errors)
    {
        if (ScoringNames.DescribeRefusedCharacter(name, what) is { } problem)
        {
            errors.Add(new(path, problem));
            return false;
        }

        return true;
    }

    private static void CheckGrade(Grade grade, string path, List<ModelError> errors)
    {
        if (!Enum.IsDefined(grade))
        {
            errors.Add(new(path, $"unknown grade {(int)grade}"));
        }
    }

    private static void CheckDecay(DecayDefinition? decay, string path, List<ModelError> errors)
    {
        switch (decay)
        {
            case DecayDefinition.HalfLife h when !(h.Days > 0 && h.Days <= MaxDays):
                errors.Add(new(path + ".halfLifeDays", string.Create(CultureInfo.InvariantCulture, $"the half-life must be more than 0 and at most {MaxDays:N0} days, found {h.Days}")));
                break;
            case DecayDefinition.Stepped s:
                if (s.Steps.IsDefaultOrEmpty)
                {
                    errors.Add(new(path + ".steps", "an empty list; give at least one step"));
                    break;
                }

                if (s.Steps.Length > MaxDecaySteps)
                {
                    errors.Add(new(path + ".steps", string.Create(CultureInfo.InvariantCulture, $"a decay has from 1 to {MaxDecaySteps} steps, found {s.Steps.Length:N0}")));
                    break;
                }

                for (int i = 0; i < s.Steps.Length; i++)
                {
                    var step = s.Steps[i];
                    if (step.AfterDays is < 1 or > MaxDays)
                    {
                        errors.Add(new($"{path}.steps[{i}].afterDays", string.Create(CultureInfo.InvariantCulture, $"must be from 1 to {MaxDays:N0} days, found {step.AfterDays}")));
                    }

                    if (i > 0 && step.AfterDays <= s.Steps[i - 1].AfterDays)
                    {
                        errors.Add(new($"{path}.steps[{i}].afterDays", $"steps must be in increasing order of afterDays ({step.AfterDays} follows {s.Steps[i - 1].AfterDays})"));
                    }

                    if (!(step.Factor >= 0 && step.Factor <= 1))
                    {
                        errors.Add(new($"{path}.steps[{i}].factor", $"must be between 0 and 1, found {step.Factor}"));
                    }
                }

                break;
        }
    }

    private static void CheckCondition(Condition condition, string path, Dictionary<string, AttributeKind> attributes, List<ModelError> errors)
    {
        switch (condition)
        {
            case Condition.All all:
                CheckList(all.Conditions, path + ".all", attributes, errors);
                break;
            case Condition.Any any:
                CheckList(any.Conditions, path + ".any", attributes, errors);
                break;
            case Condition.Negated not:
                if (not.Inner is null)
                {
                    errors.Add(new(path + ".not", "missing condition"));
                }
                else
                {
                    CheckCondition(not.Inner, path + ".not", attributes, errors);
                }

                break;
            case FieldCondition f:
                CheckField(f, path, attributes, errors);
                break;
        }
    }

    private static void CheckList(System.Collections.Immutable.ImmutableArray<Condition> list, string path, Dictionary<string, AttributeKind> attributes, List<ModelError> errors)
    {
        if (list.IsDefaultOrEmpty)
        {
            errors.Add(new(path, "an empty list; give at least one condition"));
            return;
        }

        for (int i = 0; i < list.Length; i++)
        {
            CheckCondition(list[i], $"{path}[{i}]", attributes, errors);
        }
    }

    private static void CheckField(FieldCondition f, string path, Dictionary<string, AttributeKind> attributes, List<ModelError> errors)
    {
        string op = FieldCondition.OperatorText(f.Operator);
        string opPath = $"{path}.{op}";
        AttributeKind kind;
        if (string.IsNullOrWhiteSpace(f.Field))
        {
            errors.Add(new(path + ".field", "a condition needs a field"));
            return;
        }

        if (!CheckIdentifier(f.Field, path + ".field", "a field name", errors))
        {
            return;
        }

        if (!TryResolveField(f.Field, path + ".field", attributes, errors, out kind))
        {
            return;
        }

        var values = f.Values.IsDefault ? [] : f.Values;
        switch (f.Operator)
        {
            case ConditionOperator.IsMissing:
                return;
            case ConditionOperator.In or ConditionOperator.ContainsAny when values.IsEmpty:
                errors.Add(new(opPath, "an empty set never matches; give at least one value"));
                return;
            case ConditionOperator.Between:
                if (values.Length != 2)
                {
                    errors.Add(new(opPath, "expected [low, high]"));
                    return;
                }

                if (values[0].Number > values[1].Number)
                {
                    errors.Add(new(opPath, $"inverted range: low {values[0]} is above high {values[1]}"));
                }

                break;
        }

        bool textOp = f.Operator is ConditionOperator.Contains or ConditionOperator.ContainsAny or ConditionOperator.StartsWith;
        bool numberOp = f.Operator is ConditionOperator.Between or ConditionOperator.GreaterThan or ConditionOperator.GreaterThanOrEqual or ConditionOperator.LessThan or ConditionOperator.LessThanOrEqual;
        if (textOp && kind != AttributeKind.Text)
        {
            errors.Add(new(opPath, $"wrong type: '{op}' needs a text field, but '{f.Field}' is a {KindName(kind)}"));
            return;
        }

        if (numberOp && kind != AttributeKind.Number)
        {
            errors.Add(new(opPath, $"wrong type: '{op}' needs a number field, but '{f.Field}' is a {KindName(kind)}"));
            return;
        }

        if (values.IsEmpty && f.Operator != ConditionOperator.IsMissing)
        {
            errors.Add(new(opPath, "missing value"));
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            var v = values[i];
            string vPath = values.Length > 1 || f.Operator is ConditionOperator.In or ConditionOperator.ContainsAny ? $"{opPath}[{i}]" : opPath;
            AttributeKind valueKind = v.Text is not null ? AttributeKind.Text : v.Flag is not null ? AttributeKind.Boolean : AttributeKind.Number;
            if (valueKind != kind)
            {
                errors.Add(new(vPath, $"wrong type: '{f.Field}' is a {KindName(kind)}, but the value {v} is a {KindName(valueKind)}"));
            }
            else if (v.Text is { Length: 0 })
            {
                errors.Add(new(vPath, textOp ? "an empty text matches everything" : "an empty text; use isMissing for a missing value"));
            }
        }
    }

    private static string KindName(AttributeKind kind) => kind switch
    {
        AttributeKind.Text => "text",
        AttributeKind.Boolean => "true/false flag",
        _ => "number",
    };

    // [0-9], not \d (which matches every script's digits), and \z, not $ (which also matches before a final line feed).
    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\z")]
    private static partial Regex SemVer();
}
