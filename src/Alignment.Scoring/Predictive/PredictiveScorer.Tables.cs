using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Alignment.Scoring.Predictive;

/// <content>Training: interning of teams and values, the raw counts per row, and the sums over supported rows.</content>
public sealed partial class PredictiveScorer
{
    private void ResetInterning()
    {
        _teamIds.Clear();
        _teamNames.Clear();
        _teamRowCounts.Clear();
        _teamNames.Add(null);
        _teamRowCounts.Add(0);
        for (var field = 0; field < _valueIds.Length; field++)
        {
            _valueIds[field] = new Dictionary<string, int>(StringComparer.Ordinal);
            _valueNames[field] = [null];
        }

        foreach (var stage in _stages)
        {
            _valueIds[StageField].Add(stage.Name, _valueNames[StageField].Count);
            _valueNames[StageField].Add(stage.Name);
        }
    }

    private void Clear()
    {
        _rows.Clear();
        _teamTotals.Clear();
        _globalRows.Clear();
        Array.Clear(_globalTotals);
        _outcomeCount = 0;
        ResetInterning();
    }

    private int InternTeam(string? team)
    {
        if (IsBlank(team))
        {
            return NoTeam;
        }

        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_teamIds, team!, out var exists);
        if (!exists)
        {
            id = _teamNames.Count;
            _teamNames.Add(team);
            _teamRowCounts.Add(0);
        }

        return id;
    }

    private int InternValue(int field, string value)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_valueIds[field], value, out var exists);
        if (!exists)
        {
            id = _valueNames[field].Count;
            _valueNames[field].Add(value);
        }

        return id;
    }

    /// <summary>Adds one closed lead to the raw counts (and to the sums when <paramref name="maintainSums"/>). Caller holds the write lock.</summary>
    private void Count(PredictiveRecord record, int stage, bool maintainSums)
    {
        var team = InternTeam(record.Team);
        var won = record.Outcome == LeadOutcome.Won ? 1 : 0;
        var lost = 1 - won;
        if (stage >= 0)
        {
            // A won lead went through every stage; a lost lead through every stage up to (by sequence) the one it was lost in.
            var lastSequence = _stages[stage].Sequence;
            for (var s = 0; s < _stages.Length; s++)
            {
                if (won == 1 || _stages[s].Sequence <= lastSequence)
                {
                    Increment(new RowKey(team, StageField, s + 1), won, lost, maintainSums);
                }
            }
        }

        var values = record.Values;
        for (var i = 0; i < values.Length; i++)
        {
            var field = i + 1;
            var value = values[i];
            if (!IsBlank(value))
            {
                Increment(new RowKey(team, field, InternValue(field, value!)), won, lost, maintainSums);
            }
            else if (_missingAsValue[field])
            {
                Increment(new RowKey(team, field, MissingValue), won, lost, maintainSums);
            }
        }

        var tags = record.Tags.IsDefault ? [] : record.Tags;
        for (var i = 0; i < tags.Length; i++)
        {
            if (!IsBlank(tags[i]) && !IsRepeatedTag(tags, i))
            {
                Increment(new RowKey(team, _tagField, InternValue(_tagField, tags[i])), won, lost, maintainSums);
            }
        }

        _outcomeCount++;
    }

    private static bool IsRepeatedTag(ImmutableArray<string> tags, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(tags[j], tags[index], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void Increment(RowKey key, int won, int lost, bool maintainSums)
    {
        ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_rows, key, out var exists);
        if (!exists)
        {
            _teamRowCounts[key.Team]++;
        }

        var wasSupported = exists && IsSupported(key.Field, counts);
        counts.Won += won;
        counts.Lost += lost;
        if (!maintainSums)
        {
            return;
        }

        if (wasSupported)
        {
            AddToSums(key.Team, key.Field, key.Value, won, lost, rows: 0);
        }
        else if (IsSupported(key.Field, counts))
        {
            // A new row, or a tag row that just reached its support: it enters the sums with everything it holds.
            AddToSums(key.Team, key.Field, key.Value, counts.Won, counts.Lost, rows: 1);
        }
    }

    /// <summary>Whether a row may be used by a score: every row except tag rows whose smoothed won + lost is below the threshold.</summary>
    private bool IsSupported(int field, RowCounts counts)
        => field != _tagField
           || (counts.Won + PredictiveMath.Smoothing) + (counts.Lost + PredictiveMath.Smoothing) >= _tagSupportThreshold;

    private void AddToSums(int team, int field, int value, long won, long lost, int rows)
    {
        ref var teamTotal = ref CollectionsMarshal.GetValueRefOrAddDefault(_teamTotals, new TeamFieldKey(team, field), out _);
        Add(ref teamTotal, won, lost, rows);
        ref var globalRow = ref CollectionsMarshal.GetValueRefOrAddDefault(_globalRows, new ValueKey(field, value), out _);
        Add(ref globalRow, won, lost, rows);
        Add(ref _globalTotals[field], won, lost, rows);

        static void Add(ref CountSum sum, long won, long lost, int rows)
        {
            sum.Won += won;
            sum.Lost += lost;
            sum.Rows += rows;
        }
    }
}
