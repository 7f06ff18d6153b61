using System.Collections.Immutable;
using Alignment.Activities;

namespace Alignment.Leads.Import;

/// <summary>
/// How to read a CRM's export as our CSV formats: which of its headers is which of our columns (<see cref="CrmColumns"/>), values for
/// columns it lacks, its activity type and stage names, and how it writes dates and numbers. A preset (<see cref="CrmPresets"/>) is one;
/// a mapping file (<see cref="CrmMappingJson"/>) is another, possibly extending a preset.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Every dictionary compares keys case-insensitively; header names are trimmed before they are looked up. A
/// header that is not in <see cref="Columns"/> is read by its own name, so a file in our own format needs no mapping. Record
/// equality compares the dictionaries and the format list by reference, not by content.
/// </remarks>
public sealed record CrmMapping
{
    /// <summary>The mapping's name, such as <c>salesforce</c>; used in messages.</summary>
    /// <value>Default: <c>custom</c>.</value>
    public string Name { get; init; } = "custom";

    /// <summary>What the mapping is for, in one sentence (the exports a preset reads).</summary>
    /// <value>Default: empty.</value>
    public string Description { get; init; } = string.Empty;

    /// <summary>
    /// Their header → our column (<see cref="CrmColumns"/>, or a custom attribute's name). An empty target means the column is ignored.
    /// Several headers may map to one column (label and API name); a file that has two of them is refused.
    /// </summary>
    /// <value>Default: empty.</value>
    public ImmutableDictionary<string, string> Columns { get; init; } = ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Our column → the value every record has when the file has no column for it (for example <c>source</c> → <c>trade-show</c>).</summary>
    /// <value>Default: empty.</value>
    public ImmutableDictionary<string, string> Constants { get; init; } = ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Their activity type name → ours. Our own names (<c>demoRequested</c>, …) are always understood as well.</summary>
    /// <value>Default: empty.</value>
    public ImmutableDictionary<string, ActivityType> ActivityTypes { get; init; } = ImmutableDictionary.Create<string, ActivityType>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Their stage or status name → our outcome (<c>won</c>, <c>lost</c>, <c>disqualified</c> or <c>open</c>, see
    /// <see cref="CrmColumns.Outcomes"/>). Our own names are always understood as well.
    /// </summary>
    /// <value>Default: empty.</value>
    public ImmutableDictionary<string, string> Outcomes { get; init; } = ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The .NET date formats the export writes instants in (for example <c>M/d/yyyy h:mm tt</c>), tried in order after ISO 8601.
    /// Empty: ISO 8601 only, or the short date and time patterns of <see cref="Culture"/> when one is given.
    /// </summary>
    /// <value>Default: empty.</value>
    public ImmutableArray<string> DateFormats { get; init; } = [];

    /// <summary>The culture the export writes dates and numbers in, such as <c>en-US</c> or <c>de-DE</c>; <see langword="null"/> for none said.</summary>
    /// <value>Default: <see langword="null"/>: ISO dates and invariant numbers; an ambiguous value is refused.</value>
    public string? Culture { get; init; }

    /// <summary>
    /// The time zone (IANA or Windows id, such as <c>Europe/Berlin</c> or <c>UTC</c>) of the export's instants that have no UTC offset;
    /// <see langword="null"/> for none said: such instants are then refused, never guessed.
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? TimeZone { get; init; }

    /// <summary>Our column for one of the file's headers.</summary>
    /// <param name="header">The header as written.</param>
    /// <returns>Our column (a custom attribute's bare name for <c>attributes.x</c>), the header itself when the mapping does not name it, or empty when the mapping ignores it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="header"/> is <see langword="null"/>.</exception>
    public string Resolve(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        string name = header.Trim();
        if (!Columns.TryGetValue(name, out var target))
        {
            return name;
        }

        return target.Length == 0 ? string.Empty : CrmColumns.TryNormalize(target, out var canonical) ? canonical : target;
    }

    /// <summary>Whether the mapping names a header (as a column of ours or to be ignored).</summary>
    /// <param name="header">The header as written.</param>
    /// <returns><see langword="true"/> when <see cref="Columns"/> has it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="header"/> is <see langword="null"/>.</exception>
    public bool Maps(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Columns.ContainsKey(header.Trim());
    }

    /// <summary>This mapping with another laid over it: the other's entries win, its culture, formats and time zone win when it sets them.</summary>
    /// <param name="other">The mapping on top (for example a mapping file over the preset it extends).</param>
    /// <returns>The combined mapping, named after <paramref name="other"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public CrmMapping With(CrmMapping other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new CrmMapping
        {
            Name = other.Name,
            Description = other.Description.Length > 0 ? other.Description : Description,
            Columns = Columns.SetItems(other.Columns),
            Constants = Constants.SetItems(other.Constants),
            ActivityTypes = ActivityTypes.SetItems(other.ActivityTypes),
            Outcomes = Outcomes.SetItems(other.Outcomes),
            DateFormats = other.DateFormats.IsDefaultOrEmpty ? DateFormats : other.DateFormats,
            Culture = other.Culture ?? Culture,
            TimeZone = other.TimeZone ?? TimeZone,
        };
    }
}
