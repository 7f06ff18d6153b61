namespace Alignment.Segmentation.Collateral;

/// <summary>The checks every <see cref="IContentStore"/> makes before it writes, so every backend refuses the same input.</summary>
public static class ContentStoreRules
{
    /// <summary>Checks an item: id, title and owner given, at least one segment, revision at least 1, history not default.</summary>
    /// <param name="item">The item.</param>
    /// <param name="paramName">The argument's name, for the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    /// <exception cref="ArgumentException">The item is invalid; the message names the item and the field.</exception>
    public static void Validate(CollateralItem item, string paramName)
    {
        ArgumentNullException.ThrowIfNull(item, paramName);
        if (string.IsNullOrWhiteSpace(item.Id) || string.IsNullOrWhiteSpace(item.Title) || string.IsNullOrWhiteSpace(item.Owner))
        {
            throw new ArgumentException("A collateral item needs an id, a title and an owner.", paramName);
        }

        if (item.Segments.IsDefaultOrEmpty || item.Revision < 1 || item.History.IsDefault)
        {
            throw new ArgumentException($"Collateral item '{item.Id}' needs at least one segment, a revision from 1 and a history.", paramName);
        }
    }

    /// <summary>Checks a usage: item and deal ids given, a rating (when given) from 1 to 5.</summary>
    /// <param name="usage">The usage.</param>
    /// <param name="paramName">The argument's name, for the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is null.</exception>
    /// <exception cref="ArgumentException">The usage is invalid.</exception>
    public static void Validate(CollateralUsage usage, string paramName)
    {
        ArgumentNullException.ThrowIfNull(usage, paramName);
        if (string.IsNullOrWhiteSpace(usage.ItemId) || string.IsNullOrWhiteSpace(usage.DealId) || string.IsNullOrWhiteSpace(usage.Rep.Value))
        {
            throw new ArgumentException("A collateral usage needs an item id, a rep and a deal id.", paramName);
        }

        if (usage.Rating is < 1 or > 5)
        {
            throw new ArgumentException($"The rating must be from 1 to 5 (was {usage.Rating}).", paramName);
        }
    }

    /// <summary>Checks a suggestion: id, rep and text given.</summary>
    /// <param name="suggestion">The suggestion.</param>
    /// <param name="paramName">The argument's name, for the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="suggestion"/> is null.</exception>
    /// <exception cref="ArgumentException">The suggestion is invalid.</exception>
    public static void Validate(ContentSuggestion suggestion, string paramName)
    {
        ArgumentNullException.ThrowIfNull(suggestion, paramName);
        if (string.IsNullOrWhiteSpace(suggestion.Id) || string.IsNullOrWhiteSpace(suggestion.Rep.Value) || string.IsNullOrWhiteSpace(suggestion.Text))
        {
            throw new ArgumentException("A content suggestion needs an id, a rep and a text.", paramName);
        }
    }
}
