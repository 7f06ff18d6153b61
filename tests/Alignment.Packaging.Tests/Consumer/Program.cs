// The consumer app the packaging test builds against the packed Alignment packages (by package id, not project reference).
// It mirrors the README's quick start. Each section prints lines the test asserts; add a section per package it uses.
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// ---- Alignment.Abstractions: DI defaults ----
var services = new ServiceCollection();
services.AddAlignment();
using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
var store = provider.GetRequiredService<ILifecycleStore>();
Console.WriteLine($"sink: {provider.GetRequiredService<IDecisionSink>().GetType().Name}");
Console.WriteLine($"store: {store.GetType().Name}");

// ---- Alignment.Abstractions: lead and lifecycle ----
var lead = new Lead(new LeadId("00Q5e00000A1b2C"))
{
    Person = new PersonProfile { Email = "jane@example.com", JobTitle = "VP Engineering" },
    Company = new CompanyProfile { Industry = "Software", EmployeeCount = 450 },
};
var at = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
var lifecycle = LeadLifecycle.Start(lead.Id)
    .Transition(LifecycleStage.MarketingQualified, at, LifecycleActor.System, "score 72 >= 60");
Console.WriteLine($"{lead} is {lifecycle.Stage}");
Console.WriteLine($"saved: {await store.TrySaveAsync(lifecycle, expectedVersion: 0)}");
try
{
    lifecycle.Transition(LifecycleStage.Won, at, LifecycleActor.Sales, "skip the funnel");
}
catch (InvalidLifecycleTransitionException e)
{
    Console.WriteLine($"refused: {e.From} -> {e.To}");
}

// ---- Alignment.Scoring: a JSON model through DI, scored with its explanation ----
var scoring = new ServiceCollection();
scoring.AddAlignment().AddScoring(o => o.ModelJson = """
    {
      "id": "consumer", "version": "1.0.0",
      "thresholds": { "mql": {"score": 30, "minGrade": "C"} },
      "fit": [ {"id": "software", "points": 20, "grade": "+1", "when": {"field": "company.industry", "equals": "software"}} ],
      "engagement": [ {"id": "demo", "activity": "demoRequested", "points": 40, "decay": {"halfLifeDays": 7}} ]
    }
    """);
using var scoringProvider = scoring.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
var scorer = scoringProvider.GetRequiredService<Alignment.Scoring.ILeadScorer>();
Alignment.Activities.LeadActivity[] activities = [new(Alignment.Activities.ActivityType.DemoRequested, at.AddDays(-7))];
var card = scorer.Score(lead, activities, at);
Console.WriteLine($"score: {card.Total} {Alignment.Scoring.Grades.ToLetter(card.Grade)} {card.State} ({string.Join(", ", card.Explanation.Select(e => $"{e.RuleId} {e.Points}"))})");

// ---- Alignment.AspNetCore: the endpoints on Kestrel (loopback only), a lead ingested over HTTP ----
var web = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
web.WebHost.UseUrls("http://127.0.0.1:0");
web.Logging.ClearProviders();
string apiKey = Alignment.AspNetCore.Tenancy.ApiKeys.Create();
web.Services.AddAlignmentHttp()
    .ConfigureTenants((_, a) => a.AddScoring(o => o.ModelJson = """
        {
          "id": "consumer", "version": "1.0.0",
          "thresholds": { "mql": {"score": 30, "minGrade": "C"} },
          "fit": [ {"id": "software", "points": 20, "grade": "+1", "when": {"field": "company.industry", "equals": "software"}} ],
          "engagement": [ {"id": "demo", "activity": "demoRequested", "points": 40} ]
        }
        """))
    .AddApiKey("consumer", apiKey);
await using (var server = web.Build())
{
    server.UseAuthentication();
    server.UseAuthorization();
    server.UseRateLimiter();
    server.MapAlignment();
    await server.StartAsync();
    using var http = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };
    http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    string body = $$"""{ "id": "00Q5e00000A1b2C", "company": { "industry": "software" }, "activities": [ { "type": "demoRequested", "at": "{{DateTimeOffset.UtcNow.AddDays(-1):O}}" } ] }""";
    using var response = await http.PostAsync("/v1/leads", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
    var decision = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    Console.WriteLine($"http: {(int)response.StatusCode} {decision["score"]!["state"]} {decision["score"]!["total"]}");
    using var anonymous = new HttpClient { BaseAddress = http.BaseAddress };
    Console.WriteLine($"http without a key: {(int)(await anonymous.GetAsync("/v1/leads/00Q5e00000A1b2C")).StatusCode}");
    await server.StopAsync();
}

Console.WriteLine("done");
