using System.Text.Json.Serialization;

namespace Alignment.Models.Registry;

/// <summary>The file of one tenant and kind in a <see cref="FileModelRegistry"/>: its releases and its activation history.</summary>
internal sealed class FileRegistryDocument
{
    /// <summary>The version of the file's layout.</summary>
    public required int Format { get; init; }

    /// <summary>The tenant, exactly (the folder name is its escaped form).</summary>
    public required string Tenant { get; init; }

    /// <summary>The kind of model.</summary>
    public required ModelKind Kind { get; init; }

    /// <summary>Every release, in the order first published.</summary>
    public required List<FileRegistryRelease> Releases { get; init; }

    /// <summary>Every activation and rollback, oldest first.</summary>
    public required List<FileRegistryActivation> History { get; init; }
}

/// <summary>A release as stored.</summary>
internal sealed class FileRegistryRelease
{
    public required string Id { get; init; }

    public required string Version { get; init; }

    public required string ContentHash { get; init; }

    public required string Content { get; init; }

    public required List<FileRegistryApproval> Approvals { get; init; }
}

/// <summary>An approval as stored.</summary>
internal sealed class FileRegistryApproval
{
    public required string ApprovedBy { get; init; }

    public required ApprovalSide Side { get; init; }

    public required DateTimeOffset ApprovedAt { get; init; }

    public required string ContentHash { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; init; }
}

/// <summary>An entry of the history as stored, with the release as it was activated.</summary>
internal sealed class FileRegistryActivation
{
    public required long Sequence { get; init; }

    public required FileRegistryRelease Release { get; init; }

    public required string ActivatedBy { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Reason { get; init; }

    public required bool IsRollback { get; init; }
}

/// <summary>The source-generated (trim- and AOT-safe) serializer of <see cref="FileRegistryDocument"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(FileRegistryDocument))]
internal sealed partial class FileRegistryJsonContext : JsonSerializerContext;
