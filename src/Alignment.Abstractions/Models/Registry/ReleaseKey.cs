using System.Globalization;

namespace Alignment.Models.Registry;

/// <summary>Names one release in a <see cref="IModelRegistry"/>: the tenant (or business unit), the kind, the model's id and its version.</summary>
/// <param name="Tenant">The tenant or business unit; releases of one tenant are never seen by another.</param>
/// <param name="Kind">The kind of model.</param>
/// <param name="Id">The model's id.</param>
/// <param name="Version">The model's version.</param>
public readonly record struct ReleaseKey(string Tenant, ModelKind Kind, string Id, string Version)
{
    /// <summary>The key as text: <c>{kind} model {id}@{version} of tenant '{tenant}'</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} model {Id}@{Version} of tenant '{Tenant}'");

    internal void Validate(string paramName)
    {
        if (string.IsNullOrWhiteSpace(Tenant) || string.IsNullOrWhiteSpace(Id) || string.IsNullOrWhiteSpace(Version))
        {
            throw new ArgumentException($"A release key needs a tenant, an id and a version (got tenant '{Tenant}', id '{Id}', version '{Version}').", paramName);
        }

        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Model kind {(int)Kind} is not defined.", paramName);
        }
    }
}
