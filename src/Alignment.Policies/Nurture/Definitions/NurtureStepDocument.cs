namespace Alignment.Policies.Nurture.Definitions;

/// <summary>The JSON form of one step of a track.</summary>
internal sealed class NurtureStepDocument
{
    public string? Id { get; set; }

    public string? Kind { get; set; }

    public string? Topic { get; set; }

    public int? AfterDays { get; set; }
}
