namespace Alignment.Policies.Handoff;

/// <summary>
/// The explanation buffer of one routing decision: the candidates passed over and why. Notes beyond the buffer are counted but not
/// kept. A stack-only view over the caller's span, so writing a note allocates nothing.
/// </summary>
internal ref struct RouteNotes
{
    private readonly Span<CandidateNote> _buffer;

    /// <summary>Creates an empty set of notes over a buffer.</summary>
    /// <param name="buffer">Where the notes go; may be empty.</param>
    public RouteNotes(Span<CandidateNote> buffer) => _buffer = buffer;

    /// <summary>How many notes the buffer holds.</summary>
    public int Count { get; private set; }

    /// <summary>How many candidates (reps or rules) were passed over, including those the buffer had no room for.</summary>
    public int Passed { get; private set; }

    /// <summary>Records a passed-over candidate.</summary>
    /// <param name="note">The candidate and the reason.</param>
    public void Add(CandidateNote note)
    {
        if (Count < _buffer.Length)
        {
            _buffer[Count++] = note;
        }

        Passed++;
    }
}
