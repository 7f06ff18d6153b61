using Alignment.Models;
using System.Text.Json;
using System.Text.Json.Serialization;
using Alignment.Leads;

namespace Alignment.Scoring.Governance;

/// <summary>Writes a <see cref="LeadId"/> as its text.</summary>
internal sealed class LeadIdJsonConverter : JsonConverter<LeadId>
{
    public override LeadId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, LeadId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>Writes a <see cref="Grade"/> as its letter (<c>B+</c>).</summary>
internal sealed class GradeJsonConverter : JsonConverter<Grade>
{
    public override Grade Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Grades.TryParse(reader.GetString(), out var g) ? g : throw new JsonException($"'{reader.GetString()}' is not a grade letter.");

    public override void Write(Utf8JsonWriter writer, Grade value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToLetter());
}
