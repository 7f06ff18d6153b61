using System.Globalization;

namespace Alignment.Orleans;

/// <summary>Names Alignment's grains use on an Orleans cluster.</summary>
public static class AlignmentOrleans
{
    /// <summary>
    /// The name of the grain storage provider Alignment's grains save their state in. A silo registers a provider under this
    /// name: <c>AddRedisGrainStorage(AlignmentOrleans.StorageName, ...)</c> in production, <c>AddMemoryGrainStorage</c> in tests.
    /// </summary>
    public const string StorageName = "alignment";

    /// <summary>
    /// The key of the cell grain that records the decisions of a recording store that touch no cell (a lead no rule matched,
    /// queued in the fallback queue): it has no reps or pools, only an outbox.
    /// </summary>
    internal const string NoCell = "~";

    /// <summary>A grain key for one id of a tenant: the tenant's length first, so that no tenant and id pair reads as another.</summary>
    internal static string Key(string tenant, string id) => string.Create(CultureInfo.InvariantCulture, $"{tenant.Length}:{tenant}/{id}");

    internal static string TenantOf(string key)
    {
        int colon = key.IndexOf(':', StringComparison.Ordinal);
        int length = int.Parse(key.AsSpan(0, colon), CultureInfo.InvariantCulture);
        return key.Substring(colon + 1, length);
    }

    internal static string IdOf(string key)
    {
        int colon = key.IndexOf(':', StringComparison.Ordinal);
        int length = int.Parse(key.AsSpan(0, colon), CultureInfo.InvariantCulture);
        return key[(colon + 1 + length + 1)..];
    }
}
