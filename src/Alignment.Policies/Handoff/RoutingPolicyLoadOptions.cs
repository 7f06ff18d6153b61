using Alignment.Handoff;
using Alignment.Models;

namespace Alignment.Policies.Handoff;

/// <summary>
/// What loading a routing policy takes besides the document name and limits: the plugin strategies and conditions its rules may
/// refer to by name. Pass it to <see cref="CompiledRoutingPolicy.Load"/>; a rule that names a plugin missing here fails the load
/// with the JSON path of the name.
/// </summary>
/// <remarks>Settable; not thread-safe while being changed. A load reads it once and keeps no reference to the lists.</remarks>
public sealed class RoutingPolicyLoadOptions : ModelLoadOptions
{
    /// <summary>The plugin strategies rules may name with <c>"strategy": {"plugin": "name"}</c>; names must be unique.</summary>
    /// <value>Defaults to empty.</value>
    public IList<IRoutingStrategy> Strategies { get; } = [];

    /// <summary>The plugin conditions rules may name in <c>"conditions"</c>; names must be unique.</summary>
    /// <value>Defaults to empty.</value>
    public IList<IRoutingCondition> Conditions { get; } = [];
}
