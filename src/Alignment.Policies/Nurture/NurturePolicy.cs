using System.Diagnostics.CodeAnalysis;
using Alignment.Models;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Alignment.Nurture;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>A compiled, validated nurture policy: its tracks and how a lead is matched to one. Load it with <see cref="Load"/> or <see cref="TryLoad"/>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class NurturePolicy
{
    private readonly FrozenDictionary<string, NurtureTrack> _byId;

    internal NurturePolicy(string id, string version, string contentHash, TimeSpan contentMaxAge, ImmutableArray<NurtureTrack> tracks)
    {
        Id = id;
        Version = version;
        ContentHash = contentHash;
        Model = new ModelReference(id, version, contentHash);
        ContentMaxAge = contentMaxAge;
        Tracks = tracks;
        _byId = tracks.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// Reads, validates and compiles a nurture policy from its JSON text. Every problem is reported at once with its JSON path; nothing
    /// is silently ignored (unknown properties are errors too). The text is first checked against the limits, for duplicate properties
    /// and for control characters, so a policy from someone you do not trust is safe to load.
    /// </summary>
    /// <remarks>
    /// Shape: <c>{"id","version","contentMaxAgeDays","tracks":[{"id","priority","segments":[],"entryReasons":[],"cadenceDays",
    /// "maxDaysOnTrack","onExhausted","quietDays":[],"quietPeriods":[{"name","from":"MM-dd","to":"MM-dd"}],
    /// "steps":[{"id","kind":"email|repCallTask","topic","afterDays"}]}]}</c>. One track must be a catch-all (no segments, no entry
    /// reasons) so that every lead always finds a track; <c>contentMaxAgeDays</c> defaults to 365.
    /// </remarks>
    /// <param name="json">The policy document.</param>
    /// <param name="options">The document name and read limits; <see langword="null"/> for the defaults. A <see cref="NurturePolicyLoadOptions"/> also gives the step plugins steps may name.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">The policy is invalid; lists every problem with its JSON path.</exception>
    public static NurturePolicy Load(string json, ModelLoadOptions? options = null) =>
        NurturePolicyLoader.Load(json, options?.Limits, (options as NurturePolicyLoadOptions)?.Actions.ToArray()).GetPolicyOrThrow(options?.Document ?? "nurture policy");

    /// <summary>Reads a nurture policy and returns every problem instead of throwing: the twin of <see cref="Load"/>.</summary>
    /// <param name="json">The policy document.</param>
    /// <param name="options">The document name and read limits; <see langword="null"/> for the defaults. A <see cref="NurturePolicyLoadOptions"/> also gives the step plugins steps may name.</param>
    /// <param name="policy">The compiled policy, or <see langword="null"/> when it is invalid.</param>
    /// <param name="errors">Every problem with its JSON path, or empty.</param>
    /// <returns><see langword="true"/> when the policy loaded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public static bool TryLoad(string json, ModelLoadOptions? options, [NotNullWhen(true)] out NurturePolicy? policy, out ImmutableArray<ModelError> errors)
    {
        var result = NurturePolicyLoader.Load(json, options?.Limits, (options as NurturePolicyLoadOptions)?.Actions.ToArray());
        policy = result.Policy;
        errors = result.Errors;
        return policy is not null;
    }

    /// <summary>The policy's id.</summary>
    public string Id { get; }

    /// <summary>The policy's version, recorded with every enrolment.</summary>
    public string Version { get; }

    /// <summary>
    /// The content hash of the policy: lower-case hex SHA-256 of the canonical JSON of its parsed document (unindented, every
    /// member in the documented order), so layout and comments do not change it and any edit does. A registry release of the policy
    /// names this hash, and both teams' approvals sign it.
    /// </summary>
    public string ContentHash { get; }

    /// <summary>
    /// The policy's id, version and content hash: recorded on every enrolment (<see cref="NurtureEnrolmentRecord.Policy"/>), every
    /// step sent (<see cref="NurtureSentStep.Policy"/>) and every nurture decision. One instance per policy.
    /// </summary>
    public ModelReference Model { get; }

    /// <summary>The oldest collateral a step may send (measured from its publication).</summary>
    public TimeSpan ContentMaxAge { get; }

    /// <summary>The tracks, in document order (which is also the matching order among equal priorities).</summary>
    internal ImmutableArray<NurtureTrack> Tracks { get; }

    /// <summary>Chooses the track for a lead: the highest-priority matching track, the first in document order among equals. The policy always has a catch-all track, so this never fails.</summary>
    /// <param name="segment">The lead's segment, if known.</param>
    /// <param name="reason">Why it enters nurture.</param>
    /// <returns>The track.</returns>
    internal NurtureTrack SelectTrack(SegmentId? segment, NurtureEntryReason reason)
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
    internal bool TryGetTrack(string trackId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NurtureTrack? track) =>
        _byId.TryGetValue(trackId, out track);
}
