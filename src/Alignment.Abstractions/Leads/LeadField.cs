using Alignment.Scoring;

namespace Alignment.Leads;

/// <summary>
/// One field of the <see cref="LeadFields"/> catalogue: the name every model document uses for it (scoring conditions, segment
/// conditions, routing matches), its type and where its value comes from. Engines resolve a name to its field once, when a model is
/// loaded; nothing is looked up by name while a lead is evaluated.
/// </summary>
/// <remarks>Immutable and thread-safe. The catalogue's instances are the only ones; compare them by reference or by <see cref="Name"/>.</remarks>
public sealed class LeadField
{
    private readonly Func<Lead, string?>? _text;
    private readonly Func<Lead, decimal?>? _number;
    private readonly Func<ScoreCard, decimal>? _scoreNumber;

    private LeadField(string name, LeadFieldKind kind, LeadFieldSource source, string description,
        Func<Lead, string?>? text, Func<Lead, decimal?>? number, Func<ScoreCard, decimal>? scoreNumber)
    {
        Name = name;
        Kind = kind;
        Source = source;
        Description = description;
        _text = text;
        _number = number;
        _scoreNumber = scoreNumber;
    }

    /// <summary>The field's name in model documents, such as <c>company.employeeCount</c>.</summary>
    public string Name { get; }

    /// <summary>The field's type.</summary>
    public LeadFieldKind Kind { get; }

    /// <summary>Where the field's value comes from.</summary>
    public LeadFieldSource Source { get; }

    /// <summary>One sentence saying what the field holds, as docs/data-formats.md lists it.</summary>
    public string Description { get; }

    /// <summary>Reads a <see cref="LeadFieldKind.Text"/> field of the lead itself.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The value, or <see langword="null"/> when the lead does not have it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The field is not a text field of <see cref="LeadFieldSource.Lead"/>.</exception>
    public string? ReadText(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return _text is null ? throw NotA("a text field of the lead") : _text(lead);
    }

    /// <summary>Reads a <see cref="LeadFieldKind.Number"/> field of the lead itself.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The value, or <see langword="null"/> when the lead does not have it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The field is not a number field of <see cref="LeadFieldSource.Lead"/>.</exception>
    public decimal? ReadNumber(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return _number is null ? throw NotA("a number field of the lead") : _number(lead);
    }

    /// <summary>Reads a <see cref="LeadFieldKind.Number"/> field of a score card (<c>score.total</c>, <c>score.fit</c>, <c>score.engagement</c>).</summary>
    /// <param name="score">The lead's score card.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="score"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The field is not a number field of <see cref="LeadFieldSource.Score"/>.</exception>
    public decimal ReadNumber(ScoreCard score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return _scoreNumber is null ? throw NotA("a number field of the score card") : _scoreNumber(score);
    }

    /// <summary>Returns <see cref="Name"/>.</summary>
    /// <returns>The field's name.</returns>
    public override string ToString() => Name;

    internal static LeadField Text(string name, string description, Func<Lead, string?> read) =>
        new(name, LeadFieldKind.Text, LeadFieldSource.Lead, description, read, null, null);

    internal static LeadField Number(string name, string description, Func<Lead, decimal?> read) =>
        new(name, LeadFieldKind.Number, LeadFieldSource.Lead, description, null, read, null);

    internal static LeadField ScoreNumber(string name, string description, Func<ScoreCard, decimal> read) =>
        new(name, LeadFieldKind.Number, LeadFieldSource.Score, description, null, null, read);

    internal static LeadField Other(string name, LeadFieldKind kind, LeadFieldSource source, string description) =>
        new(name, kind, source, description, null, null, null);

    private InvalidOperationException NotA(string what) => new($"The field '{Name}' is not {what} ({Kind} of {Source}).");
}
