using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alignment.AspNetCore.Wire;

/// <summary>The source-generated JSON metadata of every body the endpoints read or write (trim- and AOT-friendly).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(LeadRequest))]
[JsonSerializable(typeof(StoredLead))]
[JsonSerializable(typeof(StoredLeadHead))]
[JsonSerializable(typeof(LeadDecisionResponse))]
[JsonSerializable(typeof(LeadResponse))]
[JsonSerializable(typeof(RepActionRequest))]
[JsonSerializable(typeof(HandoffResponse))]
[JsonSerializable(typeof(List<HandoffResponse>))]
[JsonSerializable(typeof(CampaignMemberRequest))]
[JsonSerializable(typeof(CampaignResponse))]
[JsonSerializable(typeof(MetricsResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class AlignmentHttpJsonContext : JsonSerializerContext;
