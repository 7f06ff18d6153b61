using System.Globalization;
using System.Text.Json;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <content>The canonical writer.</content>
internal static partial class ScoringModelJson
{
    private static class Writer
    {
        public static void WriteModel(Utf8JsonWriter w, ScoringModelDefinition d)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("version", d.Version);
            if (d.ChangeNote is not null)
            {
                w.WriteString("changeNote", d.ChangeNote);
            }

            w.WriteString("textComparison", d.TextComparison == TextComparison.Ordinal ? "ordinal" : "ignoreCase");
            w.WriteStartArray("attributes");
            foreach (var a in d.Attributes)
            {
                w.WriteStartObject();
                w.WriteString("name", a.Name);
                w.WriteString("type", a.Kind switch { AttributeKind.Text => "text", AttributeKind.Boolean => "boolean", _ => "number" });
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("categories");
            foreach (var c in d.Categories)
            {
                w.WriteStartObject();
                w.WriteString("id", c.Id);
                if (c.Cap is decimal cap)
                {
                    w.WriteNumber("cap", cap);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("thresholds");
            WriteThreshold(w, "mql", d.Mql);
            if (d.Hot is not null)
            {
                WriteThreshold(w, "hot", d.Hot);
            }

            w.WriteEndObject();
            WriteSection(w, "fit", d.Rules.Where(r => r.Component == ScoreComponent.Fit));
            WriteSection(w, "engagement", d.Rules.Where(r => r.Component == ScoreComponent.Engagement));
            WriteSection(w, "negative", d.Rules.Where(r => r.Component == ScoreComponent.Negative));
            WriteSection(w, "plugins", d.Rules.Where(r => r.Component == ScoreComponent.Plugin));
            w.WriteEndObject();
        }

        private static void WriteThreshold(Utf8JsonWriter w, string name, ThresholdDefinition t)
        {
            w.WriteStartObject(name);
            w.WriteNumber("score", t.Score);
            w.WriteString("minGrade", t.MinGrade.ToLetter());
            w.WriteEndObject();
        }

        private static void WriteSection(Utf8JsonWriter w, string name, IEnumerable<ScoringRuleDefinition> rules)
        {
            w.WriteStartArray(name);
            foreach (var r in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                if (r.Description is not null)
                {
                    w.WriteString("description", r.Description);
                }

                switch (r)
                {
                    case ProfileRuleDefinition p:
                        w.WriteNumber("points", p.Points);
                        if (p.GradeSteps != 0)
                        {
                            w.WriteString("grade", p.GradeSteps switch { 1 => "+1/3", 2 => "+2/3", 3 => "+1", -1 => "-1/3", -2 => "-2/3", -3 => "-1", _ => p.GradeSteps.ToString(CultureInfo.InvariantCulture) });
                        }

                        w.WritePropertyName("when");
                        WriteCondition(w, p.When);
                        break;
                    case ActivityRuleDefinition a:
                        w.WriteString("activity", ScoringNames.ActivityName(a.Activity));
                        if (a.UrlContains is not null)
                        {
                            w.WriteString("urlContains", a.UrlContains);
                        }

                        if (a.Campaign is not null)
                        {
                            w.WriteString("campaign", a.Campaign);
                        }

                        w.WriteNumber("points", a.Points);
                        if (a.WindowDays is int win)
                        {
                            w.WriteNumber("windowDays", win);
                        }

                        if (a.Cap is decimal cap)
                        {
                            w.WriteNumber("cap", cap);
                        }

                        if (a.Decay is not null)
                        {
                            w.WriteStartObject("decay");
                            if (a.Decay is DecayDefinition.HalfLife h)
                            {
                                w.WriteNumber("halfLifeDays", h.Days);
                            }
                            else if (a.Decay is DecayDefinition.Stepped s)
                            {
                                w.WriteStartArray("steps");
                                foreach (var step in s.Steps)
                                {
                                    w.WriteStartObject();
                                    w.WriteNumber("afterDays", step.AfterDays);
                                    w.WriteNumber("factor", step.Factor);
                                    w.WriteEndObject();
                                }

                                w.WriteEndArray();
                            }

                            w.WriteEndObject();
                        }

                        break;
                    case InactivityRuleDefinition i:
                        w.WriteNumber("inactiveDays", i.InactiveDays);
                        w.WriteNumber("points", i.Points);
                        break;
                    case PluginRuleDefinition pl:
                        w.WriteString("rule", pl.RuleName);
                        if (pl.Cap is decimal pcap)
                        {
                            w.WriteNumber("cap", pcap);
                        }

                        break;
                }

                if (r.Category != CategoryDefinition.DefaultId)
                {
                    w.WriteString("category", r.Category);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        private static void WriteCondition(Utf8JsonWriter w, Condition c)
        {
            w.WriteStartObject();
            switch (c)
            {
                case Condition.All all:
                    w.WriteStartArray("all");
                    foreach (var x in all.Conditions)
                    {
                        WriteCondition(w, x);
                    }

                    w.WriteEndArray();
                    break;
                case Condition.Any any:
                    w.WriteStartArray("any");
                    foreach (var x in any.Conditions)
                    {
                        WriteCondition(w, x);
                    }

                    w.WriteEndArray();
                    break;
                case Condition.Negated not:
                    w.WritePropertyName("not");
                    WriteCondition(w, not.Inner);
                    break;
                case FieldCondition f:
                    w.WriteString("field", f.Field);
                    string op = FieldCondition.OperatorText(f.Operator);
                    switch (f.Operator)
                    {
                        case ConditionOperator.IsMissing:
                            w.WriteBoolean(op, true);
                            break;
                        case ConditionOperator.In or ConditionOperator.ContainsAny or ConditionOperator.Between:
                            w.WriteStartArray(op);
                            foreach (var v in f.Values)
                            {
                                WriteValue(w, v);
                            }

                            w.WriteEndArray();
                            break;
                        default:
                            w.WritePropertyName(op);
                            WriteValue(w, f.Values[0]);
                            break;
                    }

                    break;
            }

            w.WriteEndObject();
        }

        private static void WriteValue(Utf8JsonWriter w, ConditionValue v)
        {
            if (v.Text is not null)
            {
                w.WriteStringValue(v.Text);
            }
            else if (v.Flag is bool b)
            {
                w.WriteBooleanValue(b);
            }
            else
            {
                w.WriteNumberValue(v.Number);
            }
        }
    }
}
