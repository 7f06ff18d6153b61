using Alignment.Models;
using Alignment.Nurture;

namespace Alignment.Policies.Nurture;

/// <summary>
/// What loading a nurture policy takes besides the document name and limits: the step plugins its steps may name with
/// <c>"handler"</c>. Pass it to <see cref="NurturePolicy.Load"/>; a step naming a plugin missing here fails the load with its JSON path.
/// </summary>
/// <remarks>Settable; not thread-safe while being changed. The loaded policy keeps the plugins its steps name.</remarks>
public sealed class NurturePolicyLoadOptions : ModelLoadOptions
{
    /// <summary>The step plugins steps may name; names must be unique.</summary>
    /// <value>Defaults to empty.</value>
    public IList<INurtureStepAction> Actions { get; } = [];
}
