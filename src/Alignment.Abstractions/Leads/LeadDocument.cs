using System.Text;
using System.Text.Unicode;

namespace Alignment.Leads;

/// <summary>
/// A lead as a host received it from the CRM: its document in the host's own wire format (JSON, opaque to the store), with a
/// version for optimistic concurrency. The HTTP integration (Alignment.AspNetCore) keeps each ingested lead, its activities
/// and the last decision this way, so a lead can be read back and re-scored when new activity arrives.
/// </summary>
/// <remarks>
/// A document is made from JSON text or from UTF-8 bytes, whichever the host has; the other form is made on first use and
/// kept. A host that writes its JSON with <c>Utf8JsonWriter</c> or <c>JsonSerializer.SerializeToUtf8Bytes</c> gives the
/// bytes (<see cref="IsUtf8"/>), and a store that keeps UTF-8 (<see cref="InMemoryLeadDocumentStore"/>) keeps a copy of them,
/// with no text made at all (a store with a text column, such as PostgreSQL's, makes the text once). Two documents are equal
/// when their lead, version, time and JSON text are. A document is immutable and safe to share between threads: the form made
/// on first use may be made twice by two threads at once, equal either way.
/// </remarks>
public sealed record LeadDocument
{
    private readonly string? _json;
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly bool _fromUtf8;

    // The other form, made on first use from the given one: one reference write, so a reader sees null or a whole value; two
    // threads reading at once may each make an equal one.
    private string? _decoded;
    private byte[]? _encoded;

    /// <summary>Makes a document from its JSON text.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="version">The number of saves so far (1 for the first); <see cref="ILeadDocumentStore.SaveAsync"/> checks it.</param>
    /// <param name="json">The document, as JSON text.</param>
    /// <param name="updatedAt">When it was last saved.</param>
    public LeadDocument(LeadId leadId, long version, string json, DateTimeOffset updatedAt)
    {
        LeadId = leadId;
        Version = version;
        _json = json;
        UpdatedAt = updatedAt;
    }

    /// <summary>Makes a document from its JSON as UTF-8 bytes, which it keeps without a copy: do not change them afterwards.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="version">The number of saves so far (1 for the first); <see cref="ILeadDocumentStore.SaveAsync"/> checks it.</param>
    /// <param name="utf8Json">The document, as UTF-8 JSON (no byte order mark).</param>
    /// <param name="updatedAt">When it was last saved.</param>
    /// <exception cref="ArgumentException"><paramref name="utf8Json"/> is not valid UTF-8.</exception>
    public LeadDocument(LeadId leadId, long version, ReadOnlyMemory<byte> utf8Json, DateTimeOffset updatedAt)
        : this(leadId, version, utf8Json, updatedAt, validated: false)
    {
    }

    /// <summary>A document from UTF-8 bytes; <paramref name="validated"/>: a store's own copy, checked when the store made it.</summary>
    internal LeadDocument(LeadId leadId, long version, ReadOnlyMemory<byte> utf8Json, DateTimeOffset updatedAt, bool validated)
    {
        if (!validated && !Utf8.IsValid(utf8Json.Span))
        {
            throw new ArgumentException($"Lead {leadId}: the document's JSON is not valid UTF-8.", nameof(utf8Json));
        }

        LeadId = leadId;
        Version = version;
        _utf8 = utf8Json;
        _fromUtf8 = true;
        UpdatedAt = updatedAt;
    }

    /// <summary>The lead.</summary>
    public LeadId LeadId { get; init; }

    /// <summary>The number of saves so far (1 for the first); <see cref="ILeadDocumentStore.SaveAsync"/> checks it.</summary>
    public long Version { get; init; }

    /// <summary>The document, as JSON text (decoded on first use when the document was made from UTF-8).</summary>
    public string Json
    {
        get => _fromUtf8 ? _decoded ??= Encoding.UTF8.GetString(_utf8.Span) : _json!;
        init
        {
            _json = value;
            _utf8 = default;
            _fromUtf8 = false;
            _decoded = null;
            _encoded = null;
        }
    }

    /// <summary>
    /// The document as UTF-8 JSON: the bytes it was made from, or its text encoded on first use (an unpaired surrogate in
    /// the text becomes U+FFFD there; <see cref="Json"/> keeps it).
    /// </summary>
    public ReadOnlyMemory<byte> Utf8Json => _fromUtf8 ? _utf8 : _encoded ??= Encoding.UTF8.GetBytes(_json ?? string.Empty);

    /// <summary>
    /// <see langword="true"/> when the document was made from UTF-8 bytes: <see cref="Utf8Json"/> costs nothing and
    /// <see cref="Json"/> decodes them; otherwise the reverse. A reader parses whichever form this names.
    /// </summary>
    public bool IsUtf8 => _fromUtf8;

    /// <summary>When it was last saved.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>No JSON, or only white space (the same characters in either form: <see cref="char.IsWhiteSpace(char)"/>).</summary>
    internal bool IsBlank => _fromUtf8 ? IsWhiteSpace(_utf8.Span) : string.IsNullOrWhiteSpace(_json);

    /// <summary>Equal when the lead, the version, the time (<see cref="DateTimeOffset.Equals(DateTimeOffset)"/>) and the JSON text are.</summary>
    /// <param name="other">The other document.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(LeadDocument? other) =>
        other is not null && LeadId == other.LeadId && Version == other.Version && UpdatedAt.Equals(other.UpdatedAt)
        && (_fromUtf8 && other._fromUtf8 ? _utf8.Span.SequenceEqual(other._utf8.Span) : string.Equals(Json, other.Json, StringComparison.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LeadId, Version, UpdatedAt);

    private static bool IsWhiteSpace(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            // Valid UTF-8 (checked when the document was made); a document starts with '{' or '[', so this stops at once.
            Rune.DecodeFromUtf8(utf8, out var rune, out int consumed);
            if (!Rune.IsWhiteSpace(rune))
            {
                return false;
            }

            utf8 = utf8[consumed..];
        }

        return true;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("LeadId = ").Append(LeadId).Append(", Version = ").Append(Version).Append(", UpdatedAt = ").Append(UpdatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture))
            .Append(", Json = ").Append(_fromUtf8 ? _utf8.Length : (_json?.Length ?? 0)).Append(_fromUtf8 ? " UTF-8 bytes" : " characters");
        return true;
    }
}
