using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Alignment.Orleans.Grains;

/// <summary>A grain's saved state that a <see cref="GrainJournal{TState, TDelta}"/> writes whole every so often (its snapshot).</summary>
internal interface IJournaledState
{
    /// <summary>The number of the last save the snapshot holds: the deltas after it are replayed.</summary>
    long JournalSequence { get; set; }

    /// <summary>The link of the last save the snapshot holds, which the next delta names.</summary>
    Guid JournalLink { get; set; }
}

/// <summary>What one save of a journaled grain changed.</summary>
internal interface IJournalDelta
{
    /// <summary>The save's number: one more than the save before it.</summary>
    long Sequence { get; set; }

    /// <summary>The <see cref="Link"/> of the save before it (the snapshot's when that one was a snapshot).</summary>
    Guid Previous { get; set; }

    /// <summary>This save's own random link, which the next one names: a delta left by a history that was not continued is never replayed.</summary>
    Guid Link { get; set; }
}

/// <summary>The numbering and links every delta of a <see cref="GrainJournal{TState, TDelta}"/> carries; a delta type derives from it.</summary>
[GenerateSerializer]
[Alias("alignment.journal-delta.v1")]
internal abstract class JournalDelta : IJournalDelta
{
    /// <inheritdoc />
    [Id(0)] public long Sequence { get; set; }

    /// <inheritdoc />
    [Id(1)] public Guid Previous { get; set; }

    /// <inheritdoc />
    [Id(2)] public Guid Link { get; set; }
}

/// <summary>
/// Saves a grain whose state grows (a routing cell's open handoffs, an index partition's ids) by what each change changed, not
/// whole. A save writes a delta into one of <see cref="Slots"/> records kept beside the state (a ring, through the same grain
/// storage, so any Orleans storage provider keeps it); every <see cref="Slots"/>-th save, and the first save of a state no journal
/// wrote yet, writes the whole state instead (the snapshot, the grain's own persistent state, which names the last save it holds), so the ring holds at most
/// <see cref="Slots"/> - 1 deltas. An activation reads the ring, then the snapshot, and replays, in order, the deltas after the
/// snapshot that link to it one after the other. Each write is one record, so a save is whole or absent; after a failed write the
/// journal refuses every later save and call (the grain deactivates), so the saved history has no gap.
/// </summary>
/// <remarks>
/// Reading the ring before the snapshot makes the two a consistent cut even when a second activation of the grain briefly runs
/// (Orleans allows it while membership changes): any save the other activation makes after the ring was read changes the record
/// this activation writes next (the delta after its last, or the snapshot), so this activation's first save fails on its ETag
/// instead of writing over the other's history.
/// </remarks>
/// <typeparam name="TState">The grain's saved state: its snapshot.</typeparam>
/// <typeparam name="TDelta">What one save changed.</typeparam>
internal sealed class GrainJournal<TState, TDelta>
    where TState : class, IJournaledState
    where TDelta : class, IJournalDelta, new()
{
    /// <summary>How many deltas the ring holds (one of its turns is always a snapshot): a snapshot is written at least this often.</summary>
    public const int Slots = 64;

    private static readonly ConcurrentDictionary<string, string[]> SlotNames = new(StringComparer.Ordinal);

    private readonly IPersistentState<TState> _snapshot;
    private readonly string[] _slotNames;
    private readonly GrainState<TDelta>[] _slots = new GrainState<TDelta>[Slots];
    private IGrainStorage? _storage;
    private GrainId _grain;
    private long _sequence;
    private Guid _link;
    private bool _broken;

    /// <summary>Creates the journal of a grain.</summary>
    /// <param name="snapshot">The grain's persistent state (loaded by the runtime before the grain's activation runs).</param>
    /// <param name="slotPrefix">The state name of the ring's records, followed by the slot's number (<c>cell-log-</c>: <c>cell-log-0</c> .. <c>cell-log-63</c>).</param>
    public GrainJournal(IPersistentState<TState> snapshot, string slotPrefix)
    {
        _snapshot = snapshot;
        _slotNames = SlotNames.GetOrAdd(slotPrefix, static prefix =>
        {
            var names = new string[Slots];
            for (int i = 0; i < Slots; i++)
            {
                names[i] = prefix + i.ToString(CultureInfo.InvariantCulture);
            }

            return names;
        });
    }

    /// <summary>Whether a save of this activation failed: its timers and one-way calls stop, and every other call is refused.</summary>
    public bool IsBroken => _broken;

    /// <summary>How many deltas the last recovery replayed after the snapshot.</summary>
    public int Replayed { get; private set; }

    /// <summary>The number of the last save: the snapshot's, or the last delta's after it.</summary>
    public long Sequence => _sequence;

    /// <summary>The state name of the ring record holding the save numbered <paramref name="sequence"/>.</summary>
    public string SlotName(long sequence) => _slotNames[sequence % Slots];

    /// <summary>Throws when a save of this activation failed: what is in memory may never have been saved, so no call may use it.</summary>
    /// <exception cref="InvalidOperationException">A save failed; the grain is being deactivated.</exception>
    public void ThrowIfBroken()
    {
        if (_broken)
        {
            throw new InvalidOperationException($"Grain {_grain} failed to save its state and is being deactivated; the call was refused (call again: the next activation starts from what was saved).");
        }
    }

    /// <summary>
    /// Reads the ring and replays, in order, the deltas saved after the snapshot (call it when the grain activates, before it
    /// uses its state). It reads the snapshot again, which replaces the persistent state's <c>State</c> object: a grain must not
    /// keep a reference to it from before.
    /// </summary>
    /// <param name="services">The grain's services: the grain storage named <see cref="AlignmentOrleans.StorageName"/> is taken from them.</param>
    /// <param name="grain">The grain's id.</param>
    /// <param name="replay">Applies one delta to the state.</param>
    /// <param name="cancellationToken">The activation's token: cancels reading the snapshot again.</param>
    public async Task RecoverAsync(IServiceProvider services, GrainId grain, Action<TDelta> replay, CancellationToken cancellationToken)
    {
        _storage = services.GetRequiredKeyedService<IGrainStorage>(AlignmentOrleans.StorageName);
        _grain = grain;
        var reads = new Task[Slots];
        for (int i = 0; i < Slots; i++)
        {
            _slots[i] = new GrainState<TDelta>(new TDelta());
            reads[i] = _storage.ReadStateAsync(SlotName(i), grain, _slots[i]);
        }

        await Task.WhenAll(reads);

        // The snapshot again, after the ring (see the remarks): the one the runtime loaded may be older than the ring just read.
        await _snapshot.ReadStateAsync(cancellationToken);
        _sequence = _snapshot.State.JournalSequence;
        _link = _snapshot.State.JournalLink;
        Replayed = 0;
        while (_link != Guid.Empty)
        {
            var slot = _slots[(_sequence + 1) % Slots];
            if (!slot.RecordExists || slot.State is not { } delta || delta.Sequence != _sequence + 1 || delta.Previous != _link)
            {
                break;
            }

            replay(delta);
            _sequence = delta.Sequence;
            _link = delta.Link;
            Replayed++;
        }

        foreach (var slot in _slots)
        {
            // Only the ETags are needed from here on.
            slot.State = null!;
        }
    }

    /// <summary>
    /// Saves what changed: the delta <paramref name="changes"/> makes, or, on the snapshot's turn, the whole state (without
    /// calling it). After it returns, what is in memory is saved.
    /// </summary>
    /// <param name="changes">Makes the delta of what changed since the last save.</param>
    /// <param name="cancellationToken">Cancels the snapshot's write (the grain storage's own writes take no token).</param>
    /// <exception cref="InvalidOperationException">An earlier save of this activation failed: the grain is being deactivated.</exception>
    /// <remarks>A failed write is thrown as it is, and the journal refuses every later save: the caller deactivates the grain.</remarks>
    public async Task SaveAsync(Func<TDelta> changes, CancellationToken cancellationToken = default)
    {
        ThrowIfBroken();
        if (_storage is null)
        {
            throw new InvalidOperationException($"The journal of {typeof(TState).Name} was not recovered: call RecoverAsync when the grain activates.");
        }

        long sequence = _sequence + 1;
        var link = Guid.NewGuid();
        try
        {
            // The first save of a state no journal wrote yet (its link is empty) is a snapshot: no delta ever names an empty link,
            // so deltas left beside a snapshot that was written afresh (expired, deleted) are never replayed onto it.
            if (_link == Guid.Empty || sequence - _snapshot.State.JournalSequence >= Slots)
            {
                _snapshot.State.JournalSequence = sequence;
                _snapshot.State.JournalLink = link;
                await _snapshot.WriteStateAsync(cancellationToken);
            }
            else
            {
                var delta = changes();
                delta.Sequence = sequence;
                delta.Previous = _link;
                delta.Link = link;
                var slot = _slots[sequence % Slots];
                slot.State = delta;
                await _storage.WriteStateAsync(SlotName(sequence), _grain, slot);
                slot.State = null!;
            }
        }
        catch
        {
            _broken = true;
            throw;
        }

        _sequence = sequence;
        _link = link;
    }
}
