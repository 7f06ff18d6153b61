using System.Text.Json.Serialization;

namespace Alignment.Policies.Handoff;

/// <summary>What a rule does with reps who are outside their working hours.</summary>
internal enum AvailabilityMode
{
    /// <summary>Reps outside their working hours or out of office are passed over.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip = 0,

    /// <summary>
    /// Reps outside their working hours stay eligible and the lead waits for them: the service-level clock starts when their
    /// next working period begins. Reps who are out of office are still passed over.
    /// </summary>
    [JsonStringEnumMemberName("wait")]
    Wait = 1,
}
