using System.ComponentModel.DataAnnotations;

namespace Alignment.Scoring.Predictive;

/// <summary>Which lead fields the predictive scorer counts, and how.</summary>
/// <remarks>
/// The stage and the team are always used and are not listed here: the team selects the frequency table, the stage is a
/// factor of its own. Tags are used whenever records carry them.
/// </remarks>
public sealed class PredictiveScoringOptions
{
    /// <summary>Gets or sets the names of the fields counted besides stage and team, in the order of <see cref="PredictiveRecord.Values"/>.</summary>
    /// <value>Empty by default. Names must be non-empty and distinct (ordinal comparison).</value>
#pragma warning disable CA2227 // Options classes are plain settable classes (see the style guide).
    public IList<string> Fields { get; set; } = [];

    /// <summary>
    /// Gets or sets the fields (a subset of <see cref="Fields"/>) for which an unset value is a value of its own
    /// (counted and scored like any other value), as Odoo does for email and phone quality.
    /// </summary>
    /// <value>Empty by default.</value>
    public IList<string> MissingAsValueFields { get; set; } = [];
#pragma warning restore CA2227

    /// <summary>
    /// Gets or sets the support a tag row needs before it counts: rows whose smoothed won + lost is below this value are ignored
    /// when scoring.
    /// </summary>
    /// <value>50 by default, as in Odoo. Must be zero or more.</value>
    [Range(0d, double.MaxValue)]
    public double TagSupportThreshold { get; set; } = 50;
}
