using Alignment.Conformance.Models;
using Alignment.Models.Registry;

namespace Alignment.Abstractions.Tests.Models;

/// <summary>The in-memory model registry against the <see cref="IModelRegistry"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryModelRegistryTests : ModelRegistryConformance
{
    protected override Task<IModelRegistry> CreateRegistryAsync(TimeProvider time) => Task.FromResult<IModelRegistry>(new InMemoryModelRegistry(time));
}
