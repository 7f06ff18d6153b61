using Microsoft.Extensions.DependencyInjection;

namespace Alignment.AspNetCore.Tenancy;

/// <summary>What the host registered for building tenants (one instance in the root container).</summary>
internal sealed class AlignmentTenantSetup
{
    public List<Action<string, IAlignmentBuilder>> Configure { get; } = [];

    public List<Func<AlignmentTenant, CancellationToken, Task>> OnStarted { get; } = [];
}
