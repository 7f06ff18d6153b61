using System.Collections.Immutable;
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
public sealed partial class PredictiveScorer : IDisposable
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
}
