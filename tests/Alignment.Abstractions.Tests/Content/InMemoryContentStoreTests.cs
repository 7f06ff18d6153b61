using Alignment.Conformance.Content;
using Alignment.Segmentation.Collateral;

namespace Alignment.Abstractions.Tests.Content;

/// <summary>The in-memory content store against the <see cref="IContentStore"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryContentStoreTests : ContentStoreConformance
{
    protected override Task<(IContentStore First, IContentStore Second)> CreateStoresAsync()
    {
        var store = new InMemoryContentStore();
        return Task.FromResult<(IContentStore, IContentStore)>((store, store));
    }
}
