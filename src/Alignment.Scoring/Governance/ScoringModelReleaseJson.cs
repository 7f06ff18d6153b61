using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Models;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Governance;

/// <summary>
/// Reads and writes release files: a scoring model with its approvals (format in <c>docs/governance.md</c>).
/// <code>
/// { "model": { ...the scoring model... },
///   "approvals": [ { "approvedBy": "mia@example.com", "side": "marketing", "approvedAt": "2026-03-01T12:00:00+00:00", "contentHash": "…" } ] }
/// </code>
/// A plain model file (no <c>model</c> member) reads as a release without approvals, so tools accept either.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class ScoringModelReleaseJson
{
    /// <summary>Reads a release file, or a plain model file as a release without approvals.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">Where it came from, for error messages (for example the file name).</param>
    /// <param name="limits">
    /// The bounds on the whole file, model and approvals together; <see langword="null"/> for the defaults of <see cref="ModelReadLimits"/>.
    /// </param>
    /// <returns>The release.</returns>
    /// <remarks>
    /// The text first passes <see cref="ModelJsonGuard"/>, so a file over a limit, a property that appears twice in one object (in
    /// the model or in an approval), control characters or malformed JSON are refused with their path before anything is read.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range (<see cref="ModelReadLimits.Validate"/>).</exception>
    /// <exception cref="ModelException">The file is over a limit, the JSON is malformed or ambiguous, the model invalid, or an approval malformed; lists every problem with its JSON path (<c>$.model…</c>, <c>$.approvals[i]…</c>).</exception>
    public static ScoringModelRelease Parse(string json, string source = "release", ModelReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        using var doc = ScoringModelJson.ParseDocument(json, source, limits);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var modelElement))
        {
            return new ScoringModelRelease(ScoringModelJson.Read(root, source));
        }

        var errors = new List<ModelError>();
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name is not ("$schema" or "model" or "approvals"))
            {
                errors.Add(new("$." + p.Name, "unknown property; a release has 'model' and 'approvals'"));
            }
        }

        ScoringModelDefinition? definition = null;
        try
        {
            definition = ScoringModelJson.Read(modelElement, source);
        }
        catch (ModelException ex)
        {
            errors.AddRange(ex.Errors.Select(e => new ModelError("$.model" + e.Path[1..], e.Message)));
        }

        var approvals = new List<ModelApproval>();
        if (root.TryGetProperty("approvals", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new("$.approvals", "expected an array"));
            }
            else
            {
                int i = 0;
                foreach (var e in list.EnumerateArray())
                {
                    if (ReadApproval(e, $"$.approvals[{i}]", errors) is { } a)
                    {
                        approvals.Add(a);
                    }

                    i++;
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ModelException(source, errors);
        }

        return new ScoringModelRelease(definition!, approvals);
    }

    /// <summary>Writes a release: the model in canonical form, then every approval (valid and void) in order.</summary>
    /// <param name="release">The release.</param>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text; <see cref="Parse"/> reads it back to the same definition and approvals.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is null.</exception>
    public static string Write(ScoringModelRelease release, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(release);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WritePropertyName("model");
            using (var model = JsonDocument.Parse(ScoringModelJson.Write(release.Definition, indented: false)))
            {
                model.RootElement.WriteTo(w);
            }

            w.WriteStartArray("approvals");
            foreach (var a in release.Approvals)
            {
                w.WriteStartObject();
                w.WriteString("approvedBy", a.ApprovedBy);
                w.WriteString("side", ScoringModelRelease.SideName(a.Side));
                w.WriteString("approvedAt", a.ApprovedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
                w.WriteString("contentHash", a.ContentHash);
                if (a.Comment is not null)
                {
                    w.WriteString("comment", a.Comment);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static ModelApproval? ReadApproval(JsonElement e, string path, List<ModelError> errors)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "expected an object"));
            return null;
        }

        int before = errors.Count;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name is not ("approvedBy" or "side" or "approvedAt" or "contentHash" or "comment"))
            {
                errors.Add(new($"{path}.{p.Name}", "unknown property; an approval has approvedBy, side, approvedAt, contentHash and comment"));
            }
        }

        string? by = String(e, "approvedBy", path, errors);
        if (by is not null && string.IsNullOrWhiteSpace(by))
        {
            errors.Add(new(path + ".approvedBy", "must name the approver"));
        }
        else if (ScoringNames.DescribeRefusedCharacter(by, "the approver's name") is { } problem)
        {
            errors.Add(new(path + ".approvedBy", problem));
        }

        string? sideText = String(e, "side", path, errors);
        ApprovalSide side = ApprovalSide.Marketing;
        switch (sideText)
        {
            case null: break;
            case "marketing": side = ApprovalSide.Marketing; break;
            case "sales": side = ApprovalSide.Sales; break;
            default: errors.Add(new(path + ".side", $"expected \"marketing\" or \"sales\", found \"{sideText}\"")); break;
        }

        string? atText = String(e, "approvedAt", path, errors);
        DateTimeOffset at = default;
        if (atText is not null && !DateTimeOffset.TryParseExact(atText, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            errors.Add(new(path + ".approvedAt", $"expected an ISO 8601 instant with offset (2026-03-01T12:00:00Z), found \"{atText}\""));
        }

        string? hash = String(e, "contentHash", path, errors);
        if (hash is not null && !ModelApprovals.IsContentHash(hash))
        {
            errors.Add(new(path + ".contentHash", "expected 64 lower-case hex digits (the model's SHA-256 content hash)"));
        }

        string? comment = null;
        if (e.TryGetProperty("comment", out var c))
        {
            if (c.ValueKind == JsonValueKind.String)
            {
                comment = c.GetString();
            }
            else
            {
                errors.Add(new(path + ".comment", "expected a string"));
            }
        }

        return errors.Count == before ? new ModelApproval(by!, side, at, hash!) { Comment = comment } : null;
    }

    private static string? String(JsonElement e, string name, string path, List<ModelError> errors)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            errors.Add(new(path, $"missing required property '{name}'"));
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{path}.{name}", "expected a string"));
            return null;
        }

        return v.GetString();
    }
}
