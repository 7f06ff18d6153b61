namespace Alignment.Policies.Nurture.Definitions;

/// <summary>The JSON form of one step of a track.</summary>
internal sealed class NurtureStepDocument
{
    public string? Id { get; set; }

    public string? Kind { get; set; }

    public string? Topic { get; set; }

    public int? AfterDays { get; set; }

    /// <summary>The name of the step plugin that carries the step out, or <see langword="null"/> for the host's step handler. Left out of the content hash when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Handler { get; set; }
}
