using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

// Your CRM's custom fields, as the model declares them; load the model once at start-up and share it (it is immutable).
var schema = new AttributeSchema([new AttributeDefinition("isCustomer", AttributeKind.Boolean)]);
string path = Path.Combine(AppContext.BaseDirectory, "scoring-model.json");
var model = ScoringModel.Load(File.ReadAllText(path), new ScoringModelOptions { Schema = schema, Document = "scoring-model.json" });

var lead = new Lead(new LeadId("00Q5e000001"))
{
    Company = new CompanyProfile { Industry = "Software", EmployeeCount = 800 },
    Person = new PersonProfile { JobTitle = "VP Engineering", Email = "ann@acme.example" },
    Attributes = schema.CreateBuilder().Set("isCustomer", false).Build(),
};
var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero); // TimeProvider.System.GetUtcNow() in a real host
LeadActivity[] activities = [new(ActivityType.DemoRequested, now.AddDays(-2))];

ScoreCard card = model.Score(lead, activities, now);
Console.WriteLine($"{card.Total} points (fit {card.Fit}, engagement {card.Engagement}), grade {card.Grade.ToLetter()}, {card.State}");
foreach (ScoreContribution line in card.Explanation)
{
    Console.WriteLine($"  {line.RuleId,-16} {line.Points,7}  {line.Component}");
}
