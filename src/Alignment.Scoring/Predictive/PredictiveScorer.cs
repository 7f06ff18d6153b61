using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Alignment.Scoring.Predictive;

/// <summary>
/// Win probability of open leads from a naive Bayes model over won/lost frequency tables per (team, field, value), the method of
/// Odoo CRM's predictive lead scoring. It learns from tens of leads and trains incrementally: <see cref="AddOutcome"/> updates the
/// tables in time proportional to the lead's stages, fields and tags, and the result equals a full <see cref="Rebuild"/>.
/// </summary>
/// <remarks>
/// <para>The formula, smoothing, clamping, tag support rule and global view are documented in <c>docs/predictive-scoring.md</c>.</para>
/// <para>
/// Thread safety: every member is safe to call concurrently. Training (<see cref="AddOutcome"/>, <see cref="Rebuild"/>) takes an
/// exclusive lock; scoring and reading the tables take a shared lock, so a score always sees the tables before or after a whole
/// outcome, never half of one, and many threads can score at once.
/// </para>
/// </remarks>
public sealed class PredictiveScorer : IDisposable
{
    private const int StageField = 0;
    private const int MissingValue = 0;
    private const int NoTeam = 0;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly ImmutableArray<PipelineStage> _stages; // by sequence, then input order
    private readonly Dictionary<string, int> _stageIndex = new(StringComparer.Ordinal);
    private readonly ImmutableArray<string> _fields;
    private readonly bool[] _missingAsValue; // per field id (stage and tag: false)
    private readonly int _tagField;
    private readonly double _tagSupportThreshold;

    // Interning: team 0 is the "no team" bucket; value 0 of every field is "unset"; stage value v is _stages[v - 1].
    private readonly Dictionary<string, int> _teamIds = new(StringComparer.Ordinal);
    private readonly List<string?> _teamNames = [];
    private readonly List<int> _teamRowCounts = [];
    private readonly Dictionary<string, int>[] _valueIds;
    private readonly List<string?>[] _valueNames;

    // The tables: raw counts per row, and sums over supported rows (rows a score may use) per team/field, per global value and per field.
    private readonly Dictionary<RowKey, RowCounts> _rows = [];
    private readonly Dictionary<TeamFieldKey, CountSum> _teamTotals = [];
    private readonly Dictionary<ValueKey, CountSum> _globalRows = [];
    private readonly CountSum[] _globalTotals;
    private long _outcomeCount;

    /// <summary>Creates an untrained scorer.</summary>
    /// <param name="stages">The pipeline stages; at least one, with distinct names. The first stage is the one with the lowest sequence (the earliest listed on ties).</param>
    /// <param name="options">The fields to count; copied, so later changes to it have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stages"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stages"/> is empty, has an empty or duplicate name.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; the message lists every problem.</exception>
    public PredictiveScorer(IEnumerable<PipelineStage> stages, PredictiveScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(options);
        var validation = new PredictiveScoringOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(PredictiveScoringOptions), typeof(PredictiveScoringOptions), validation.Failures);
        }

        var stageList = new List<PipelineStage>();
        foreach (var stage in stages)
        {
            ArgumentNullException.ThrowIfNull(stage, nameof(stages));
            if (string.IsNullOrEmpty(stage.Name))
            {
                throw new ArgumentException($"Stage {stageList.Count} has an empty name.", nameof(stages));
            }

            stageList.Add(stage);
        }

        if (stageList.Count == 0)
        {
            throw new ArgumentException("At least one stage is required.", nameof(stages));
        }

        var ordered = new PipelineStage[stageList.Count];
        stageList.CopyTo(ordered);
        var order = new int[ordered.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // A stable sort by sequence: ties keep the order the stages were given in.
        Array.Sort(order, (a, b) => ordered[a].Sequence != ordered[b].Sequence ? ordered[a].Sequence.CompareTo(ordered[b].Sequence) : a.CompareTo(b));
        var sorted = ImmutableArray.CreateBuilder<PipelineStage>(ordered.Length);
        foreach (var i in order)
        {
            sorted.Add(ordered[i]);
        }

        _stages = sorted.MoveToImmutable();
        for (var i = 0; i < _stages.Length; i++)
        {
            if (!_stageIndex.TryAdd(_stages[i].Name, i))
            {
                throw new ArgumentException($"Stage '{_stages[i].Name}' is listed more than once.", nameof(stages));
            }
        }

        _fields = [.. options.Fields];
        _tagField = _fields.Length + 1;
        _tagSupportThreshold = options.TagSupportThreshold;
        var fieldCount = _fields.Length + 2;
        _missingAsValue = new bool[fieldCount];
        for (var i = 0; i < _fields.Length; i++)
        {
            _missingAsValue[i + 1] = options.MissingAsValueFields.Contains(_fields[i]);
        }

        _valueIds = new Dictionary<string, int>[fieldCount];
        _valueNames = new List<string?>[fieldCount];
        _globalTotals = new CountSum[fieldCount];
        ResetInterning();
    }

    /// <summary>Gets the pipeline stages ordered by sequence (the first one gives the prior).</summary>
    public ImmutableArray<PipelineStage> Stages => _stages;

    /// <summary>Gets the fields counted besides stage, team and tags, in the order of <see cref="PredictiveRecord.Values"/>.</summary>
    public ImmutableArray<string> Fields => _fields;

    /// <summary>Gets the number of won and lost leads counted so far.</summary>
    public long OutcomeCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _outcomeCount;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Counts one closed lead in the frequency tables, updating them in place (no rebuild).</summary>
    /// <param name="outcome">A won or lost lead.</param>
    /// <exception cref="ArgumentNullException"><paramref name="outcome"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The lead is open, its stage is not one of <see cref="Stages"/>, or it has a different number of values than <see cref="Fields"/>.
    /// </exception>
    public void AddOutcome(PredictiveRecord outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Outcome is not (LeadOutcome.Won or LeadOutcome.Lost))
        {
            throw new ArgumentException($"Lead '{outcome.Id}' is {outcome.Outcome}: only won or lost leads are counted.", nameof(outcome));
        }

        var stage = CheckRecord(outcome, nameof(outcome));
        _lock.EnterWriteLock();
        try
        {
            Count(outcome, stage, maintainSums: true);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Replaces the tables with ones built from scratch from <paramref name="history"/>: closed leads are counted, open leads skipped.
    /// </summary>
    /// <param name="history">The history; enumerated once. On an exception the scorer is left empty.</param>
    /// <returns>The number of closed leads counted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> or one of its records is null.</exception>
    /// <exception cref="ArgumentException">A record has an unknown stage or the wrong number of values.</exception>
    public long Rebuild(IEnumerable<PredictiveRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        _lock.EnterWriteLock();
        try
        {
            Clear();
            try
            {
                foreach (var record in history)
                {
                    ArgumentNullException.ThrowIfNull(record, nameof(history));
                    if (record.Outcome is LeadOutcome.Won or LeadOutcome.Lost)
                    {
                        Count(record, CheckRecord(record, nameof(history)), maintainSums: false);
                    }
                }
            }
            catch
            {
                Clear();
                throw;
            }

            // One pass over the rows computes every sum the incremental path maintains as it goes.
            foreach (var (key, counts) in _rows)
            {
                if (IsSupported(key.Field, counts))
                {
                    AddToSums(key.Team, key.Field, key.Value, counts.Won, counts.Lost, rows: 1);
                }
            }

            return _outcomeCount;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Scores an open lead and explains the result factor by factor.</summary>
    /// <param name="lead">The lead; its <see cref="PredictiveRecord.Outcome"/> is ignored.</param>
    /// <returns>The probability with its contributions, or <see cref="PredictiveScore.Unscorable"/> when there is no usable history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    /// <exception cref="ArgumentException">The lead's stage is not one of <see cref="Stages"/>, or it has the wrong number of values.</exception>
    public PredictiveScore Score(PredictiveRecord lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var stage = CheckRecord(lead, nameof(lead));
        var contributions = new List<PredictiveContribution>();
        _lock.EnterReadLock();
        try
        {
            var result = Compute(lead, stage, contributions, out var basis, out var priorWon, out var priorLost, out var reason);
            return reason is not null
                ? new PredictiveScore.Unscorable(reason)
                : new PredictiveScore.Scored(result, basis, priorWon, priorLost, [.. contributions]);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Scores an open lead without building an explanation (no allocation).</summary>
    /// <param name="lead">The lead; its <see cref="PredictiveRecord.Outcome"/> is ignored.</param>
    /// <param name="probability">The probability in percent, as <see cref="PredictiveScore.Scored.Probability"/>; 0 when unscorable.</param>
    /// <returns><see langword="false"/> when the lead cannot be scored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    /// <exception cref="ArgumentException">The lead's stage is not one of <see cref="Stages"/>, or it has the wrong number of values.</exception>
    public bool TryScore(PredictiveRecord lead, out double probability)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var stage = CheckRecord(lead, nameof(lead));
        _lock.EnterReadLock();
        try
        {
            probability = Compute(lead, stage, null, out _, out _, out _, out var reason);
            return reason is null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Returns every row of the frequency tables, smoothed, ordered by team (no team first), kind, field and value.</summary>
    /// <returns>A copy of the tables, for inspection and export.</returns>
    public ImmutableArray<PredictiveFrequencyRow> GetRows()
    {
        _lock.EnterReadLock();
        try
        {
            var rows = new List<(RowKey Key, RowCounts Counts)>(_rows.Count);
            foreach (var (key, counts) in _rows)
            {
                rows.Add((key, counts));
            }

            rows.Sort((a, b) =>
            {
                var byTeam = string.CompareOrdinal(_teamNames[a.Key.Team], _teamNames[b.Key.Team]);
                if (byTeam != 0)
                {
                    return byTeam;
                }

                return a.Key.Field != b.Key.Field
                    ? a.Key.Field.CompareTo(b.Key.Field)
                    : string.CompareOrdinal(_valueNames[a.Key.Field][a.Key.Value], _valueNames[b.Key.Field][b.Key.Value]);
            });
            var builder = ImmutableArray.CreateBuilder<PredictiveFrequencyRow>(rows.Count);
            foreach (var (key, counts) in rows)
            {
                builder.Add(new PredictiveFrequencyRow(
                    _teamNames[key.Team],
                    KindOf(key.Field),
                    FieldName(key.Field),
                    _valueNames[key.Field][key.Value],
                    counts.Won + PredictiveMath.Smoothing,
                    counts.Lost + PredictiveMath.Smoothing));
            }

            return builder.MoveToImmutable();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private static bool IsBlank(string? value) => string.IsNullOrEmpty(value);

    private PredictiveFactorKind KindOf(int field)
        => field == StageField ? PredictiveFactorKind.Stage : field == _tagField ? PredictiveFactorKind.Tag : PredictiveFactorKind.Field;

    private string FieldName(int field) => field == StageField ? "stage" : field == _tagField ? "tag" : _fields[field - 1];

    /// <summary>Checks the parts of a record that do not depend on the tables; returns its stage index or -1 without a stage.</summary>
    private int CheckRecord(PredictiveRecord record, string parameterName)
    {
        if (record.Values.IsDefault || record.Values.Length != _fields.Length)
        {
            var count = record.Values.IsDefault ? 0 : record.Values.Length;
            throw new ArgumentException($"Lead '{record.Id}' has {count} values but the scorer counts {_fields.Length} fields.", parameterName);
        }

        if (IsBlank(record.Stage))
        {
            return -1;
        }

        return _stageIndex.TryGetValue(record.Stage!, out var stage)
            ? stage
            : throw new ArgumentException($"Lead '{record.Id}' is in stage '{record.Stage}', which is not a known stage.", parameterName);
    }

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
