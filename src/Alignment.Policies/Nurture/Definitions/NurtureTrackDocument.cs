namespace Alignment.Policies.Nurture.Definitions;

/// <summary>The JSON form of one nurture track.</summary>
internal sealed class NurtureTrackDocument
{
    public string? Id { get; set; }

    public int Priority { get; set; }

    public List<string?>? Segments { get; set; }

    public List<string?>? EntryReasons { get; set; }

    public int? CadenceDays { get; set; }

    public int? MaxDaysOnTrack { get; set; }

    public string? OnExhausted { get; set; }

    public List<string?>? QuietDays { get; set; }

    public List<QuietPeriodDocument?>? QuietPeriods { get; set; }

    public List<NurtureStepDocument?>? Steps { get; set; }
}
