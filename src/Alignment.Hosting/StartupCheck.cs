using Alignment.Coordination;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting;

/// <summary>
/// Runs before the workers when the host starts: every selected worker has its engine, and a durable configuration does not
/// quietly lose what an in-memory service holds. Problems stop the start with one message naming each (or, with
/// <see cref="AlignmentWorkerOptions.AllowInMemoryWithDurableStores"/>, the in-memory ones are logged as warnings).
/// </summary>
internal sealed class StartupCheck(IServiceProvider services, IOptions<AlignmentWorkerOptions> options, ILoggerFactory? loggerFactory = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var missing = MissingEngines(o.Workers);
        var inMemory = InMemoryWithDurable(o.Workers);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Alignment.Hosting.StartupCheck");
        if (o.AllowInMemoryWithDurableStores)
        {
            foreach (var problem in inMemory)
            {
                HostingLog.InMemoryWithDurable(logger, problem);
            }

            inMemory.Clear();
        }

        var problems = missing.Concat(inMemory).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Alignment.Hosting cannot start:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "- " + p)));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private List<string> MissingEngines(AlignmentWorkers workers)
    {
        var problems = new List<string>();
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        // A store that delivers what it records itself (the Orleans routing store's cells) needs no outbox.
        bool records = services.GetService<IRoutingStateStore>() is { RecordsDecisions: true } and not IDeliversRecordedDecisions
            || services.GetService<ILifecycleStore>() is { RecordsDecisions: true } and not IDeliversRecordedDecisions
            || services.GetService<INurtureStore>() is { RecordsDecisions: true } and not IDeliversRecordedDecisions
            || services.GetService<ICampaignStore>() is { RecordsDecisions: true } and not IDeliversRecordedDecisions
            || services.GetService<IScoreWatchStore>() is { RecordsDecisions: true } and not IDeliversRecordedDecisions;
        if (records && services.GetService<IDecisionOutbox>() is null)
        {
            problems.Add("a store records its decisions in an outbox, but no IDecisionOutbox is registered to deliver them from: call UsePostgreSqlDecisionOutbox (or UseInMemoryDecisionOutbox), or create the stores without recordDecisions.");
        }

        if ((workers & AlignmentWorkers.Nurture) != 0 && !isService.IsService(typeof(NurtureEngine)))
        {
            problems.Add("the Nurture worker needs the nurture engine: call AddNurture, or leave Nurture out of AlignmentWorkerOptions.Workers.");
        }

        if ((workers & AlignmentWorkers.SlaCheck) != 0 && !isService.IsService(typeof(HandoffRouter)))
        {
            problems.Add("the SlaCheck worker needs the handoff router: call AddHandoff, or leave SlaCheck out of AlignmentWorkerOptions.Workers.");
        }

        if ((workers & AlignmentWorkers.DecayWatch) != 0)
        {
            if (!isService.IsService(typeof(IScoreCrossingCalculator)) || !isService.IsService(typeof(ILeadScorer)))
            {
                problems.Add("the DecayWatch worker needs a scoring model that computes crossings (IScoreCrossingCalculator and ILeadScorer): call AddScoring, or leave DecayWatch out of AlignmentWorkerOptions.Workers.");
            }

            if (!isService.IsService(typeof(ILeadSnapshotSource)))
            {
                problems.Add("the DecayWatch worker reads leads and their activities through an ILeadSnapshotSource: register the CRM's (AddNurture registers an in-memory one).");
            }
        }

        return problems;
    }

    private List<string> InMemoryWithDurable(AlignmentWorkers workers)
    {
        // Durable: a state store that is not one of the in-memory defaults (PostgreSQL, Orleans, the host's own).
        bool durable = services.GetService<INurtureStore>() is { } n && n is not InMemoryNurtureStore
            || services.GetService<IRoutingStateStore>() is { } r && r is not InMemoryRoutingStateStore
            || services.GetService<ILifecycleStore>() is { } l && l is not InMemoryLifecycleStore
            || services.GetService<ICampaignStore>() is { } c && c is not InMemoryCampaignStore
            || services.GetService<ILeadDocumentStore>() is { } d && d is not InMemoryLeadDocumentStore;
        var problems = new List<string>();
        if (!durable)
        {
            return problems;
        }

        if (services.GetService<INurtureStepHandler>() is InMemoryNurtureOutbox)
        {
            problems.Add("the nurture steps are sent to the in-memory InMemoryNurtureOutbox, so they never reach a lead: register the CRM's INurtureStepHandler.");
        }

        if (services.GetService<IDecisionSink>() is InMemoryDecisionSink)
        {
            problems.Add("decisions go to the in-memory InMemoryDecisionSink and are lost with the process: register the CRM's IDecisionSink.");
        }

        if (services.GetService<IDecisionOutbox>() is InMemoryDecisionOutbox)
        {
            problems.Add("decisions wait for delivery in the in-memory InMemoryDecisionOutbox and are lost with the process: call UsePostgreSqlDecisionOutbox instead of UseInMemoryDecisionOutbox.");
        }

        if ((workers & (AlignmentWorkers.SlaCheck | AlignmentWorkers.DecayWatch | AlignmentWorkers.DecisionRelay)) != 0 && services.GetService<ILeaseStore>() is InMemoryLeaseStore)
        {
            problems.Add("the single-leader workers use the in-memory InMemoryLeaseStore, so every instance would lead: call UsePostgreSqlLeaseStore (or register a shared ILeaseStore).");
        }

        if ((workers & AlignmentWorkers.DecayWatch) != 0 && services.GetService<ILeadSnapshotSource>() is InMemoryLeadSnapshotSource)
        {
            problems.Add("the decay watch reads leads from the in-memory InMemoryLeadSnapshotSource, which holds only the leads put into this process: register the CRM's ILeadSnapshotSource.");
        }

        if ((workers & AlignmentWorkers.DecayWatch) != 0 && services.GetService<IScoreWatchStore>() is InMemoryScoreWatchStore)
        {
            problems.Add("the score watches are in the in-memory InMemoryScoreWatchStore and are lost with the process: call UsePostgreSqlScoreWatchStore (or register a shared IScoreWatchStore).");
        }

        return problems;
    }
}
