using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Microsoft.Extensions.Logging;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Diagnostics;

/// <summary>
/// The router and the nurture engine log their decisions through the host's <see cref="ILoggerFactory"/>, with stable event
/// ids, and never a lead's personal data: the test's leads carry e-mail addresses, names and URLs, and a scan of everything
/// logged (messages and structured values) finds none of them.
/// </summary>
public sealed class EngineLoggingTests
{
    private static readonly string[] Personal = ["ann.smith@acme.example", "Ann Smith", "bob@globex.example", "Bob Jones", "https://acme.example/pricing?utm=x"];

    [Fact]
    public async Task RouteRejectEnrolAndStep_LogDecisionsWithIds_AndNoPersonalData()
    {
        using var logs = new CapturingLoggerFactory();
        var h = new NurtureHarness();
        var engine = h.CreateEngine(h.Options, loggerFactory: logs);
        using var router = new HandoffRouter(
            Compile([Rep("a"), Rep("b")], Rule("rr", RoutingStrategies.RoundRobin, "ae")),
            new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = h.Decisions, TimeProvider = h.Time, Lifecycle = h.Lifecycles, Nurture = engine, LoggerFactory = logs });

        foreach (var (id, email, name) in new[] { ("pii-1", Personal[0], Personal[1]), ("pii-2", Personal[2], Personal[3]) })
        {
            var lead = new Lead(new LeadId(id)) { Person = new PersonProfile { Email = email, Name = name }, Source = Personal[4], CreatedAt = h.Time.GetUtcNow() };
            h.Leads.Put(new LeadSnapshot(lead, []));
            await h.Lifecycles.TrySaveAsync(LeadLifecycle.Start(lead.Id).Transition(LifecycleStage.MarketingQualified, h.Time.GetUtcNow(), LifecycleActor.System, "score 70"), 0);
            var template = Request(id);
            await router.RouteAsync(new HandoffRequest(lead, template.Score, null));
            await router.RejectAsync(lead.Id, RejectionReason.Timing, "call back after " + email);
        }

        h.Time.Advance(TimeSpan.FromDays(30));
        await engine.RunDueAsync();

        var entries = logs.Entries;
        Assert.Contains(entries, e => e.EventName == "LeadRouted" && e.Level == LogLevel.Debug && e.Message.Contains("pii-1", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EventName == "LeadRejected");
        Assert.Contains(entries, e => e.EventName == "LeadEnrolled");
        Assert.Contains(entries, e => e.EventName == "StepHandled");
        Assert.Contains(entries, e => e.Category == "Alignment.Policies.Handoff.HandoffRouter");
        Assert.Contains(entries, e => e.Category == "Alignment.Policies.Nurture.NurtureEngine");
        foreach (var e in entries)
        {
            foreach (string secret in Personal)
            {
                Assert.DoesNotContain(secret, e.Message, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(e.Values, v => v?.ToString()?.Contains(secret, StringComparison.OrdinalIgnoreCase) == true);
            }

            Assert.DoesNotContain("@", e.Message, StringComparison.Ordinal);
        }
    }

    private sealed record Entry(string Category, LogLevel Level, string? EventName, string Message, IReadOnlyList<object?> Values);

    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        private readonly List<Entry> _entries = [];

        public IReadOnlyList<Entry> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private sealed class Logger(string category, CapturingLoggerFactory owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs ? pairs.Select(p => p.Value).ToList() : [];
                lock (owner._entries)
                {
                    owner._entries.Add(new Entry(category, logLevel, eventId.Name, formatter(state, exception), values));
                }
            }
        }
    }
}
