using System.Runtime.CompilerServices;
using Alignment.Activities;
using Alignment.Aot.Sample;
using Alignment.Leads;
using Alignment.Scoring;
using static System.FormattableString;

// Loads a scoring model (docs/examples/scoring-model.json), scores one lead at a fixed instant through every evaluation path
// (explained, batch, encoded batch) and prints the results. Under NativeAOT the model is interpreted, under the JIT it is
// compiled to IL: the printed scores must be the same.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Alignment.Aot.Sample <scoring-model.json>");
    return 2;
}

var schema = new AttributeSchema(
[
    new AttributeDefinition("productInterest", AttributeKind.Text),
    new AttributeDefinition("isCustomer", AttributeKind.Boolean),
    new AttributeDefinition(IntentDataRule.Attribute, AttributeKind.Number),
]);
ScoringModel model = ScoringModel.Load(File.ReadAllText(args[0]), new ScoringModelOptions
{
    Schema = schema,
    PluginRules = [new IntentDataRule(schema)],
    Document = Path.GetFileName(args[0]),
});

var asOf = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
var lead = new Lead(new LeadId("00Q5e00000AOT01"))
{
    Person = new PersonProfile { Email = "dana@acme.example", JobTitle = "VP Engineering", Department = "Engineering" },
    Company = new CompanyProfile { Industry = "software", EmployeeCount = 800, AnnualRevenue = 150_000_000m, Country = "United Kingdom" },
    Attributes = schema.CreateBuilder().Set("productInterest", "analytics-suite").Set("isCustomer", false).Set(IntentDataRule.Attribute, 80).Build(),
};
LeadActivity[] activities =
[
    new(ActivityType.PageView, asOf.AddDays(-3)) { Url = "https://acme.example/pricing" },
    new(ActivityType.PageView, asOf.AddDays(-20)) { Url = "https://acme.example/pricing" },
    new(ActivityType.PageView, asOf.AddDays(-5)) { Url = "https://acme.example/analytics/overview" },
    new(ActivityType.WebinarAttended, asOf.AddDays(-40)),
    new(ActivityType.WebinarRegistered, asOf.AddDays(-45)) { Campaign = "Q1-LAUNCH" },
    new(ActivityType.EmailClicked, asOf.AddDays(-2)),
    new(ActivityType.FormSubmitted, asOf.AddDays(-10)),
    new(ActivityType.DemoRequested, asOf.AddDays(-1)),
];

ScoreCard card = model.Score(lead, activities, asOf);
Console.WriteLine(Invariant($"model: {model.Id} {model.Version}"));
Console.WriteLine(Invariant($"score: {card.Total} (fit {card.Fit}, engagement {card.Engagement}), grade {card.Grade.ToLetter()}, {card.State}"));
foreach (ScoreContribution line in card.Explanation)
{
    Console.WriteLine(Invariant($"  {line.RuleId}: {line.Points} points, {line.GradeSteps} grade steps"));
}

var results = new LeadScore[1];
var batch = new LeadActivities(activities, [0, activities.Length]);
model.ScoreBatch([lead], batch, asOf, results);
Console.WriteLine(Invariant($"batch: {results[0].Total} {results[0].Grade.ToLetter()} {results[0].State}"));
model.ScoreEncoded(model.Encode([lead]), batch, asOf, results);
Console.WriteLine(Invariant($"encoded: {results[0].Total} {results[0].Grade.ToLetter()} {results[0].State}"));

Console.WriteLine($"evaluation: {(RuntimeFeature.IsDynamicCodeCompiled ? "compiled to IL" : "interpreted")}");
return 0;
