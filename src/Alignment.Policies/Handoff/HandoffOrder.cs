namespace Alignment.Policies.Handoff;

/// <summary>The orders the routing stores list handoffs in, shared so that every store lists them alike.</summary>
internal static class HandoffOrder
{
    /// <summary>Earliest service-level due time first, then by lead id (ordinal): the order of the handoffs awaiting a first touch.</summary>
    public static readonly Comparison<HandoffAssignment> FirstDue = static (x, y) =>
    {
        int c = Nullable.Compare(x.SlaDueAt, y.SlaDueAt);
        return c != 0 ? c : string.CompareOrdinal(x.LeadId.Value, y.LeadId.Value);
    };

    /// <summary>Earliest service-level due time first (none last), then oldest decision first, then by lead id (ordinal).</summary>
    public static readonly Comparison<HandoffAssignment> OpenFirstDue = static (x, y) =>
    {
        int c = (x.SlaDueAt, y.SlaDueAt) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            var (a, b) => a.Value.CompareTo(b.Value),
        };
        if (c == 0)
        {
            c = x.DecidedAt.CompareTo(y.DecidedAt);
        }

        return c != 0 ? c : string.CompareOrdinal(x.LeadId.Value, y.LeadId.Value);
    };
}
