using System.Globalization;
using Alignment.Leads.Import;

namespace Alignment.Abstractions.Tests.Leads.Import;

public sealed class CrmValueReaderTests
{
    private static CrmValueReader Reader(string? culture = null, string[]? formats = null, string? zone = null, bool assumeUtc = false) =>
        CrmValueReader.Create(new CrmMapping { Culture = culture, DateFormats = [.. formats ?? []], TimeZone = zone }, assumeUtc);

    [Theory]
    [InlineData("3/1/2026", "March 1 (month first")]
    [InlineData("01.03.2026", "January 3 (month first")]
    [InlineData("3-1-2026", "or 3 January (day first")]
    public void TryReadInstant_AmbiguousWithoutCultureOrFormat_IsRefusedWithBothReadings(string text, string expected)
    {
        Assert.False(Reader(zone: "UTC").TryReadInstant(text, out _, out var problem));

        Assert.Contains("is ambiguous", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en-US", "3/1/2026", "2026-03-01T00:00:00+00:00")]
    [InlineData("en-GB", "3/1/2026", "2026-01-03T00:00:00+00:00")]
    [InlineData("de-DE", "01.03.2026 14:30", "2026-03-01T14:30:00+00:00")]
    [InlineData("en-US", "1/15/2026 4:30 PM", "2026-01-15T16:30:00+00:00")]
    public void TryReadInstant_CultureDecides(string culture, string text, string expected)
    {
        Assert.True(Reader(culture, zone: "UTC").TryReadInstant(text, out var value, out var problem), problem);

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Fact]
    public void TryReadInstant_ExplicitFormat_WinsOverCulture()
    {
        var reader = Reader("en-US", ["d/M/yyyy"], "UTC");

        Assert.True(reader.TryReadInstant("3/1/2026", out var value, out _));
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero), value);
        Assert.False(reader.TryReadInstant("13/13/2026", out _, out var problem));
        Assert.Contains("is not a date in the format d/M/yyyy", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadInstant_NoOffset_UsesTheTimeZoneOrIsRefused()
    {
        Assert.True(Reader(zone: "Europe/Berlin").TryReadInstant("2026-07-01 12:00", out var summer, out _));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.FromHours(2)), summer);
        Assert.True(Reader(zone: "America/New_York").TryReadInstant("2026-01-15", out var winter, out _));
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 5, 0, 0, TimeSpan.Zero), winter.ToUniversalTime());

        Assert.False(Reader().TryReadInstant("2026-07-01 12:00", out _, out var problem));
        Assert.Contains("has no UTC offset", problem, StringComparison.Ordinal);
        Assert.Contains("never guessed", problem, StringComparison.Ordinal);

        // Our own format: ISO 8601 without an offset is UTC, as docs/data-formats.md says.
        Assert.True(CrmValueReader.Default.TryReadInstant("2026-07-01 12:00", out var own, out _));
        Assert.Equal(TimeSpan.Zero, own.Offset);
    }

    [Fact]
    public void TryReadInstant_WithOffset_NeedsNoTimeZone()
    {
        Assert.True(Reader().TryReadInstant("2026-02-10T10:00:00+01:00", out var value, out _));

        Assert.Equal(new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero), value.ToUniversalTime());
    }

    [Fact]
    public void TryReadInstant_SkippedLocalTime_IsRefused()
    {
        Assert.False(Reader(zone: "Europe/Berlin").TryReadInstant("2026-03-29 02:30", out _, out var problem));

        Assert.Contains("does not exist in the time zone", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "1,250,000.00", "1250000.00")]
    [InlineData(null, "USD 1,250,000.00", "1250000.00")]
    [InlineData(null, "$90,000.00", "90000")]
    [InlineData(null, "1250000", "1250000")]
    [InlineData("de-DE", "1.250.000,00 €", "1250000.00")]
    [InlineData("de-DE", "1.250.000,00 EUR", "1250000.00")]
    [InlineData("fr-FR", "1 250 000,50", "1250000.50")]
    [InlineData("en-US", "$1,250.5", "1250.5")]
    public void TryReadNumber_GroupingAndCurrency(string? culture, string text, string expected)
    {
        Assert.True(Reader(culture).TryReadNumber(text, out var value, out var problem), problem);

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1,250", "is ambiguous")]
    [InlineData("1.250.000,00", "decimal comma")]
    [InlineData("12,5", "decimal comma")]
    [InlineData("1,2,3", "is not a number")]
    public void TryReadNumber_WithoutCulture_RefusesWhatCouldReadTwoWays(string text, string expected)
    {
        Assert.False(Reader().TryReadNumber(text, out _, out var problem));

        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadCount_AllowsGroupingOfTheCulture()
    {
        Assert.True(Reader().TryReadCount("1,250", out int en, out _));
        Assert.Equal(1250, en);
        Assert.True(Reader("de-DE").TryReadCount("1.250", out int de, out _));
        Assert.Equal(1250, de);
        Assert.False(Reader().TryReadCount("1.250", out _, out var problem));
        Assert.Contains("give the export's culture", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownCultureOrZone_Throws()
    {
        Assert.Throws<ArgumentException>(() => Reader("xx-NOPE"));
        Assert.Throws<ArgumentException>(() => Reader(zone: "Mars/Olympus"));
    }

    [Theory]
    [InlineData("dd.MM.yyyy", true)]
    [InlineData("M/d/yyyy h:mm tt", true)]
    [InlineData("HH:mm", false)]
    [InlineData("", false)]
    public void IsValidDateFormat(string format, bool valid)
    {
        Assert.Equal(valid, CrmValueReader.IsValidDateFormat(format, out var problem));
        Assert.Equal(valid, problem is null);
    }
}
