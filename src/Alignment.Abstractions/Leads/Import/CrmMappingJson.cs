using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Activities;
using Alignment.Models;

namespace Alignment.Leads.Import;

/// <summary>
/// Reads and writes mapping files: JSON documents that say how to read an export no preset knows, or how one differs from a preset
/// (format in docs/data-formats.md). Every problem is reported with its JSON path, all at once.
/// </summary>
/// <example>
/// <code language="json">
/// { "extends": "salesforce", "columns": { "Headcount": "employeeCount", "Internal Notes": null },
///   "constants": { "source": "trade-show" }, "activityTypes": { "Webinar Attended": "webinarAttended" },
///   "outcomes": { "Closed - Converted": "won" }, "culture": "de-DE", "dateFormats": ["dd.MM.yyyy HH:mm"], "timeZone": "Europe/Berlin" }
/// </code>
/// </example>
/// <remarks>Stateless and thread-safe.</remarks>
public static class CrmMappingJson
{
    private static readonly string[] Properties = ["name", "extends", "columns", "constants", "activityTypes", "outcomes", "culture", "dateFormats", "timeZone", "$schema"];

    private static readonly string[] ActivityNames =
    [
        "emailSent", "emailOpened", "emailClicked", "webVisit", "pageView", "formSubmitted", "contentDownloaded", "webinarInvited",
        "webinarRegistered", "webinarAttended", "eventContact", "demoRequested", "unsubscribed", "bounced", "salesCall", "salesMeeting",
    ];

    /// <summary>The largest mapping file read, in characters (1 MiB).</summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>Our name of an activity type as files write it (<c>pageView</c>).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public static string ActivityName(ActivityType type) =>
        (uint)type < (uint)ActivityNames.Length ? ActivityNames[(int)type] : throw new ArgumentOutOfRangeException(nameof(type), type, "Not a defined activity type.");

    /// <summary>Reads our name of an activity type (case-insensitive).</summary>
    /// <param name="name">The name, such as <c>pageView</c>.</param>
    /// <param name="type">The type.</param>
    /// <returns><see langword="true"/> when the name is ours.</returns>
    public static bool TryParseActivityName(string? name, out ActivityType type)
    {
        int i = Array.FindIndex(ActivityNames, n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        type = (ActivityType)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>Our activity type names, in <see cref="ActivityType"/> order.</summary>
    public static IReadOnlyList<string> ActivityTypeNames => ActivityNames;

    /// <summary>Reads a mapping file; one that <c>extends</c> a preset is returned laid over it.</summary>
    /// <param name="json">The document.</param>
    /// <param name="document">What to call it in errors, such as its file name.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ModelException">The document is not valid Unicode, not well-formed JSON, too long, or has problems; every one with its JSON path.</exception>
    public static CrmMapping Parse(string json, string document)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(document);
        if (json.Length > MaxLength)
        {
            throw new ModelException(document, [new ModelError("$", string.Create(CultureInfo.InvariantCulture, $"the mapping file is longer than {MaxLength:N0} characters"))]);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ModelException(document, [ModelError.FromJsonException(e)]);
        }
        catch (ArgumentException)
        {
            // A string (not a file) may hold half a surrogate pair, which no JSON text can.
            throw new ModelException(document, [new ModelError("$", "the text is not valid Unicode: it holds half of a surrogate pair")]);
        }

        using (doc)
        {
            var errors = new List<ModelError>();
            CrmMapping mapping;
            try
            {
                mapping = Read(doc.RootElement, errors);
            }
            catch (InvalidOperationException)
            {
                // An escape of half a surrogate pair ("\ud800") is valid JSON, but System.Text.Json cannot read it as a string.
                throw new ModelException(document, [.. errors, new ModelError("$", "the file holds an escaped half of a surrogate pair (such as \\ud800), which is not text")]);
            }

            if (errors.Count > 0)
            {
                throw new ModelException(document, errors);
            }

            return mapping;
        }
    }

    /// <summary>Writes a mapping as a mapping file (indented JSON) that <see cref="Parse"/> reads back to the same mapping.</summary>
    /// <param name="mapping">The mapping.</param>
    /// <param name="extends">The preset it extends, written as <c>extends</c>; <see langword="null"/> for none.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mapping"/> is <see langword="null"/>.</exception>
    public static string Write(CrmMapping mapping, string? extends = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("name", mapping.Name);
            if (extends is not null)
            {
                w.WriteString("extends", extends);
            }

            w.WriteStartObject("columns");
            foreach (var (header, column) in mapping.Columns.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                if (column.Length == 0)
                {
                    w.WriteNull(header);
                }
                else
                {
                    w.WriteString(header, column);
                }
            }

            w.WriteEndObject();
            WriteMap(w, "constants", mapping.Constants);
            w.WriteStartObject("activityTypes");
            foreach (var (name, type) in mapping.ActivityTypes.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                w.WriteString(name, ActivityName(type));
            }

            w.WriteEndObject();
            WriteMap(w, "outcomes", mapping.Outcomes);
            if (mapping.Culture is not null)
            {
                w.WriteString("culture", mapping.Culture);
            }

            w.WriteStartArray("dateFormats");
            foreach (var format in mapping.DateFormats.IsDefault ? [] : mapping.DateFormats)
            {
                w.WriteStringValue(format);
            }

            w.WriteEndArray();
            if (mapping.TimeZone is not null)
            {
                w.WriteString("timeZone", mapping.TimeZone);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteMap(Utf8JsonWriter w, string name, ImmutableDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static CrmMapping Read(JsonElement root, List<ModelError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ModelError("$", "a mapping file is a JSON object (for example { \"columns\": { \"Lead ID\": \"id\" } })"));
            return new CrmMapping();
        }

        CrmMapping? preset = null;
        var mapping = new CrmMapping();
        foreach (var property in root.EnumerateObject())
        {
            string path = "$" + Member(property.Name);
            switch (property.Name)
            {
                case "$schema":
                    break;
                case "name":
                    if (String(property.Value, path, errors) is { } name)
                    {
                        mapping = mapping with { Name = name };
                    }

                    break;
                case "extends":
                    if (String(property.Value, path, errors) is { } extends)
                    {
                        if (!CrmPresets.TryGet(extends, out preset))
                        {
                            errors.Add(new ModelError(path, $"'{extends}' is not a preset") { Suggestion = Suggest(extends, CrmPresets.Names) ?? "one of " + string.Join(", ", CrmPresets.Names) });
                        }
                    }

                    break;
                case "columns":
                    mapping = mapping with { Columns = ReadColumns(property.Value, path, errors) };
                    break;
                case "constants":
                    mapping = mapping with { Constants = ReadConstants(property.Value, path, errors) };
                    break;
                case "activityTypes":
                    mapping = mapping with { ActivityTypes = ReadActivityTypes(property.Value, path, errors) };
                    break;
                case "outcomes":
                    mapping = mapping with { Outcomes = ReadOutcomes(property.Value, path, errors) };
                    break;
                case "culture":
                    if (String(property.Value, path, errors) is { } culture)
                    {
                        if (CrmValueReader.TryGetCulture(culture, out var found))
                        {
                            mapping = mapping with { Culture = found.Name };
                        }
                        else
                        {
                            errors.Add(new ModelError(path, $"'{culture}' is not a culture name this system knows") { Suggestion = "for example en-US, en-GB, de-DE or fr-FR" });
                        }
                    }

                    break;
                case "dateFormats":
                    mapping = mapping with { DateFormats = ReadFormats(property.Value, path, errors) };
                    break;
                case "timeZone":
                    if (String(property.Value, path, errors) is { } zone)
                    {
                        if (CrmValueReader.TryGetTimeZone(zone, out _))
                        {
                            mapping = mapping with { TimeZone = zone.Trim() };
                        }
                        else
                        {
                            errors.Add(new ModelError(path, $"'{zone}' is not a time zone this system knows") { Suggestion = "an IANA id such as UTC, Europe/Berlin or America/New_York" });
                        }
                    }

                    break;
                default:
                    errors.Add(new ModelError(path, $"'{property.Name}' is not a property of a mapping file") { Suggestion = Suggest(property.Name, Properties) ?? "one of " + string.Join(", ", Properties.SkipLast(1)) });
                    break;
            }
        }

        return preset is null ? mapping : preset.With(mapping);
    }

    private static ImmutableDictionary<string, string> ReadColumns(JsonElement element, string path, List<ModelError> errors)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!IsObject(element, path, errors, "their header → our column, such as { \"Lead ID\": \"id\" }"))
        {
            return map.ToImmutable();
        }

        foreach (var p in element.EnumerateObject())
        {
            string at = path + Member(p.Name);
            if (p.Name.Trim().Length == 0)
            {
                errors.Add(new ModelError(at, "a header name must not be empty"));
                continue;
            }

            if (p.Value.ValueKind == JsonValueKind.Null)
            {
                Add(map, p.Name.Trim(), string.Empty, at, errors);
                continue;
            }

            if (String(p.Value, at, errors) is not { } target)
            {
                continue;
            }

            if (!CrmColumns.TryNormalize(target, out var canonical))
            {
                errors.Add(new ModelError(at, $"'{target}' is not a column of ours (nor attributes.<name> for a custom attribute)")
                {
                    Suggestion = CrmColumns.Suggest(target) is { } s ? $"did you mean '{s}'?" : "one of " + string.Join(", ", CrmColumns.All),
                });
                continue;
            }

            Add(map, p.Name.Trim(), target.Trim().StartsWith(LeadFields.AttributePrefix, StringComparison.OrdinalIgnoreCase) ? LeadFields.AttributePrefix + canonical : canonical, at, errors);
        }

        return map.ToImmutable();
    }

    private static ImmutableDictionary<string, string> ReadConstants(JsonElement element, string path, List<ModelError> errors)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!IsObject(element, path, errors, "our column → a value, such as { \"source\": \"trade-show\" }"))
        {
            return map.ToImmutable();
        }

        foreach (var p in element.EnumerateObject())
        {
            string at = path + Member(p.Name);
            if (!CrmColumns.TryNormalize(p.Name, out var column))
            {
                errors.Add(new ModelError(at, $"'{p.Name}' is not a column of ours") { Suggestion = CrmColumns.Suggest(p.Name) is { } s ? $"did you mean '{s}'?" : null });
                continue;
            }

            if (column is CrmColumns.Id or CrmColumns.LeadId)
            {
                errors.Add(new ModelError(at, $"'{column}' identifies each record and cannot be a constant"));
                continue;
            }

            if (String(p.Value, at, errors) is { } value)
            {
                Add(map, column, value, at, errors);
            }
        }

        return map.ToImmutable();
    }

    private static ImmutableDictionary<string, ActivityType> ReadActivityTypes(JsonElement element, string path, List<ModelError> errors)
    {
        var map = ImmutableDictionary.CreateBuilder<string, ActivityType>(StringComparer.OrdinalIgnoreCase);
        if (!IsObject(element, path, errors, "their activity name → ours, such as { \"Email Opened\": \"emailOpened\" }"))
        {
            return map.ToImmutable();
        }

        foreach (var p in element.EnumerateObject())
        {
            string at = path + Member(p.Name);
            if (String(p.Value, at, errors) is not { } name)
            {
                continue;
            }

            if (!TryParseActivityName(name, out var type))
            {
                errors.Add(new ModelError(at, $"'{name}' is not an activity type") { Suggestion = Suggest(name, ActivityNames) ?? "one of " + string.Join(", ", ActivityNames) });
                continue;
            }

            if (!map.TryAdd(p.Name.Trim(), type))
            {
                errors.Add(new ModelError(at, $"'{p.Name}' appears twice (names compare without case)"));
            }
        }

        return map.ToImmutable();
    }

    private static ImmutableDictionary<string, string> ReadOutcomes(JsonElement element, string path, List<ModelError> errors)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!IsObject(element, path, errors, "their stage → won, lost, disqualified or open, such as { \"Closed Won\": \"won\" }"))
        {
            return map.ToImmutable();
        }

        foreach (var p in element.EnumerateObject())
        {
            string at = path + Member(p.Name);
            if (String(p.Value, at, errors) is not { } outcome)
            {
                continue;
            }

            string? known = CrmColumns.Outcomes.FirstOrDefault(o => string.Equals(o, outcome.Trim(), StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                errors.Add(new ModelError(at, $"'{outcome}' is not an outcome") { Suggestion = Suggest(outcome, CrmColumns.Outcomes) ?? "one of won, lost, disqualified, open" });
                continue;
            }

            Add(map, p.Name.Trim(), known, at, errors);
        }

        return map.ToImmutable();
    }

    private static ImmutableArray<string> ReadFormats(JsonElement element, string path, List<ModelError> errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new ModelError(path, "must be an array of .NET date formats, such as [\"dd.MM.yyyy HH:mm\"]"));
            return [];
        }

        var formats = ImmutableArray.CreateBuilder<string>();
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]");
            if (String(item, at, errors) is not { } format)
            {
                continue;
            }

            if (!CrmValueReader.IsValidDateFormat(format, out var problem))
            {
                errors.Add(new ModelError(at, problem!));
                continue;
            }

            formats.Add(format);
        }

        return formats.ToImmutable();
    }

    private static void Add(ImmutableDictionary<string, string>.Builder map, string key, string value, string at, List<ModelError> errors)
    {
        if (!map.TryAdd(key, value))
        {
            errors.Add(new ModelError(at, $"'{key}' appears twice (names compare without case)"));
        }
    }

    private static bool IsObject(JsonElement element, string path, List<ModelError> errors, string what)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add(new ModelError(path, $"must be an object: {what}"));
        return false;
    }

    private static string? String(JsonElement element, string path, List<ModelError> errors)
    {
        if (element.ValueKind == JsonValueKind.String && element.GetString() is { } text && text.Trim().Length > 0)
        {
            return text;
        }

        errors.Add(new ModelError(path, element.ValueKind == JsonValueKind.String ? "must not be empty" : "must be a string"));
        return null;
    }

    private static string? Suggest(string name, IEnumerable<string> names) =>
        CrmHeaderMatch.Closest(name, names) is { } s ? $"did you mean '{s}'?" : null;

    private static string Member(string name)
    {
        bool plain = name.Length > 0 && (char.IsLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$');
        return plain ? "." + name : "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }
}
