using Alignment.Conformance.Lifecycle;
using Alignment.Lifecycle;

namespace Alignment.Abstractions.Tests.Lifecycle;

/// <summary>The in-memory lifecycle store against the <see cref="ILifecycleStore"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryLifecycleStoreTests : LifecycleStoreConformance
{
    protected override Task<ILifecycleStore> CreateStoreAsync() => Task.FromResult<ILifecycleStore>(new InMemoryLifecycleStore());
}
