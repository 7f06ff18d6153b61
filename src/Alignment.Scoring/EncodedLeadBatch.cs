using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>
/// Leads encoded once in a compiled model's batch format (numbers, symbol ids and precomputed text tests in one flat array),
/// for hosts whose lead attributes change rarely while leads are rescored often. Create with <see cref="ScoringModel.Encode"/>;
/// valid only with the model that created it.
/// </summary>
/// <remarks>Immutable and thread-safe once created.</remarks>
public sealed class EncodedLeadBatch
{
    internal EncodedLeadBatch(object owner, LeadId[] ids, Lead[] leads, double[] data, int stride)
    {
        Owner = owner;
        Ids = ids;
        Leads = leads;
        Data = data;
        Stride = stride;
    }

    /// <summary>The number of leads.</summary>
    public int Count => Ids.Length;

    /// <summary>The id of the lead at an index.</summary>
    /// <param name="index">The index, as given to <see cref="ScoringModel.Encode"/>.</param>
    /// <returns>The lead's id.</returns>
    public LeadId GetLeadId(int index) => Ids[index];

    internal object Owner { get; }

    internal LeadId[] Ids { get; }

    internal Lead[] Leads { get; }

    internal double[] Data { get; }

    internal int Stride { get; }
}
