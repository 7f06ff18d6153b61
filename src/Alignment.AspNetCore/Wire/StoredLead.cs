namespace Alignment.AspNetCore.Wire;

/// <summary>What the lead document store keeps for one lead: the lead as merged from every ingest, its activities and the last decision.</summary>
internal sealed record StoredLead
{
    public required LeadRequest Lead { get; init; }

    public List<ActivityRequest> Activities { get; init; } = [];

    public LeadDecisionResponse? LastDecision { get; init; }
}

/// <summary>
/// What the nurture engine reads of a stored lead: the lead, its activities and the id of its last segment. Reading this instead
/// of <see cref="StoredLead"/> skips the last decision's score card, explanation and playbook (most of the document, and its
/// slowest part to read), which the nurture engine never uses.
/// </summary>
internal sealed record StoredLeadHead
{
    public required LeadRequest Lead { get; init; }

    public List<ActivityRequest> Activities { get; init; } = [];

    public DecisionHead? LastDecision { get; init; }

    /// <summary>The part of the last decision the nurture engine uses.</summary>
    internal sealed record DecisionHead
    {
        public SegmentHead? Segment { get; init; }
    }

    /// <summary>The id of the last segment.</summary>
    internal sealed record SegmentHead
    {
        public string? Id { get; init; }
    }
}

/// <summary>
/// Writes a <see cref="StoredLead"/> document, as UTF-8, with its last decision given as the JSON already written for the
/// answer, so that an ingest serialises the decision once, not twice. The bytes are the ones <c>JsonSerializer.SerializeToUtf8Bytes(stored
/// with { LastDecision = decision })</c> writes (a test compares them).
/// </summary>
internal static class StoredLeadJson
{
    /// <summary>Buffers larger than this after a write are not kept for the next one on the thread.</summary>
    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static System.Text.Json.Utf8JsonWriter? t_writer;

    /// <summary>Writes the document with the last decision given as its UTF-8 JSON, into a new array of the document's length.</summary>
    public static byte[] Write(StoredLead stored, ReadOnlySpan<byte> lastDecisionUtf8) => Write(stored, lastDecisionUtf8, withDecision: true);

    private static byte[] Write(StoredLead stored, ReadOnlySpan<byte> lastDecisionUtf8, bool withDecision)
    {
        // The writer and its buffer are reused by the thread (this method never awaits), so a write allocates only the text.
        var context = AlignmentHttpJsonContext.Default;
        var buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = context.Options.Encoder, SkipValidation = true });
        }
        else
        {
            writer.Reset(buffer);
        }

        try
        {
            writer.WriteStartObject();
            writer.WritePropertyName("lead"u8);
            System.Text.Json.JsonSerializer.Serialize(writer, stored.Lead, context.LeadRequest);
            writer.WritePropertyName("activities"u8);
            System.Text.Json.JsonSerializer.Serialize(writer, stored.Activities, context.ListActivityRequest);
            if (withDecision)
            {
                writer.WritePropertyName("lastDecision"u8);
                writer.WriteRawValue(lastDecisionUtf8, skipInputValidation: true);
            }

            writer.WriteEndObject();
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        catch
        {
            // A failed write may leave the writer mid-document: start afresh next time.
            t_writer = null;
            t_buffer = null;
            throw;
        }
        finally
        {
            if (buffer.Capacity > MaxKeptBuffer)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }
}
