using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Models.Registry;
using static Alignment.Cli.Commands.ReleaseCommand;

namespace Alignment.Cli.Commands;

/// <summary>What <c>alignment release status</c> found for one kind: the history, the active release as stored now, and the release <c>--id</c> names.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="History">The history, oldest first.</param>
/// <param name="Active">The active release as stored now (its approvals), or <see langword="null"/>.</param>
/// <param name="Named">The release <c>--id</c> and <c>--version</c> name, or <see langword="null"/>.</param>
internal sealed record ReleaseKindStatus(ModelKind Kind, IReadOnlyList<ModelActivation> History, ModelRelease? Active, ModelRelease? Named);

/// <summary>The text and JSON output of <c>alignment release status</c>.</summary>
internal static class ReleaseStatusOutput
{
    public static string Text(string tenant, IReadOnlyList<ReleaseKindStatus> report)
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"tenant '{tenant}'");
        foreach (var status in report)
        {
            text.AppendLine();
            if (status.History.Count == 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{KindName(status.Kind)}: nothing active");
            }
            else
            {
                var latest = status.History[^1];
                text.AppendLine(CultureInfo.InvariantCulture, $"{KindName(status.Kind)}: active {latest.Key.Id}@{latest.Key.Version}, content {Short(latest.ContentHash)}, {(latest.IsRollback ? "rolled back to" : "activated")} by {latest.ActivatedBy} at {Instant(latest.At)} (#{latest.Sequence}): {latest.Reason}");
                AppendApprovals(text, status.Active ?? latest.Release, "  ");
            }

            if (status.Named is { } named)
            {
                bool isActive = status.History.Count > 0 && status.History[^1].Key == named.Key && status.History[^1].ContentHash == named.ContentHash;
                text.AppendLine(CultureInfo.InvariantCulture, $"  release {named.Key.Id}@{named.Key.Version}: content {Short(named.ContentHash)}{(isActive ? " (active)" : string.Empty)}");
                AppendApprovals(text, named, "    ");
                var problems = named.ActivationProblems;
                text.AppendLine(problems.IsEmpty ? "    can be activated: both sides approved this content" : "    blocks activation: " + string.Join("; ", problems));
            }

            if (status.History.Count > 0)
            {
                text.AppendLine("  history, newest first:");
                foreach (var h in status.History.Reverse())
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"    #{h.Sequence} {Instant(h.At)} {(h.IsRollback ? "rollback to" : "activate")} {h.Key.Id}@{h.Key.Version} ({Short(h.ContentHash)}) by {h.ActivatedBy}: {h.Reason}");
                }
            }
        }

        return text.ToString();
    }

    private static void AppendApprovals(StringBuilder text, ModelRelease release, string indent)
    {
        if (release.Approvals.IsEmpty)
        {
            text.AppendLine(indent + "approvals: none");
            return;
        }

        foreach (var a in release.Approvals)
        {
            string state = a.ContentHash == release.ContentHash ? "valid" : $"void, for earlier content {Short(a.ContentHash)}";
            text.AppendLine(CultureInfo.InvariantCulture, $"{indent}approval: {ModelSide(a.Side)} by {a.ApprovedBy} at {Instant(a.ApprovedAt)} ({state}){(a.Comment is { Length: > 0 } c ? ": " + c : string.Empty)}");
        }
    }

    public static string Json(string tenant, IReadOnlyList<ReleaseKindStatus> report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("tenant", tenant);
            json.WriteStartArray("kinds");
            foreach (var status in report)
            {
                json.WriteStartObject();
                json.WriteString("kind", KindName(status.Kind));
                json.WritePropertyName("active");
                if (status.History.Count == 0)
                {
                    json.WriteNullValue();
                }
                else
                {
                    WriteActivation(json, status.History[^1]);
                }

                json.WritePropertyName("activeRelease");
                WriteRelease(json, status.History.Count == 0 ? null : status.Active ?? status.History[^1].Release);
                if (status.Named is not null)
                {
                    json.WritePropertyName("release");
                    WriteRelease(json, status.Named);
                }

                json.WriteStartArray("history");
                foreach (var h in status.History.Reverse())
                {
                    WriteActivation(json, h);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteActivation(Utf8JsonWriter json, ModelActivation a)
    {
        json.WriteStartObject();
        json.WriteNumber("sequence", a.Sequence);
        json.WriteString("id", a.Key.Id);
        json.WriteString("version", a.Key.Version);
        json.WriteString("contentHash", a.ContentHash);
        json.WriteString("by", a.ActivatedBy);
        json.WriteString("at", a.At);
        json.WriteString("reason", a.Reason);
        json.WriteBoolean("isRollback", a.IsRollback);
        json.WriteEndObject();
    }

    private static void WriteRelease(Utf8JsonWriter json, ModelRelease? release)
    {
        if (release is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        json.WriteString("id", release.Key.Id);
        json.WriteString("version", release.Key.Version);
        json.WriteString("contentHash", release.ContentHash);
        json.WriteStartArray("approvals");
        foreach (var a in release.Approvals)
        {
            json.WriteStartObject();
            json.WriteString("by", a.ApprovedBy);
            json.WriteString("side", ModelSide(a.Side));
            json.WriteString("at", a.ApprovedAt);
            json.WriteString("contentHash", a.ContentHash);
            json.WriteBoolean("valid", a.ContentHash == release.ContentHash);
            if (a.Comment is not null)
            {
                json.WriteString("comment", a.Comment);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("blocks");
        foreach (string problem in release.ActivationProblems)
        {
            json.WriteStringValue(problem);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
