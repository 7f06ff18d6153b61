using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Policies.Nurture.Definitions;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>
/// Loads a nurture policy from JSON (System.Text.Json, source-generated), validates it and compiles it. Every problem is
/// reported at once with its JSON path; nothing is silently ignored (unknown properties are errors too).
/// </summary>
/// <remarks>
/// Shape: <c>{"id","version","contentMaxAgeDays","tracks":[{"id","priority","segments":[],"entryReasons":[],"cadenceDays",
/// "maxDaysOnTrack","onExhausted","quietDays":[],"quietPeriods":[{"name","from":"MM-dd","to":"MM-dd"}],
/// "steps":[{"id","kind":"email|repCallTask","topic","afterDays"}]}]}</c>. One track must be a catch-all (no segments, no entry
/// reasons) so that every lead always finds a track. Stateless and thread-safe.
/// </remarks>
internal static class NurturePolicyLoader
{
    /// <summary>The content age used when the document gives none: 365 days.</summary>
    public static readonly TimeSpan DefaultContentMaxAge = TimeSpan.FromDays(365);

    // The longest gap between steps (cadenceDays, afterDays): ten years, so that "now + gap" never leaves the calendar.
    internal const int MaxGapDays = 3_650;

    // The longest age or time on a track (contentMaxAgeDays, maxDaysOnTrack): a hundred years.
    internal const int MaxAgeDays = 36_500;

    // The largest priority, either way (the engine ranks "no current track" below every priority).
    internal const int MaxPriority = 1_000_000;

    /// <summary>Loads a policy from JSON text.</summary>
    /// <param name="json">The policy document.</param>
    /// <param name="limits">The file's limits (size, nesting, objects, array and string lengths); <see langword="null"/> for the defaults.</param>
    /// <param name="actions">The step plugins steps may name with <c>handler</c>, or <see langword="null"/> for none.</param>
    /// <returns>The compiled policy, or every error with its path (the file is checked against <paramref name="limits"/>, for duplicate
    /// properties and for control characters before it is read).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public static NurturePolicyLoadResult Load(string json, ModelReadLimits? limits = null, IReadOnlyList<INurtureStepAction>? actions = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = ModelJsonGuard.Check(json, limits);
        if (problems.Count > 0)
        {
            return new NurturePolicyLoadResult(null, [.. problems]);
        }

        NurturePolicyDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, NurturePolicyJsonContext.Default.NurturePolicyDocument);
        }
        catch (JsonException ex)
        {
            return Fail(ModelError.FromJsonException(ex));
        }

        if (document is null)
        {
            return Fail(new ModelError("$", "the document is null; expected an object with 'id', 'version' and 'tracks'"));
        }

        return Compile(document, actions ?? []);
    }

    /// <summary>The content hash of a parsed policy: lower-case hex SHA-256 of the document written unindented by the source-generated context.</summary>
    internal static string ComputeContentHash(NurturePolicyDocument document) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document, NurturePolicyJsonContext.Default.NurturePolicyDocument)));

    private static NurturePolicyLoadResult Compile(NurturePolicyDocument document, IReadOnlyList<INurtureStepAction> actions)
    {
        var errors = ImmutableArray.CreateBuilder<ModelError>();
        NurturePolicyChecks.CheckIdentifiers(document, errors);
        if (errors.Count > 0)
        {
            return new NurturePolicyLoadResult(null, errors.ToImmutable());
        }

        if (string.IsNullOrWhiteSpace(document.Id))
        {
            errors.Add(new("$.id", "required; give the policy an id"));
        }

        if (string.IsNullOrWhiteSpace(document.Version))
        {
            errors.Add(new("$.version", "required; give the policy a version"));
        }

        if (document.ContentMaxAgeDays is <= 0)
        {
            errors.Add(new("$.contentMaxAgeDays", $"must be greater than zero (was {document.ContentMaxAgeDays})" + PolicyText.Range(1, MaxAgeDays, " days")));
        }
        else if (document.ContentMaxAgeDays is > MaxAgeDays)
        {
            errors.Add(new("$.contentMaxAgeDays", PolicyText.TooLarge(document.ContentMaxAgeDays.Value, 1, MaxAgeDays, " days")));
        }

        var tracks = ImmutableArray.CreateBuilder<NurtureTrack>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var exhaustedRefs = new List<(string Path, string Target)>();
        if (document.Tracks is null || document.Tracks.Count == 0)
        {
            errors.Add(new("$.tracks", "required; define at least one track, including a catch-all track"));
        }
        else
        {
            for (var i = 0; i < document.Tracks.Count; i++)
            {
                var path = $"$.tracks[{i}]";
                var track = document.Tracks[i];
                if (track is null)
                {
                    errors.Add(new(path, "a track must be an object"));
                    continue;
                }

                var compiled = CompileTrack(track, path, errors, exhaustedRefs, actions);
                if (compiled is null)
                {
                    continue;
                }

                if (!ids.Add(compiled.Id))
                {
                    errors.Add(new($"{path}.id", $"duplicate track id '{compiled.Id}'"));
                    continue;
                }

                tracks.Add(compiled);
            }

            // References and the catch-all are checked against every declared track, so one broken track does not cascade into more errors.
            var declared = new HashSet<string>(document.Tracks.Where(t => !string.IsNullOrWhiteSpace(t?.Id)).Select(t => t!.Id!), StringComparer.Ordinal);
            foreach (var (path, target) in exhaustedRefs)
            {
                if (!declared.Contains(target))
                {
                    errors.Add(new(path, $"names track '{target}', which the policy does not define"));
                }
            }

            if (!document.Tracks.Any(t => t is not null && (t.Segments is null || t.Segments.Count == 0) && (t.EntryReasons is null || t.EntryReasons.Count == 0)))
            {
                errors.Add(new("$.tracks", "no catch-all track (a track with no 'segments' and no 'entryReasons'); a lead that matches no other track would be left without a track"));
            }
        }

        if (errors.Count > 0)
        {
            return new NurturePolicyLoadResult(null, errors.ToImmutable());
        }

        var maxAge = document.ContentMaxAgeDays is { } days ? TimeSpan.FromDays(days) : DefaultContentMaxAge;
        return new NurturePolicyLoadResult(new NurturePolicy(document.Id!, document.Version!, ComputeContentHash(document), maxAge, tracks.ToImmutable()), []);
    }

    private static NurtureTrack? CompileTrack(NurtureTrackDocument track, string path, ImmutableArray<ModelError>.Builder errors, List<(string, string)> exhaustedRefs, IReadOnlyList<INurtureStepAction> actions)
    {
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(track.Id))
        {
            errors.Add(new($"{path}.id", "required; give the track an id"));
        }

        if (track.CadenceDays is null)
        {
            errors.Add(new($"{path}.cadenceDays", "required; the number of days between steps"));
        }
        else if (track.CadenceDays <= 0)
        {
            errors.Add(new($"{path}.cadenceDays", $"must be greater than zero (was {track.CadenceDays})" + PolicyText.Range(1, MaxGapDays, " days")));
        }
        else if (track.CadenceDays > MaxGapDays)
        {
            errors.Add(new($"{path}.cadenceDays", PolicyText.TooLarge(track.CadenceDays.Value, 1, MaxGapDays, " days")));
        }

        if (track.MaxDaysOnTrack is <= 0)
        {
            errors.Add(new($"{path}.maxDaysOnTrack", $"must be greater than zero (was {track.MaxDaysOnTrack})" + PolicyText.Range(1, MaxAgeDays, " days")));
        }
        else if (track.MaxDaysOnTrack is > MaxAgeDays)
        {
            errors.Add(new($"{path}.maxDaysOnTrack", PolicyText.TooLarge(track.MaxDaysOnTrack.Value, 1, MaxAgeDays, " days")));
        }

        if (track.Priority is < -MaxPriority or > MaxPriority)
        {
            errors.Add(new($"{path}.priority", $"is out of range (was {track.Priority})" + PolicyText.Range(-MaxPriority, MaxPriority, "")));
        }

        if (string.IsNullOrWhiteSpace(track.OnExhausted))
        {
            errors.Add(new($"{path}.onExhausted", "required; name the (slower) track a lead moves to when this one is exhausted, or this track itself to repeat it"));
        }
        else
        {
            exhaustedRefs.Add(($"{path}.onExhausted", track.OnExhausted));
        }

        var segments = ImmutableArray.CreateBuilder<SegmentId>();
        for (var i = 0; track.Segments is not null && i < track.Segments.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(track.Segments[i]))
            {
                errors.Add(new($"{path}.segments[{i}]", "a segment id must not be empty"));
            }
            else
            {
                segments.Add(new SegmentId(track.Segments[i]!));
            }
        }

        var reasons = ImmutableArray.CreateBuilder<NurtureEntryReason>();
        for (var i = 0; track.EntryReasons is not null && i < track.EntryReasons.Count; i++)
        {
            if (TryParseEnum<NurtureEntryReason>(track.EntryReasons[i], out var reason))
            {
                reasons.Add(reason);
            }
            else
            {
                errors.Add(new($"{path}.entryReasons[{i}]", $"unknown entry reason '{track.EntryReasons[i]}'; expected one of {Names<NurtureEntryReason>()}"));
            }
        }

        var quietDays = ImmutableArray.CreateBuilder<DayOfWeek>();
        for (var i = 0; track.QuietDays is not null && i < track.QuietDays.Count; i++)
        {
            if (TryParseEnum<DayOfWeek>(track.QuietDays[i], out var day))
            {
                quietDays.Add(day);
            }
            else
            {
                errors.Add(new($"{path}.quietDays[{i}]", $"unknown day '{track.QuietDays[i]}'; expected one of {Names<DayOfWeek>()}"));
            }
        }

        if (quietDays.Distinct().Count() == 7)
        {
            errors.Add(new($"{path}.quietDays", "every day of the week is quiet; the track could never send"));
        }

        var periods = ImmutableArray.CreateBuilder<QuietPeriod>();
        for (var i = 0; track.QuietPeriods is not null && i < track.QuietPeriods.Count; i++)
        {
            var p = track.QuietPeriods[i];
            var ppath = $"{path}.quietPeriods[{i}]";
            if (p is null)
            {
                errors.Add(new(ppath, "a quiet period must be an object"));
                continue;
            }

            var okFrom = TryParseMonthDay(p.From, out var fm, out var fd);
            var okTo = TryParseMonthDay(p.To, out var tm, out var td);
            if (!okFrom)
            {
                errors.Add(new($"{ppath}.from", $"expected a month and day as \"MM-dd\" (was '{p.From}')"));
            }

            if (!okTo)
            {
                errors.Add(new($"{ppath}.to", $"expected a month and day as \"MM-dd\" (was '{p.To}')"));
            }

            if (okFrom && okTo)
            {
                periods.Add(new QuietPeriod(string.IsNullOrWhiteSpace(p.Name) ? $"{p.From}..{p.To}" : p.Name, fm, fd, tm, td));
            }
        }

        var cadence = TimeSpan.FromDays(track.CadenceDays is > 0 and <= MaxGapDays ? track.CadenceDays.Value : 1);
        var steps = ImmutableArray.CreateBuilder<NurtureStep>();
        var stepIds = new HashSet<string>(StringComparer.Ordinal);
        if (track.Steps is null || track.Steps.Count == 0)
        {
            errors.Add(new($"{path}.steps", "required; define at least one step"));
        }

        for (var i = 0; track.Steps is not null && i < track.Steps.Count; i++)
        {
            var s = track.Steps[i];
            var spath = $"{path}.steps[{i}]";
            if (s is null)
            {
                errors.Add(new(spath, "a step must be an object"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(s.Id))
            {
                errors.Add(new($"{spath}.id", "required; give the step an id"));
            }
            else if (!stepIds.Add(s.Id))
            {
                errors.Add(new($"{spath}.id", $"duplicate step id '{s.Id}' in the track"));
            }

            if (!TryParseEnum<NurtureStepKind>(s.Kind, out var kind))
            {
                errors.Add(new($"{spath}.kind", $"unknown step kind '{s.Kind}'; expected one of {Names<NurtureStepKind>()}"));
            }
            else if (kind == NurtureStepKind.Email && string.IsNullOrWhiteSpace(s.Topic))
            {
                errors.Add(new($"{spath}.topic", "required for an e-mail step; name the collateral topic to send"));
            }

            if (s.AfterDays is < 0)
            {
                errors.Add(new($"{spath}.afterDays", $"must be zero or more (was {s.AfterDays})" + PolicyText.Range(0, MaxGapDays, " days")));
            }
            else if (s.AfterDays is > MaxGapDays)
            {
                errors.Add(new($"{spath}.afterDays", PolicyText.TooLarge(s.AfterDays.Value, 0, MaxGapDays, " days")));
            }

            INurtureStepAction? action = null;
            if (s.Handler is { } handler)
            {
                action = actions.FirstOrDefault(a => a is not null && string.Equals(a.Name, handler, StringComparison.Ordinal));
                if (action is null)
                {
                    var registered = actions.Where(a => a is not null).Select(a => a.Name).ToList();
                    errors.Add(new($"{spath}.handler", $"no registered nurture step plugin is named '{handler}' (registered: {(registered.Count == 0 ? "none" : string.Join(", ", registered))})"));
                }
            }

            var delay = s.AfterDays is { } d ? TimeSpan.FromDays(Math.Clamp(d, 0, MaxGapDays)) : i == 0 ? TimeSpan.Zero : cadence;
            steps.Add(new NurtureStep(s.Id ?? string.Empty, kind, string.IsNullOrWhiteSpace(s.Topic) ? null : s.Topic, delay) { Action = action });
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new NurtureTrack
        {
            Id = track.Id!,
            Priority = track.Priority,
            Segments = segments.ToImmutable(),
            EntryReasons = reasons.ToImmutable(),
            Steps = steps.ToImmutable(),
            Cadence = cadence,
            MaxTimeOnTrack = track.MaxDaysOnTrack is { } max ? TimeSpan.FromDays(max) : null,
            OnExhausted = track.OnExhausted!,
            QuietDays = quietDays.Distinct().ToImmutableArray(),
            QuietPeriods = periods.ToImmutable(),
        };
    }

    private static bool TryParseEnum<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text) && !char.IsDigit(text[0]) && Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    private static string Names<T>()
        where T : struct, Enum =>
        string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));

    private static bool TryParseMonthDay(string? text, out int month, out int day)
    {
        month = day = 0;
        if (text is null || text.Length != 5 || text[2] != '-'
            || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out month)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out day))
        {
            return false;
        }

        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month);
    }


    private static NurturePolicyLoadResult Fail(ModelError error) => new(null, [error]);
}
