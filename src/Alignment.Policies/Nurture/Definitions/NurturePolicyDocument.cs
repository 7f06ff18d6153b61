namespace Alignment.Policies.Nurture.Definitions;

/// <summary>The JSON form of a nurture policy, as written by marketing operations. Validated and compiled by <see cref="NurturePolicyLoader"/>.</summary>
internal sealed class NurturePolicyDocument
{
    public string? Id { get; set; }

    public string? Version { get; set; }

    public int? ContentMaxAgeDays { get; set; }

    public List<NurtureTrackDocument?>? Tracks { get; set; }
}
