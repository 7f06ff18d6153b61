using Alignment.Conformance.Nurture.Campaigns;
using Alignment.Policies.Nurture.Campaigns;

namespace Alignment.Policies.Tests.Nurture.Campaigns;

/// <summary>The in-memory campaign store against the <see cref="ICampaignStore"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryCampaignStoreTests : CampaignStoreConformance
{
    protected override Task<ICampaignStore> CreateStoreAsync() => Task.FromResult<ICampaignStore>(new InMemoryCampaignStore());
}
