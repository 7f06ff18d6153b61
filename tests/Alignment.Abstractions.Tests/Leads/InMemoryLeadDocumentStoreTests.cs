using Alignment.Conformance.Leads;
using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

/// <summary>The in-memory lead document store against the <see cref="ILeadDocumentStore"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryLeadDocumentStoreTests : LeadDocumentStoreConformance
{
    protected override Task<ILeadDocumentStore> CreateStoreAsync() => Task.FromResult<ILeadDocumentStore>(new InMemoryLeadDocumentStore());
}
