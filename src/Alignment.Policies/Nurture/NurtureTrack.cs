using System.Collections.Immutable;
using Alignment.Nurture;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>A compiled nurture track (stream): who enters it, its steps and cadence, its quiet periods and where a lead goes when it is done.</summary>
/// <remarks>Immutable and thread-safe. Built by <see cref="NurturePolicyLoader"/>.</remarks>
internal sealed record NurtureTrack
{
    /// <summary>The track's id, unique in the policy.</summary>
    public required string Id { get; init; }

    /// <summary>The precedence of the track: a lead on a track moves to a newly matching track only if that track's priority is higher.</summary>
    /// <value>Defaults to 0.</value>
    public int Priority { get; init; }

    /// <summary>The segments the track serves; empty for every segment.</summary>
    public ImmutableArray<SegmentId> Segments { get; init; } = [];

    /// <summary>The entry reasons the track serves; empty for every reason.</summary>
    public ImmutableArray<NurtureEntryReason> EntryReasons { get; init; } = [];

    /// <summary>The steps, in order.</summary>
    public required ImmutableArray<NurtureStep> Steps { get; init; }

    /// <summary>The default time between steps, also the wait after the last step before the track counts as exhausted.</summary>
    public required TimeSpan Cadence { get; init; }

    /// <summary>The longest a lead stays on the track before it moves to <see cref="OnExhausted"/>; <see langword="null"/> for no limit.</summary>
    public TimeSpan? MaxTimeOnTrack { get; init; }

    /// <summary>The (usually slower) track a lead moves to when this one is exhausted or its time is up; may be the track itself to repeat it.</summary>
    public required string OnExhausted { get; init; }

    /// <summary>Days of the week (UTC) on which the track sends nothing.</summary>
    public ImmutableArray<DayOfWeek> QuietDays { get; init; } = [];

    /// <summary>Recurring yearly windows in which the track sends nothing.</summary>
    public ImmutableArray<QuietPeriod> QuietPeriods { get; init; } = [];

    /// <summary>Tells whether the track serves a segment and an entry reason.</summary>
    /// <param name="segment">The lead's segment, if known.</param>
    /// <param name="reason">Why the lead enters nurture.</param>
    /// <returns><see langword="true"/> when the track matches.</returns>
    public bool Matches(SegmentId? segment, NurtureEntryReason reason) =>
        (Segments.IsEmpty || (segment is { } s && Segments.Contains(s))) && (EntryReasons.IsEmpty || EntryReasons.Contains(reason));

    /// <summary>Finds the quiet rule in force at an instant.</summary>
    /// <param name="at">The instant.</param>
    /// <param name="until">When sending may resume.</param>
    /// <param name="name">The name of the quiet rule, for the explanation.</param>
    /// <returns><see langword="true"/> when the track is quiet at <paramref name="at"/>.</returns>
    public bool IsQuiet(DateTimeOffset at, out DateTimeOffset until, out string name)
    {
        foreach (var period in QuietPeriods)
        {
            if (period.Contains(at))
            {
                until = period.EndAfter(at);
                name = $"quiet period '{period.Name}'";
                return true;
            }
        }

        var day = at.UtcDateTime.DayOfWeek;
        if (QuietDays.Contains(day))
        {
            var next = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
            while (QuietDays.Contains(next.DayOfWeek))
            {
                next = next.AddDays(1);
            }

            until = next;
            name = $"quiet day {day}";
            return true;
        }

        until = at;
        name = string.Empty;
        return false;
    }
}
