using Alignment.Conformance.Coordination;
using Alignment.Conformance.Scoring;
using Alignment.Coordination;
using Alignment.Decisions;
using Alignment.Scoring;

namespace Alignment.Abstractions.Tests.Coordination;

/// <summary>The in-memory lease store against the <see cref="ILeaseStore"/> contract (tests/Alignment.Conformance), on the system clock.</summary>
public sealed class InMemoryLeaseStoreTests : LeaseStoreConformance
{
    protected override Task<ILeaseStore> CreateStoreAsync() => Task.FromResult<ILeaseStore>(new InMemoryLeaseStore());
}

/// <summary>The in-memory score-watch store against the <see cref="IScoreWatchStore"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryScoreWatchStoreTests : ScoreWatchStoreConformance
{
    protected override Task<IScoreWatchStore> CreateStoreAsync() => Task.FromResult<IScoreWatchStore>(new InMemoryScoreWatchStore());

    protected override Task<(IScoreWatchStore Store, IDecisionOutbox Outbox)> CreateRecordingStoreAsync()
    {
        var outbox = new InMemoryDecisionOutbox();
        return Task.FromResult<(IScoreWatchStore, IDecisionOutbox)>((new InMemoryScoreWatchStore(outbox), outbox));
    }
}
