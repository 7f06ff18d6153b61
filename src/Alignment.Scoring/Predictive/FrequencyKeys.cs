namespace Alignment.Scoring.Predictive;

/// <summary>A (team, field, value) frequency row key; every part is an interned id.</summary>
internal readonly struct RowKey(int team, int field, int value) : IEquatable<RowKey>
{
    public int Team { get; } = team;

    public int Field { get; } = field;

    public int Value { get; } = value;

    public bool Equals(RowKey other) => Team == other.Team && Field == other.Field && Value == other.Value;

    public override bool Equals(object? obj) => obj is RowKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Team, Field, Value);
}

/// <summary>A (field, value) key of the global view; both parts are interned ids.</summary>
internal readonly struct ValueKey(int field, int value) : IEquatable<ValueKey>
{
    public int Field { get; } = field;

    public int Value { get; } = value;

    public bool Equals(ValueKey other) => Field == other.Field && Value == other.Value;

    public override bool Equals(object? obj) => obj is ValueKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Field, Value);
}

/// <summary>A (team, field) key of the per-team field totals; both parts are interned ids.</summary>
internal readonly struct TeamFieldKey(int team, int field) : IEquatable<TeamFieldKey>
{
    public int Team { get; } = team;

    public int Field { get; } = field;

    public bool Equals(TeamFieldKey other) => Team == other.Team && Field == other.Field;

    public override bool Equals(object? obj) => obj is TeamFieldKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Team, Field);
}

/// <summary>The raw (unsmoothed) won and lost counts of one row.</summary>
internal struct RowCounts
{
    public int Won;
    public int Lost;
}

/// <summary>
/// A sum of raw counts over <see cref="Rows"/> rows; its smoothed value is <c>Won + 0.1 * Rows</c> (each row carries +0.1).
/// </summary>
internal struct CountSum
{
    public long Won;
    public long Lost;
    public int Rows;

    public readonly double SmoothedWon => Won + (PredictiveMath.Smoothing * Rows);

    public readonly double SmoothedLost => Lost + (PredictiveMath.Smoothing * Rows);
}
