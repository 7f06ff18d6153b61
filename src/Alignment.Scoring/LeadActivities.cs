using Alignment.Activities;

namespace Alignment.Scoring;

/// <summary>
/// The activities of a batch of leads in one flat span: the activities of lead <c>i</c> are
/// <c>activities[offsets[i]..offsets[i + 1]]</c>, so a batch needs no per-lead collection.
/// </summary>
public readonly ref struct LeadActivities
{
    private readonly ReadOnlySpan<LeadActivity> _activities;
    private readonly ReadOnlySpan<int> _offsets;

    /// <summary>Wraps flat activities and their per-lead offsets.</summary>
    /// <param name="activities">Every lead's activities, lead after lead.</param>
    /// <param name="offsets">One more entry than leads: where each lead's activities start, then the total count; never decreasing.</param>
    /// <exception cref="ArgumentException">The offsets are empty, decrease, or do not start at 0 and end at <paramref name="activities"/>' length.</exception>
    public LeadActivities(ReadOnlySpan<LeadActivity> activities, ReadOnlySpan<int> offsets)
    {
        if (offsets.IsEmpty || offsets[0] != 0 || offsets[^1] != activities.Length)
        {
            throw new ArgumentException($"Offsets must start at 0 and end at the number of activities ({activities.Length}).", nameof(offsets));
        }

        for (int i = 1; i < offsets.Length; i++)
        {
            if (offsets[i] < offsets[i - 1])
            {
                throw new ArgumentException($"Offsets must never decrease; offsets[{i}] = {offsets[i]} follows {offsets[i - 1]}.", nameof(offsets));
            }
        }

        _activities = activities;
        _offsets = offsets;
    }

    /// <summary>No activities for any lead.</summary>
    public static LeadActivities None => default;

    /// <summary>The number of leads covered (0 for <see cref="None"/>).</summary>
    public int LeadCount => _offsets.IsEmpty ? 0 : _offsets.Length - 1;

    /// <summary>Whether this is <see cref="None"/>.</summary>
    public bool IsNone => _offsets.IsEmpty;

    /// <summary>The activities of one lead.</summary>
    /// <param name="index">The lead's index in the batch.</param>
    /// <returns>Its activities; empty for <see cref="None"/>.</returns>
    public ReadOnlySpan<LeadActivity> For(int index) => _offsets.IsEmpty ? default : _activities[_offsets[index].._offsets[index + 1]];
}
