using System.Collections.Frozen;
using System.Collections.Immutable;
using Alignment.Nurture;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>A compiled, validated nurture policy: its tracks and how a lead is matched to one. Load it with <see cref="NurturePolicyLoader"/>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class NurturePolicy
{
    private readonly FrozenDictionary<string, NurtureTrack> _byId;

    internal NurturePolicy(string id, string version, TimeSpan contentMaxAge, ImmutableArray<NurtureTrack> tracks)
    {
        Id = id;
        Version = version;
        ContentMaxAge = contentMaxAge;
        Tracks = tracks;
        _byId = tracks.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
    }

    /// <summary>The policy's id.</summary>
    public string Id { get; }

    /// <summary>The policy's version, recorded with every enrolment.</summary>
    public string Version { get; }

    /// <summary>The oldest collateral a step may send (measured from its publication).</summary>
    public TimeSpan ContentMaxAge { get; }

    /// <summary>The tracks, in document order (which is also the matching order among equal priorities).</summary>
    public ImmutableArray<NurtureTrack> Tracks { get; }

    /// <summary>Chooses the track for a lead: the highest-priority matching track, the first in document order among equals. The policy always has a catch-all track, so this never fails.</summary>
    /// <param name="segment">The lead's segment, if known.</param>
    /// <param name="reason">Why it enters nurture.</param>
    /// <returns>The track.</returns>
    public NurtureTrack SelectTrack(SegmentId? segment, NurtureEntryReason reason)
    {
        NurtureTrack? best = null;
        foreach (var track in Tracks)
        {
            if (track.Matches(segment, reason) && (best is null || track.Priority > best.Priority))
            {
                best = track;
            }
        }

        return best ?? throw new InvalidOperationException($"Nurture policy '{Id}' has no catch-all track; the loader should have refused it.");
    }

    /// <summary>Finds a track by id.</summary>
    /// <param name="trackId">The track's id.</param>
    /// <param name="track">The track, when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetTrack(string trackId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NurtureTrack? track) =>
        _byId.TryGetValue(trackId, out track);
}
