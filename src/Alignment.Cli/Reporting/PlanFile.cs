using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;

namespace Alignment.Cli.Reporting;

/// <summary>
/// What the two teams agreed for a report (<c>--plan P.json</c>, format in <c>docs/data-formats.md</c>): revenue targets, the
/// service-level agreement of both sides, and the budget rule with next period's budget. Every part is optional.
/// </summary>
/// <param name="Targets">The revenue targets.</param>
/// <param name="Agreement">The service-level agreement.</param>
/// <param name="Budget">Next period's budget to split; <see langword="null"/> for the last month's spend.</param>
/// <param name="Rule">The budget rule.</param>
internal sealed record PlanFile(ImmutableArray<RevenueTarget> Targets, ServiceLevelAgreement Agreement, decimal? Budget, BudgetRule Rule)
{
    /// <summary>No targets, the default agreement (no marketing commitment) and the default rule.</summary>
    public static PlanFile Default { get; } = new([], new ServiceLevelAgreement(), null, new BudgetRule());

    /// <summary>Reads a plan file.</summary>
    /// <param name="json">The text.</param>
    /// <param name="file">The file name, for errors.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="CliInputException">The text is not JSON or a value is not valid; the message names the JSON path.</exception>
    public static PlanFile Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new CliInputException(file, (int?)(e.LineNumber + 1), e.Path ?? "$", "is not valid JSON: " + e.Message.Split(" Path:")[0]);
        }

        try
        {
            using (document)
            {
                var root = document.RootElement;
                Expect(root, JsonValueKind.Object, file, "$");
                Only(root, file, "$", "targets", "sla", "budget");
                var targets = ImmutableArray.CreateBuilder<RevenueTarget>();
                if (root.TryGetProperty("targets", out var list))
                {
                    Expect(list, JsonValueKind.Array, file, "$.targets");
                    var i = 0;
                    foreach (var t in list.EnumerateArray())
                    {
                        var path = $"$.targets[{i++}]";
                        Expect(t, JsonValueKind.Object, file, path);
                        Only(t, file, path, "month", "revenue", "segment", "team");
                        var monthText = Text(t, "month", file, path) ?? throw Bad(file, path + ".month", "is required (2026-03)");
                        if (!DateOnly.TryParseExact(monthText, ["yyyy-MM", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
                        {
                            throw Bad(file, path + ".month", $"'{monthText}' is not a month (2026-03)");
                        }

                        var revenue = Number(t, "revenue", file, path) ?? throw Bad(file, path + ".revenue", "is required");
                        targets.Add(new RevenueTarget(month, revenue) { Segment = Text(t, "segment", file, path), Team = Text(t, "team", file, path) });
                    }
                }

                var agreement = new ServiceLevelAgreement();
                if (root.TryGetProperty("sla", out var sla))
                {
                    agreement = ReadAgreement(sla, file);
                }

                decimal? budget = null;
                var rule = new BudgetRule();
                if (root.TryGetProperty("budget", out var b))
                {
                    Expect(b, JsonValueKind.Object, file, "$.budget");
                    Only(b, file, "$.budget", "amount", "model", "floor", "cap", "floors", "caps");
                    budget = Number(b, "amount", file, "$.budget");
                    var model = Text(b, "model", file, "$.budget") switch
                    {
                        null or "linear" => AttributionModel.Linear,
                        "firstTouch" => AttributionModel.FirstTouch,
                        "lastTouch" => AttributionModel.LastTouch,
                        var other => throw Bad(file, "$.budget.model", $"'{other}' is not a model; use linear, firstTouch or lastTouch"),
                    };
                    rule = new BudgetRule
                    {
                        Model = model,
                        DefaultFloor = Share(b, "floor", file, "$.budget") ?? rule.DefaultFloor,
                        DefaultCap = Share(b, "cap", file, "$.budget") ?? rule.DefaultCap,
                        Floors = Shares(b, "floors", file),
                        Caps = Shares(b, "caps", file),
                    };
                }

                return new PlanFile(targets.ToImmutable(), agreement, budget, rule);
            }
        }
        catch (InvalidOperationException e)
        {
            // A name or string with an escaped lone surrogate ("\ud800") parses but cannot be read as text.
            throw new CliInputException(file, null, "$", "has a name or string that is not valid text: " + e.Message);
        }
    }

    /// <summary>Writes the plan as the file format <see cref="Parse"/> reads.</summary>
    /// <returns>Indented JSON, ending with a newline.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("targets");
            foreach (var t in Targets)
            {
                w.WriteStartObject();
                w.WriteString("month", t.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
                w.WriteNumber("revenue", t.Revenue);
                if (t.Segment is not null)
                {
                    w.WriteString("segment", t.Segment);
                }

                if (t.Team is not null)
                {
                    w.WriteString("team", t.Team);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("sla");
            w.WriteString("period", Agreement.Period == MetricsPeriod.Quarter ? "quarter" : "month");
            w.WriteStartArray("marketingCommitments");
            foreach (var c in Agreement.MarketingCommitments)
            {
                w.WriteStartObject();
                w.WriteNumber("mqls", c.Mqls);
                if (c.Segment is not null)
                {
                    w.WriteString("segment", c.Segment);
                }

                if (c.Team is not null)
                {
                    w.WriteString("team", c.Team);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("firstTouchHours", Agreement.FirstTouchWithin.TotalHours);
            w.WriteNumber("firstTouchShare", Agreement.FirstTouchShare);
            w.WriteNumber("dispositionDays", Agreement.DispositionWithin.TotalDays);
            w.WriteNumber("dispositionShare", Agreement.DispositionShare);
            w.WriteEndObject();
            w.WriteStartObject("budget");
            if (Budget is { } amount)
            {
                w.WriteNumber("amount", amount);
            }

            w.WriteString("model", Rule.Model switch { AttributionModel.FirstTouch => "firstTouch", AttributionModel.LastTouch => "lastTouch", _ => "linear" });
            w.WriteNumber("floor", Rule.DefaultFloor);
            w.WriteNumber("cap", Rule.DefaultCap);
            foreach (var (name, shares) in new[] { ("floors", Rule.Floors), ("caps", Rule.Caps) })
            {
                w.WriteStartObject(name);
                foreach (var (channel, share) in shares.OrderBy(static s => s.Key, StringComparer.Ordinal))
                {
                    w.WriteNumber(channel, share);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static ServiceLevelAgreement ReadAgreement(JsonElement sla, string file)
    {
        Expect(sla, JsonValueKind.Object, file, "$.sla");
        Only(sla, file, "$.sla", "period", "marketingCommitments", "firstTouchHours", "firstTouchShare", "dispositionDays", "dispositionShare");
        var defaults = new ServiceLevelAgreement();
        var period = Text(sla, "period", file, "$.sla") switch
        {
            null or "month" => MetricsPeriod.Month,
            "quarter" => MetricsPeriod.Quarter,
            var other => throw Bad(file, "$.sla.period", $"'{other}' is not a period; use month or quarter"),
        };
        var commitments = ImmutableArray.CreateBuilder<MqlCommitment>();
        if (sla.TryGetProperty("marketingCommitments", out var list))
        {
            Expect(list, JsonValueKind.Array, file, "$.sla.marketingCommitments");
            var i = 0;
            foreach (var c in list.EnumerateArray())
            {
                var path = $"$.sla.marketingCommitments[{i++}]";
                Expect(c, JsonValueKind.Object, file, path);
                Only(c, file, path, "mqls", "segment", "team");
                var mqls = Number(c, "mqls", file, path) ?? throw Bad(file, path + ".mqls", "is required");
                if (mqls != decimal.Truncate(mqls) || mqls > 10_000_000)
                {
                    throw Bad(file, path + ".mqls", "must be a whole number of at most 10,000,000");
                }

                commitments.Add(new MqlCommitment((int)mqls) { Segment = Text(c, "segment", file, path), Team = Text(c, "team", file, path) });
            }
        }

        var hours = Number(sla, "firstTouchHours", file, "$.sla");
        var days = Number(sla, "dispositionDays", file, "$.sla");
        if (hours is <= 0 or > 10_000)
        {
            throw Bad(file, "$.sla.firstTouchHours", "must be above 0 and at most 10,000");
        }

        if (days is <= 0 or > 1_000)
        {
            throw Bad(file, "$.sla.dispositionDays", "must be above 0 and at most 1,000");
        }

        return new ServiceLevelAgreement
        {
            Period = period,
            MarketingCommitments = commitments.ToImmutable(),
            FirstTouchWithin = hours is { } h ? TimeSpan.FromHours((double)h) : defaults.FirstTouchWithin,
            FirstTouchShare = Share(sla, "firstTouchShare", file, "$.sla") ?? defaults.FirstTouchShare,
            DispositionWithin = days is { } d ? TimeSpan.FromDays((double)d) : defaults.DispositionWithin,
            DispositionShare = Share(sla, "dispositionShare", file, "$.sla") ?? defaults.DispositionShare,
        };
    }

    private static ImmutableDictionary<string, double> Shares(JsonElement parent, string name, string file)
    {
        var result = ImmutableDictionary<string, double>.Empty.WithComparers(StringComparer.Ordinal);
        if (!parent.TryGetProperty(name, out var shares))
        {
            return result;
        }

        Expect(shares, JsonValueKind.Object, file, $"$.budget.{name}");
        foreach (var p in shares.EnumerateObject())
        {
            result = result.SetItem(p.Name, Share(shares, p.Name, file, $"$.budget.{name}") ?? 0);
        }

        return result;
    }

    private static double? Share(JsonElement parent, string name, string file, string path)
    {
        var value = Number(parent, name, file, path);
        return value switch
        {
            null => null,
            >= 0 and <= 1 => (double)value.Value,
            _ => throw Bad(file, $"{path}.{name}", $"must be a share between 0 and 1 (was {value})"),
        };
    }

    private static decimal? Number(JsonElement parent, string name, string file, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number) || number < 0 || number > 1_000_000_000_000m)
        {
            throw Bad(file, $"{path}.{name}", $"must be a number from 0 to 1e12 (was {value.GetRawText()})");
        }

        return number == 0m ? 0m : number; // -0 is 0
    }

    private static string? Text(JsonElement parent, string name, string file, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Bad(file, $"{path}.{name}", "must be a non-empty string");
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string file, string path)
    {
        if (element.ValueKind != kind)
        {
            throw Bad(file, path, $"must be {(kind == JsonValueKind.Array ? "an array" : "an object")} (was {element.ValueKind.ToString().ToLowerInvariant()})");
        }
    }

    private static void Only(JsonElement element, string file, string path, params string[] names)
    {
        foreach (var p in element.EnumerateObject())
        {
            if (!names.Contains(p.Name, StringComparer.Ordinal))
            {
                throw Bad(file, $"{path}.{p.Name}", $"is not a property here; use {string.Join(", ", names)}");
            }
        }
    }

    private static CliInputException Bad(string file, string path, string problem) => new(file, null, path, problem);
}
