using System.Collections.Immutable;
using Alignment.Leads;

namespace Alignment.Scoring.Governance;

/// <summary>
/// Counts what one version's scores of leads would become under another: the groups of an <see cref="ImpactPreview"/>, built lead by
/// lead (offline by <see cref="ImpactPreview.Compute"/>, live by a challenger). Not thread-safe: callers lock.
/// </summary>
internal sealed class ImpactTally
{
    private const int GroupCount = 7;
    private readonly int[] _counts = new int[GroupCount];
    private readonly ImmutableArray<ImpactExample>.Builder[] _examples = new ImmutableArray<ImpactExample>.Builder[GroupCount];
    private readonly int _maxExamples;

    public ImpactTally(int maxExamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        _maxExamples = maxExamples;
        for (int g = 0; g < GroupCount; g++)
        {
            _examples[g] = ImmutableArray.CreateBuilder<ImpactExample>();
        }
    }

    public int Leads { get; private set; }

    public int MqlBefore { get; private set; }

    public int MqlAfter { get; private set; }

    /// <summary>Adds one lead's score under the current version (<paramref name="b"/>) and the proposed one (<paramref name="a"/>).</summary>
    public void Add(LeadId id, LeadScore b, LeadScore a)
    {
        Leads++;
        bool wasMql = b.State != QualificationState.NotQualified, isMql = a.State != QualificationState.NotQualified;
        MqlBefore += wasMql ? 1 : 0;
        MqlAfter += isMql ? 1 : 0;
        ImpactExample? example = null;
        if (!wasMql && isMql)
        {
            Group(0, id, b, a, ref example);
        }
        else if (wasMql && !isMql)
        {
            Group(1, id, b, a, ref example);
        }

        bool wasHot = b.State == QualificationState.Hot, isHot = a.State == QualificationState.Hot;
        if (!wasHot && isHot)
        {
            Group(2, id, b, a, ref example);
        }
        else if (wasHot && !isHot)
        {
            Group(3, id, b, a, ref example);
        }

        if (a.Grade > b.Grade)
        {
            Group(4, id, b, a, ref example);
        }
        else if (a.Grade < b.Grade)
        {
            Group(5, id, b, a, ref example);
        }

        if (a.TotalHundredths != b.TotalHundredths)
        {
            Group(6, id, b, a, ref example);
        }
    }

    /// <summary>Counts the lead in a group and keeps it as an example while the group has room (one example object per lead, made only when kept).</summary>
    private void Group(int group, LeadId id, LeadScore b, LeadScore a, ref ImpactExample? example)
    {
        _counts[group]++;
        if (_examples[group].Count < _maxExamples)
        {
            example ??= new ImpactExample(id, b.Total, a.Total, b.Grade, a.Grade, b.State, a.State);
            _examples[group].Add(example);
        }
    }

    /// <summary>The groups so far: newly MQL, no longer MQL, newly hot, no longer hot, grade up, grade down, score changed.</summary>
    public ImpactGroup[] Groups()
    {
        var groups = new ImpactGroup[GroupCount];
        for (int g = 0; g < GroupCount; g++)
        {
            groups[g] = new ImpactGroup(_counts[g], _examples[g].ToImmutable());
        }

        return groups;
    }
}
