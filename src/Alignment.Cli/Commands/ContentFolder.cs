using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Handoff;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;

namespace Alignment.Cli.Commands;

/// <summary>
/// A content folder for <c>alignment content</c>: one file, <c>content.json</c>, holding a tenant's collateral items (with their
/// history), the reps' usages, the deals' outcomes and the reps' suggestions, as a <see cref="ContentSnapshot"/>. Read with every
/// problem named by its JSON path; written whole to a temporary file in the folder and then renamed over the old one, so a reader
/// sees the old or the new content and never half of it.
/// </summary>
internal static class ContentFolder
{
    /// <summary>The file's name in the folder.</summary>
    public const string FileName = "content.json";

    /// <summary>The largest file read.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Reads the folder's content; an empty snapshot when the folder has no <c>content.json</c> yet.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The content.</returns>
    /// <exception cref="CliInputException">The folder does not exist, or the file is too large, not JSON, or not valid content (its JSON path named).</exception>
    public static ContentSnapshot Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CliInputException(folder, null, "--folder", "the folder does not exist");
        }

        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return ContentSnapshot.Empty;
        }

        if (new FileInfo(path).Length > MaxBytes)
        {
            throw new CliInputException(path, null, null, $"the file is larger than {MaxBytes / (1024 * 1024)} MB");
        }

        JsonDocument document;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            CheckUtf8(path, bytes);
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new CliInputException(path, e.LineNumber is { } l ? (int)l + 1 : null, null, $"not JSON: {e.Message}");
        }
        catch (IOException e)
        {
            throw new CliInputException(path, null, null, $"cannot be read: {e.Message}");
        }

        using (document)
        {
            return new Reader(path).Snapshot(document.RootElement);
        }
    }

    /// <summary>
    /// Refuses a file that is not UTF-8, naming the line of the first bad byte: the JSON reader would accept such bytes inside a
    /// string and fail only when the string is read.
    /// </summary>
    private static void CheckUtf8(string path, byte[] bytes)
    {
        var chars = new char[bytes.Length];
        if (System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out int read, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.InvalidData)
        {
            int line = 1 + bytes.AsSpan(0, read).Count((byte)'\n');
            throw new CliInputException(path, line, null, $"not UTF-8 text: byte 0x{bytes[read]:X2} at offset {read} is not part of a UTF-8 character; save the file as UTF-8");
        }
    }

    /// <summary>Writes the content to the folder: a temporary file, flushed, then renamed over <c>content.json</c>.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="snapshot">The content.</param>
    public static void Write(string folder, ContentSnapshot snapshot)
    {
        string path = Path.Combine(folder, FileName);
        string temporary = Path.Combine(folder, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    WriteSnapshot(w, snapshot);
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The name of a status in the file and the output: <c>pending</c>, <c>approved</c>, <c>sent-back</c>, <c>retired</c>.</summary>
    public static string Name(CollateralStatus status) => status switch
    {
        CollateralStatus.PendingApproval => "pending",
        CollateralStatus.Approved => "approved",
        CollateralStatus.Rejected => "sent-back",
        CollateralStatus.Retired => "retired",
        _ => ((int)status).ToString(CultureInfo.InvariantCulture),
    };

    private static string Name(CollateralEventKind kind) => kind switch
    {
        CollateralEventKind.Created => "created",
        CollateralEventKind.Revised => "revised",
        CollateralEventKind.Approved => "approved",
        CollateralEventKind.SentBack => "sent-back",
        CollateralEventKind.Reviewed => "reviewed",
        CollateralEventKind.Retired => "retired",
        CollateralEventKind.Expired => "expired",
        _ => ((int)kind).ToString(CultureInfo.InvariantCulture),
    };

    private static string Name(DealOutcome outcome) => outcome switch
    {
        DealOutcome.Won => "won",
        DealOutcome.Lost => "lost",
        _ => "open",
    };

    private static string Name(ContentSuggestionStatus status) => status switch
    {
        ContentSuggestionStatus.Drafted => "drafted",
        ContentSuggestionStatus.Declined => "declined",
        _ => "open",
    };

    private static void WriteSnapshot(Utf8JsonWriter w, ContentSnapshot snapshot)
    {
        w.WriteStartObject();
        w.WriteStartArray("items");
        foreach (var item in snapshot.Items)
        {
            w.WriteStartObject();
            w.WriteString("id", item.Id);
            w.WriteString("title", item.Title);
            w.WriteString("owner", item.Owner);
            Optional(w, "kind", item.Kind);
            Optional(w, "location", item.Location?.OriginalString);
            w.WriteStartArray("segments");
            foreach (var segment in item.Segments)
            {
                w.WriteStringValue(segment.Value);
            }

            w.WriteEndArray();
            w.WriteNumber("revision", item.Revision);
            w.WriteString("createdAt", item.CreatedAt);
            w.WriteString("lastReviewedAt", item.LastReviewedAt);
            w.WriteString("expiresAt", item.ExpiresAt);
            w.WriteString("status", Name(item.Status));
            Optional(w, "reviewedBy", item.ReviewedBy);
            if (item.ApprovedAt is { } approved)
            {
                w.WriteString("approvedAt", approved);
            }

            Optional(w, "rejectionReason", item.RejectionReason);
            w.WriteStartArray("history");
            foreach (var h in item.History)
            {
                w.WriteStartObject();
                w.WriteString("kind", Name(h.Kind));
                w.WriteNumber("revision", h.Revision);
                w.WriteString("at", h.At);
                Optional(w, "by", h.By);
                Optional(w, "reason", h.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("usages");
        foreach (var u in snapshot.Usages)
        {
            w.WriteStartObject();
            w.WriteString("item", u.ItemId);
            w.WriteString("rep", u.Rep.Value);
            w.WriteString("deal", u.DealId);
            if (u.Helpful is { } helpful)
            {
                w.WriteBoolean("helpful", helpful);
            }

            if (u.Rating is { } rating)
            {
                w.WriteNumber("rating", rating);
            }

            w.WriteString("outcome", Name(u.Outcome));
            if (u.UsedAt is { } at)
            {
                w.WriteString("usedAt", at);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("deals");
        foreach (var (deal, outcome) in snapshot.Deals)
        {
            w.WriteString(deal, Name(outcome));
        }

        w.WriteEndObject();
        w.WriteStartArray("suggestions");
        foreach (var s in snapshot.Suggestions)
        {
            w.WriteStartObject();
            w.WriteString("id", s.Id);
            w.WriteString("rep", s.Rep.Value);
            w.WriteString("text", s.Text);
            w.WriteString("suggestedAt", s.SuggestedAt);
            Optional(w, "deal", s.DealId);
            Optional(w, "segment", s.Segment?.Value);
            Optional(w, "item", s.ItemId);
            w.WriteString("status", Name(s.Status));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>Reads a snapshot, naming the JSON path of the first problem.</summary>
    private sealed class Reader(string file)
    {
        public ContentSnapshot Snapshot(JsonElement root)
        {
            Expect(root, JsonValueKind.Object, "$");
            CheckText(root, "$");
            var items = ImmutableArray.CreateBuilder<CollateralItem>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (e, path) in Array(root, "items", "$"))
            {
                var item = Item(e, path);
                if (!ids.Add(item.Id))
                {
                    throw Bad($"{path}.id", $"item '{item.Id}' appears twice");
                }

                Check(() => ContentStoreRules.Validate(item, "item"), path);
                items.Add(item);
            }

            var usages = ImmutableArray.CreateBuilder<CollateralUsage>();
            foreach (var (e, path) in Array(root, "usages", "$"))
            {
                Expect(e, JsonValueKind.Object, path);
                var usage = new CollateralUsage(Text(e, "item", path), new RepId(Text(e, "rep", path)), Text(e, "deal", path))
                {
                    Helpful = e.TryGetProperty("helpful", out var h) && h.ValueKind != JsonValueKind.Null
                        ? h.ValueKind is JsonValueKind.True or JsonValueKind.False ? h.GetBoolean() : throw Bad($"{path}.helpful", "must be true or false")
                        : null,
                    Rating = e.TryGetProperty("rating", out var r) && r.ValueKind != JsonValueKind.Null
                        ? r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int rating) ? rating : throw Bad($"{path}.rating", "must be a whole number")
                        : null,
                    Outcome = Outcome(e, "outcome", path),
                    UsedAt = OptionalInstant(e, "usedAt", path),
                };
                Check(() => ContentStoreRules.Validate(usage, "usage"), path);
                usages.Add(usage);
            }

            var deals = ImmutableArray.CreateBuilder<KeyValuePair<string, DealOutcome>>();
            if (root.TryGetProperty("deals", out var dealsElement))
            {
                Expect(dealsElement, JsonValueKind.Object, "$.deals");
                foreach (var deal in dealsElement.EnumerateObject())
                {
                    deals.Add(new(deal.Name, ParseOutcome(deal.Value, $"$.deals['{deal.Name}']")));
                }
            }

            var suggestions = ImmutableArray.CreateBuilder<ContentSuggestion>();
            var suggestionIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (e, path) in Array(root, "suggestions", "$"))
            {
                Expect(e, JsonValueKind.Object, path);
                var suggestion = new ContentSuggestion(Text(e, "id", path), new RepId(Text(e, "rep", path)), Text(e, "text", path), Instant(e, "suggestedAt", path))
                {
                    DealId = OptionalText(e, "deal", path),
                    Segment = OptionalText(e, "segment", path) is { } segment ? new SegmentId(segment) : null,
                    ItemId = OptionalText(e, "item", path),
                    Status = OptionalText(e, "status", path) switch
                    {
                        null or "open" => ContentSuggestionStatus.Open,
                        "drafted" => ContentSuggestionStatus.Drafted,
                        "declined" => ContentSuggestionStatus.Declined,
                        var other => throw Bad($"{path}.status", $"'{other}' is not a suggestion status (open, drafted, declined)"),
                    },
                };
                if (!suggestionIds.Add(suggestion.Id))
                {
                    throw Bad($"{path}.id", $"suggestion '{suggestion.Id}' appears twice");
                }

                Check(() => ContentStoreRules.Validate(suggestion, "suggestion"), path);
                suggestions.Add(suggestion);
            }

            return new ContentSnapshot(items.ToImmutable(), usages.ToImmutable(), deals.ToImmutable(), suggestions.ToImmutable());
        }

        private CollateralItem Item(JsonElement e, string path)
        {
            Expect(e, JsonValueKind.Object, path);
            var segments = ImmutableArray.CreateBuilder<SegmentId>();
            foreach (var (s, sp) in Array(e, "segments", path, required: true))
            {
                segments.Add(s.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(s.GetString()) ? new SegmentId(s.GetString()!) : throw Bad(sp, "must be a segment id"));
            }

            var history = ImmutableArray.CreateBuilder<CollateralHistoryEntry>();
            foreach (var (h, hp) in Array(e, "history", path))
            {
                Expect(h, JsonValueKind.Object, hp);
                var kind = Text(h, "kind", hp) switch
                {
                    "created" => CollateralEventKind.Created,
                    "revised" => CollateralEventKind.Revised,
                    "approved" => CollateralEventKind.Approved,
                    "sent-back" => CollateralEventKind.SentBack,
                    "reviewed" => CollateralEventKind.Reviewed,
                    "retired" => CollateralEventKind.Retired,
                    "expired" => CollateralEventKind.Expired,
                    var other => throw Bad($"{hp}.kind", $"'{other}' is not a history kind (created, revised, approved, sent-back, reviewed, retired, expired)"),
                };
                history.Add(new CollateralHistoryEntry(kind, Int(h, "revision", hp), Instant(h, "at", hp), OptionalText(h, "by", hp), OptionalText(h, "reason", hp)));
            }

            string? location = OptionalText(e, "location", path);
            return new CollateralItem
            {
                Id = Text(e, "id", path),
                Title = Text(e, "title", path),
                Owner = Text(e, "owner", path),
                Kind = OptionalText(e, "kind", path),
                Location = location is null ? null : Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out var uri) ? uri : throw Bad($"{path}.location", $"'{location}' is not a URI"),
                Segments = segments.ToImmutable(),
                Revision = Int(e, "revision", path),
                CreatedAt = Instant(e, "createdAt", path),
                LastReviewedAt = Instant(e, "lastReviewedAt", path),
                ExpiresAt = Instant(e, "expiresAt", path),
                Status = Text(e, "status", path) switch
                {
                    "pending" => CollateralStatus.PendingApproval,
                    "approved" => CollateralStatus.Approved,
                    "sent-back" => CollateralStatus.Rejected,
                    "retired" => CollateralStatus.Retired,
                    var other => throw Bad($"{path}.status", $"'{other}' is not a status (pending, approved, sent-back, retired)"),
                },
                ReviewedBy = OptionalText(e, "reviewedBy", path),
                ApprovedAt = OptionalInstant(e, "approvedAt", path),
                RejectionReason = OptionalText(e, "rejectionReason", path),
                History = history.ToImmutable(),
            };
        }

        /// <summary>
        /// Refuses a string or property name that cannot be read as text (an escaped UTF-16 surrogate without its pair, such as
        /// <c>"\ud800"</c>), naming its JSON path: the JSON reader accepts it and fails only when the string is read.
        /// </summary>
        private void CheckText(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    try
                    {
                        _ = e.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        throw Bad(path, "is not valid text: it holds an escaped UTF-16 surrogate (\\uD800-\\uDFFF) without its pair");
                    }

                    break;
                case JsonValueKind.Array:
                    int i = 0;
                    foreach (var item in e.EnumerateArray())
                    {
                        CheckText(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"));
                    }

                    break;
                case JsonValueKind.Object:
                    int n = 0;
                    foreach (var property in e.EnumerateObject())
                    {
                        string name;
                        try
                        {
                            name = property.Name;
                        }
                        catch (InvalidOperationException)
                        {
                            throw Bad(string.Create(CultureInfo.InvariantCulture, $"{path} (property {n})"), "the name is not valid text: it holds an escaped UTF-16 surrogate (\\uD800-\\uDFFF) without its pair");
                        }

                        CheckText(property.Value, name.Length > 0 && name.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"{path}.{name}" : $"{path}['{name}']");
                        n++;
                    }

                    break;
            }
        }

        private List<(JsonElement Element, string Path)> Array(JsonElement parent, string name, string path, bool required = false)
        {
            if (!parent.TryGetProperty(name, out var array))
            {
                return required ? throw Bad($"{path}.{name}", "is required") : [];
            }

            Expect(array, JsonValueKind.Array, $"{path}.{name}");
            return array.EnumerateArray().Select((e, i) => (e, string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{i}]"))).ToList();
        }

        private string Text(JsonElement e, string name, string path) =>
            OptionalText(e, name, path) ?? throw Bad($"{path}.{name}", "is required");

        private string? OptionalText(JsonElement e, string name, string path)
        {
            if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
                ? value.GetString()
                : throw Bad($"{path}.{name}", "must be a non-empty string");
        }

        private int Int(JsonElement e, string name, string path) =>
            e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n >= 1
                ? n
                : throw Bad($"{path}.{name}", "must be a whole number of at least 1");

        private DateTimeOffset Instant(JsonElement e, string name, string path) =>
            OptionalInstant(e, name, path) ?? throw Bad($"{path}.{name}", "is required");

        private DateTimeOffset? OptionalInstant(JsonElement e, string name, string path)
        {
            string? text = OptionalText(e, name, path);
            if (text is null)
            {
                return null;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw Bad($"{path}.{name}", $"'{text}' is not an ISO 8601 instant");
        }

        private DealOutcome Outcome(JsonElement e, string name, string path) =>
            e.TryGetProperty(name, out var value) ? ParseOutcome(value, $"{path}.{name}") : DealOutcome.Open;

        private DealOutcome ParseOutcome(JsonElement value, string path) => value.ValueKind == JsonValueKind.String ? value.GetString() switch
        {
            "open" => DealOutcome.Open,
            "won" => DealOutcome.Won,
            "lost" => DealOutcome.Lost,
            var other => throw Bad(path, $"'{other}' is not an outcome (open, won, lost)"),
        } : throw Bad(path, "must be open, won or lost");

        private void Expect(JsonElement e, JsonValueKind kind, string path)
        {
            if (e.ValueKind != kind)
            {
                throw Bad(path, $"must be {(kind == JsonValueKind.Object ? "an object" : "an array")}");
            }
        }

        private void Check(Action validate, string path)
        {
            try
            {
                validate();
            }
            catch (ArgumentException e)
            {
                throw Bad(path, StripParameter(e.Message));
            }
        }

        private CliInputException Bad(string path, string problem) => new(file, null, path, problem);

        private static string StripParameter(string message)
        {
            int at = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
            return at < 0 ? message : message[..at];
        }
    }
}
