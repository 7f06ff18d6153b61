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
/// Writes a <see cref="StoredLead"/> document with its last decision given as the JSON already written for the answer, so
/// that an ingest serialises the decision once, not twice. The text is the one <c>JsonSerializer.Serialize(stored with {
/// LastDecision = decision })</c> writes (a test compares them).
/// </summary>
internal static class StoredLeadJson
{
    public static string Write(StoredLead stored, string? lastDecisionJson)
    {
        var context = AlignmentHttpJsonContext.Default;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = context.Options.Encoder, SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("lead"u8);
            System.Text.Json.JsonSerializer.Serialize(writer, stored.Lead, context.LeadRequest);
            writer.WritePropertyName("activities"u8);
            System.Text.Json.JsonSerializer.Serialize(writer, stored.Activities, context.ListActivityRequest);
            if (lastDecisionJson is not null)
            {
                writer.WritePropertyName("lastDecision"u8);
                writer.WriteRawValue(lastDecisionJson, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
