namespace Alignment.Scoring.Predictive;

/// <content>Scoring: the naive Bayes formula over the tables, factor by factor. Callers hold the read lock.</content>
public sealed partial class PredictiveScorer
{
    /// <summary>The scoring formula. Caller holds the read lock. Returns the probability, or sets <paramref name="unscorable"/>.</summary>
    private double Compute(
        PredictiveRecord lead,
        int stage,
        List<PredictiveContribution>? explanation,
        out PredictiveBasis basis,
        out double priorWon,
        out double priorLost,
        out string? unscorable)
    {
        priorWon = 0;
        priorLost = 0;
        unscorable = null;
        if (stage < 0)
        {
            basis = PredictiveBasis.NoStage;
            return 0;
        }

        if (_stages[stage].IsWon)
        {
            basis = PredictiveBasis.WonStage;
            return 100;
        }

        var team = NoTeam;
        if (!IsBlank(lead.Team) && _teamIds.TryGetValue(lead.Team!, out var id) && _teamRowCounts[id] > 0)
        {
            team = id;
            basis = PredictiveBasis.Team;
        }
        else
        {
            basis = PredictiveBasis.Global;
        }

        // The prior: the won and lost counts of the first stage, which every closed lead with a stage went through.
        if (!TryGetRow(basis, team, StageField, 1, out priorWon, out priorLost) || !(priorWon > 0) || !(priorLost > 0))
        {
            unscorable = basis == PredictiveBasis.Team
                ? $"Team '{lead.Team}' has no won and lost history in the first stage '{_stages[0].Name}'."
                : $"There is no won and lost history in the first stage '{_stages[0].Name}'.";
            return 0;
        }

        var total = priorWon + priorLost;
        var won = priorWon / total;
        var lost = priorLost / total;
        ApplyFactor(basis, team, StageField, stage + 1, priorWon, priorLost, explanation, ref won, ref lost);

        var values = lead.Values;
        for (var i = 0; i < values.Length; i++)
        {
            var field = i + 1;
            var text = values[i];
            int value;
            if (!IsBlank(text))
            {
                if (!_valueIds[field].TryGetValue(text!, out value))
                {
                    continue; // never seen in a closed lead: no row
                }
            }
            else if (_missingAsValue[field])
            {
                value = MissingValue;
            }
            else
            {
                continue;
            }

            ApplyFieldFactor(basis, team, field, value, explanation, ref won, ref lost);
        }

        var tags = lead.Tags.IsDefault ? [] : lead.Tags;
        for (var i = 0; i < tags.Length; i++)
        {
            if (!IsBlank(tags[i]) && !IsRepeatedTag(tags, i) && _valueIds[_tagField].TryGetValue(tags[i], out var tag))
            {
                ApplyFieldFactor(basis, team, _tagField, tag, explanation, ref won, ref lost);
            }
        }

        return PredictiveMath.ToProbability(won, lost);
    }

    private void ApplyFieldFactor(
        PredictiveBasis basis, int team, int field, int value, List<PredictiveContribution>? explanation, ref double won, ref double lost)
    {
        CountSum totals;
        if (basis == PredictiveBasis.Team)
        {
            _teamTotals.TryGetValue(new TeamFieldKey(team, field), out totals);
        }
        else
        {
            totals = _globalTotals[field];
        }

        ApplyFactor(basis, team, field, value, totals.SmoothedWon, totals.SmoothedLost, explanation, ref won, ref lost);
    }

    private void ApplyFactor(
        PredictiveBasis basis,
        int team,
        int field,
        int value,
        double wonTotal,
        double lostTotal,
        List<PredictiveContribution>? explanation,
        ref double won,
        ref double lost)
    {
        if (!TryGetRow(basis, team, field, value, out var rowWon, out var rowLost) || !(wonTotal > 0) || !(lostTotal > 0))
        {
            return;
        }

        won *= rowWon / wonTotal;
        lost *= rowLost / lostTotal;
        explanation?.Add(new PredictiveContribution(
            KindOf(field), FieldName(field), _valueNames[field][value], rowWon, rowLost, wonTotal, lostTotal));
    }

    /// <summary>Reads a usable row (smoothed) from the team's rows or from the global view.</summary>
    private bool TryGetRow(PredictiveBasis basis, int team, int field, int value, out double won, out double lost)
    {
        if (basis == PredictiveBasis.Team)
        {
            if (_rows.TryGetValue(new RowKey(team, field, value), out var counts) && IsSupported(field, counts))
            {
                won = counts.Won + PredictiveMath.Smoothing;
                lost = counts.Lost + PredictiveMath.Smoothing;
                return true;
            }
        }
        else if (_globalRows.TryGetValue(new ValueKey(field, value), out var sum) && sum.Rows > 0)
        {
            won = sum.SmoothedWon;
            lost = sum.SmoothedLost;
            return true;
        }

        won = 0;
        lost = 0;
        return false;
    }
}
