using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Alignment.Leads.Import;

/// <summary>
/// Reads the dates and numbers of a CRM export as its <see cref="CrmMapping"/> says it writes them: ISO 8601 always; then the
/// mapping's date formats, else its culture's; numbers with the culture's grouping and decimal separator, with a currency symbol or
/// ISO 4217 code before or after. A value that could be read two ways (<c>3/1/2026</c>: March or January; <c>1,250</c>: a thousand or
/// one and a quarter) is refused unless a culture or format says which, and an instant without a UTC offset is refused unless a time
/// zone is given (or, for ISO 8601 outside an import, taken as UTC as our own format says): never guessed.
/// </summary>
/// <remarks>Immutable and thread-safe. The problems it reports are sentences without the place; the caller adds file, line and column.</remarks>
public sealed partial class CrmValueReader
{
    private static readonly string[] IsoWithOffset = ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK"];
    private static readonly string[] IsoLocal = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];
    private static readonly string[] CurrencySymbols = ["US$", "$", "€", "£", "¥", "₹", "R$", "kr", "zł", "Fr.", "CHF"];

    private readonly string[] _dateFormats;

    /// <summary>Creates a reader.</summary>
    /// <param name="culture">The culture the export writes dates and numbers in; <see langword="null"/> for none said.</param>
    /// <param name="dateFormats">The .NET date formats, tried in order after ISO 8601; empty for the culture's (or ISO 8601 only).</param>
    /// <param name="timeZone">The time zone of instants without a UTC offset; <see langword="null"/> for none said.</param>
    /// <param name="assumeUtc">Whether an ISO 8601 instant without an offset is UTC when no time zone is given (our own format); otherwise it is refused.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dateFormats"/> is <see langword="null"/>.</exception>
    public CrmValueReader(CultureInfo? culture, IEnumerable<string> dateFormats, TimeZoneInfo? timeZone, bool assumeUtc)
    {
        ArgumentNullException.ThrowIfNull(dateFormats);
        Culture = culture;
        _dateFormats = [.. dateFormats];
        DateFormats = [.. _dateFormats];
        TimeZone = timeZone;
        AssumeUtc = assumeUtc;
    }

    /// <summary>The reader of our own format: ISO 8601 instants (no offset means UTC), invariant numbers.</summary>
    public static CrmValueReader Default { get; } = new(null, [], null, assumeUtc: true);

    /// <summary>The culture, or <see langword="null"/>.</summary>
    public CultureInfo? Culture { get; }

    /// <summary>The date formats tried after ISO 8601.</summary>
    public ImmutableArray<string> DateFormats { get; }

    /// <summary>The time zone of instants without an offset, or <see langword="null"/>.</summary>
    public TimeZoneInfo? TimeZone { get; }

    /// <summary>Whether an ISO 8601 instant without an offset is taken as UTC when <see cref="TimeZone"/> is not set.</summary>
    public bool AssumeUtc { get; }

    /// <summary>Creates the reader a mapping describes.</summary>
    /// <param name="mapping">The mapping (its <see cref="CrmMapping.Culture"/>, <see cref="CrmMapping.DateFormats"/> and <see cref="CrmMapping.TimeZone"/>).</param>
    /// <param name="assumeUtc">See <see cref="AssumeUtc"/>: <see langword="true"/> only for our own format.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mapping"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The culture or the time zone is not known on this system.</exception>
    public static CrmValueReader Create(CrmMapping mapping, bool assumeUtc)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        CultureInfo? culture = null;
        if (mapping.Culture is { } name && !TryGetCulture(name, out culture))
        {
            throw new ArgumentException($"'{name}' is not a culture name this system knows (for example en-US, en-GB, de-DE, fr-FR).", nameof(mapping));
        }

        TimeZoneInfo? zone = null;
        if (mapping.TimeZone is { } id && !TryGetTimeZone(id, out zone))
        {
            throw new ArgumentException($"'{id}' is not a time zone this system knows (for example UTC, Europe/Berlin, America/New_York).", nameof(mapping));
        }

        return new CrmValueReader(culture, mapping.DateFormats.IsDefault ? [] : mapping.DateFormats, zone, assumeUtc);
    }

    /// <summary>Finds a predefined culture by name (<c>en-US</c>); the invariant culture is not one.</summary>
    /// <param name="name">The name.</param>
    /// <param name="culture">The culture.</param>
    /// <returns><see langword="true"/> when the system knows it.</returns>
    public static bool TryGetCulture(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CultureInfo? culture)
    {
        culture = null;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 85)
        {
            return false;
        }

        try
        {
            culture = CultureInfo.GetCultureInfo(name.Trim(), predefinedOnly: true);
            return culture.Name.Length > 0;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Finds a time zone by IANA or Windows id (<c>Europe/Berlin</c>, <c>UTC</c>).</summary>
    /// <param name="id">The id.</param>
    /// <param name="zone">The zone.</param>
    /// <returns><see langword="true"/> when the system knows it.</returns>
    public static bool TryGetTimeZone(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id) || id.Length > 100)
        {
            return false;
        }

        if (string.Equals(id.Trim(), "UTC", StringComparison.OrdinalIgnoreCase) || string.Equals(id.Trim(), "Etc/UTC", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone);
    }

    /// <summary>Whether a date format is usable: .NET accepts it and it writes a day, a month and a year that read back the same.</summary>
    /// <param name="format">The format, such as <c>dd.MM.yyyy HH:mm</c>.</param>
    /// <param name="problem">Why it is not, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when usable.</returns>
    public static bool IsValidDateFormat(string? format, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(format) || format.Length > 100)
        {
            problem = "a date format must not be empty (for example dd.MM.yyyy or M/d/yyyy h:mm tt)";
            return false;
        }

        var sample = new DateTime(2031, 11, 23, 17, 45, 56, DateTimeKind.Unspecified);
        try
        {
            string text = sample.ToString(format, CultureInfo.InvariantCulture);
            if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var back) && back.Date == sample.Date)
            {
                return true;
            }
        }
        catch (FormatException)
        {
        }

        problem = $"'{format}' is not a date format that writes a day, a month and a year (for example dd.MM.yyyy, M/d/yyyy h:mm tt or yyyy-MM-dd HH:mm)";
        return false;
    }

    /// <summary>Reads an instant.</summary>
    /// <param name="text">The cell's text.</param>
    /// <param name="value">The instant.</param>
    /// <param name="problem">Why it cannot be read, with a hint, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public bool TryReadInstant(string text, out DateTimeOffset value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        value = default;
        problem = null;
        if (Offset().IsMatch(text) && DateTimeOffset.TryParseExact(text, IsoWithOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        if (DateTime.TryParseExact(text, IsoLocal, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return Localize(text, local, iso: true, out value, out problem);
        }

        var culture = Culture ?? CultureInfo.InvariantCulture;
        if (_dateFormats.Length > 0)
        {
            foreach (var format in _dateFormats)
            {
                if (format.Contains('K', StringComparison.Ordinal) || format.Contains('z', StringComparison.Ordinal))
                {
                    if (DateTimeOffset.TryParseExact(text, format, culture, DateTimeStyles.AllowWhiteSpaces, out value))
                    {
                        return true;
                    }
                }
                else if (DateTime.TryParseExact(text, format, culture, DateTimeStyles.AllowWhiteSpaces, out local))
                {
                    return Localize(text, local, iso: false, out value, out problem);
                }
            }

            problem = $"'{text}' is not a date in the format {string.Join(" or ", _dateFormats)} (nor ISO 8601 such as 2026-03-01T12:00:00Z)";
            return false;
        }

        if (Culture is not null && YearDigits().IsMatch(text))
        {
            if (DateTime.TryParse(text, Culture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.NoCurrentDateDefault, out local) && local.Kind == DateTimeKind.Unspecified)
            {
                return Localize(text, local, iso: false, out value, out problem);
            }

            if (DateTimeOffset.TryParse(text, Culture, DateTimeStyles.AllowWhiteSpaces, out value))
            {
                return true;
            }

            problem = $"'{text}' is not a date as {Culture.Name} writes them ({Culture.DateTimeFormat.ShortDatePattern} {Culture.DateTimeFormat.ShortTimePattern}) nor ISO 8601; give the export's date format";
            return false;
        }

        problem = DescribeUnread(text);
        return false;
    }

    /// <summary>Reads a number: an amount or a count, with grouping and a currency symbol or code allowed.</summary>
    /// <param name="text">The cell's text.</param>
    /// <param name="value">The number.</param>
    /// <param name="problem">Why it cannot be read, with a hint, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public bool TryReadNumber(string text, out decimal value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        problem = null;
        string number = StripCurrency(text.Trim());
        if (Culture is { } culture)
        {
            var format = culture.NumberFormat;
            if (string.IsNullOrWhiteSpace(format.NumberGroupSeparator) || format.NumberGroupSeparator[0] is '\u00A0' or '\u202F')
            {
                number = number.Replace(' ', '\u00A0').Replace('\u202F', '\u00A0');
                if (format.NumberGroupSeparator == "\u202F")
                {
                    number = number.Replace('\u00A0', '\u202F');
                }
            }

            if (decimal.TryParse(number, NumberStyles.Number, culture, out value))
            {
                return true;
            }

            problem = $"'{text}' is not a number as {culture.Name} writes them (for example {1234567.89m.ToString("N2", culture)})";
            return false;
        }

        if (AmbiguousGrouping().IsMatch(number))
        {
            problem = $"'{text}' is ambiguous: {number.Replace(",", string.Empty, StringComparison.Ordinal)} with a thousands separator (as en-US writes it) or " +
                $"{number.Replace(',', '.')} with a decimal comma (as de-DE writes it); give the export's culture (for example en-US or de-DE)";
            return false;
        }

        if (DecimalCommaNumber().IsMatch(number))
        {
            problem = $"'{text}' is written with a decimal comma; give the export's culture (for example de-DE or fr-FR)";
            return false;
        }

        if ((!number.Contains(',', StringComparison.Ordinal) || InvariantGrouping().IsMatch(number))
            && decimal.TryParse(number, NumberStyles.Number, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        problem = $"'{text}' is not a number (for example 1250000, 1,250,000.00 or USD 1,250,000.00)";
        return false;
    }

    /// <summary>Reads a whole number of at least 0 (a count such as employees), with grouping allowed.</summary>
    /// <param name="text">The cell's text.</param>
    /// <param name="value">The number.</param>
    /// <param name="problem">Why it cannot be read, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public bool TryReadCount(string text, out int value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        problem = null;
        string trimmed = text.Trim();
        var culture = Culture ?? CultureInfo.InvariantCulture;
        string number = Culture is null ? trimmed : trimmed.Replace(' ', '\u00A0').Replace('\u202F', '\u00A0');
        if (Culture is not null && culture.NumberFormat.NumberGroupSeparator == "\u202F")
        {
            number = number.Replace('\u00A0', '\u202F');
        }

        if (int.TryParse(number, NumberStyles.AllowThousands, culture, out value))
        {
            return true;
        }

        problem = $"'{text}' is not a whole number of at least 0" + (Culture is null && trimmed.Contains('.', StringComparison.Ordinal) ? " (a '.' between thousands? give the export's culture, for example de-DE)" : string.Empty);
        return false;
    }

    private bool Localize(string text, DateTime local, bool iso, out DateTimeOffset value, out string? problem)
    {
        problem = null;
        value = default;
        if (TimeZone is { } zone)
        {
            if (zone.IsInvalidTime(local))
            {
                problem = $"'{text}' does not exist in the time zone {zone.Id} (the clocks skip it)";
                return false;
            }

            value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local));
            return true;
        }

        if (iso && AssumeUtc)
        {
            value = new DateTimeOffset(local, TimeSpan.Zero);
            return true;
        }

        problem = $"'{text}' has no UTC offset and no time zone is given for the export; say which (--time-zone, or \"timeZone\" in the mapping file; for example UTC or Europe/Berlin): it is never guessed";
        return false;
    }

    private static string DescribeUnread(string text)
    {
        var m = NumericDate().Match(text);
        if (m.Success)
        {
            int a = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture), b = int.Parse(m.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
            string sep = m.Groups[2].Value;
            if (a is >= 1 and <= 12 && b is >= 1 and <= 12 && a != b)
            {
                string monthFirst = new DateTime(2000, a, 1).ToString("MMMM", CultureInfo.InvariantCulture) + " " + b.ToString(CultureInfo.InvariantCulture);
                string dayFirst = a.ToString(CultureInfo.InvariantCulture) + " " + new DateTime(2000, b, 1).ToString("MMMM", CultureInfo.InvariantCulture);
                return $"'{text}' is ambiguous: {monthFirst} (month first, as en-US writes it) or {dayFirst} (day first, as en-GB or de-DE write it); " +
                    $"give the export's culture (for example en-US or en-GB) or its date format (M{sep}d{sep}yyyy or d{sep}M{sep}yyyy)";
            }

            string order = a > 12 ? $"d{sep}M{sep}yyyy" : $"M{sep}d{sep}yyyy";
            return $"'{text}' is not ISO 8601; give the export's culture or its date format (it looks like {order}): dates are never guessed";
        }

        return $"'{text}' is not an ISO 8601 date or instant (for example 2026-03-01 or 2026-03-01T12:00:00Z); give the export's culture or date format";
    }

    private string StripCurrency(string text)
    {
        var m = CurrencyCode().Match(text);
        if (m.Success)
        {
            text = m.Groups["n"].Value;
        }

        string? own = Culture?.NumberFormat.CurrencySymbol;
        foreach (var symbol in own is null ? CurrencySymbols : [own, .. CurrencySymbols])
        {
            if (symbol.Length == 0)
            {
                continue;
            }

            if (text.StartsWith(symbol, StringComparison.Ordinal))
            {
                text = text[symbol.Length..].TrimStart();
                break;
            }

            if (text.EndsWith(symbol, StringComparison.Ordinal))
            {
                text = text[..^symbol.Length].TrimEnd();
                break;
            }

            if (text.StartsWith('-') && text.AsSpan(1).StartsWith(symbol, StringComparison.Ordinal))
            {
                text = "-" + text[(1 + symbol.Length)..].TrimStart();
                break;
            }
        }

        return text;
    }

    [GeneratedRegex(@"^(?:(?<c>[A-Z]{3})\s*(?<n>[-+]?[\d.,'\s\u00A0\u202F]+)|(?<n>[-+]?[\d.,'\s\u00A0\u202F]+?)\s*(?<c>[A-Z]{3}))$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();

    [GeneratedRegex(@"^-?\d{1,3},\d{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex AmbiguousGrouping();

    [GeneratedRegex(@"^-?\d{1,3}(,\d{3})+(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex InvariantGrouping();

    [GeneratedRegex(@"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalCommaNumber();

    [GeneratedRegex(@"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"(?:Z|[+-]\d{2}(?::?\d{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Offset();

    [GeneratedRegex(@"\d{4}", RegexOptions.CultureInvariant)]
    private static partial Regex YearDigits();
}
