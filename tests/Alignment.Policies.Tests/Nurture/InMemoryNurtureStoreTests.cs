using Alignment.Conformance.Nurture;
using Alignment.Policies.Nurture;

namespace Alignment.Policies.Tests.Nurture;

/// <summary>The in-memory nurture store against the <see cref="INurtureStore"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryNurtureStoreTests : NurtureStoreConformance
{
    protected override Task<INurtureStore> CreateStoreAsync() => Task.FromResult<INurtureStore>(new InMemoryNurtureStore());
}
