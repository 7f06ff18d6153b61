using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Segmentation.Rules;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Segmentation;

/// <summary>
/// Rule-based assignment of 1,000,000 accounts through the batch path (<see cref="SegmentationModel.Match(ReadOnlySpan{Lead}, ReadOnlySpan{ScoreCard}, Span{SegmentMatch})"/>)
/// with a six-definition model over industry, size band, revenue band, country and language. Expect 0 B allocated.
/// <see cref="HandWritten"/> (the baseline) is the same six definitions written as one C# method over the same accounts: the
/// time guard divides by it, so a slower engine trips the guard and a busy machine, which slows both, does not.
/// </summary>
[MemoryDiagnoser]
public class SegmentAssignmentBenchmark
{
    private const int Accounts = 1_000_000;

    private const string Model = """
    { "id": "bench",
      "bands": [
        { "name": "sizeBand", "field": "company.employeeCount", "values": [
          { "name": "smb", "below": 100 }, { "name": "mid-market", "atLeast": 100, "below": 1000 }, { "name": "enterprise", "atLeast": 1000 } ] },
        { "name": "revenueBand", "field": "company.annualRevenue", "values": [
          { "name": "small", "below": 10000000 }, { "name": "medium", "atLeast": 10000000, "below": 500000000 }, { "name": "large", "atLeast": 500000000 } ] } ],
      "segments": [
        { "id": "enterprise-software", "when": [ { "field": "company.industry", "in": ["Software", "SaaS"] }, { "field": "sizeBand", "in": ["enterprise"] } ] },
        { "id": "dach-mid-market", "when": [ { "field": "company.country", "in": ["DE", "AT", "CH"] }, { "field": "sizeBand", "in": ["mid-market"] } ] },
        { "id": "large-finance", "when": [ { "field": "company.industry", "in": ["Banking", "Insurance"] }, { "field": "revenueBand", "in": ["large"] } ] },
        { "id": "french-speaking", "when": [ { "field": "person.language", "in": ["fr"] } ] },
        { "id": "smb-retail", "when": [ { "field": "company.industry", "in": ["Retail"] }, { "field": "sizeBand", "in": ["smb"] } ] },
        { "id": "public-sector", "when": [ { "field": "company.industry", "in": ["Government", "Education"] } ] } ],
      "default": { "id": "general" } }
    """;

    private SegmentationModel _model = null!;
    private Lead[] _leads = null!;
    private SegmentMatch[] _matches = null!;
    private int[] _handWritten = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = SegmentationModel.Load(Model);
        string[] industries = ["Software", "SaaS", "Retail", "Banking", "Insurance", "Government", "Education", "Manufacturing"];
        string[] countries = ["US", "DE", "AT", "CH", "FR", "GB", "JP"];
        string[] languages = ["en", "de", "fr", "ja"];
        var rng = new Random(42);
        var profiles = new CompanyProfile[4096];
        for (int i = 0; i < profiles.Length; i++)
        {
            profiles[i] = new CompanyProfile
            {
                Industry = industries[rng.Next(industries.Length)],
                Country = countries[rng.Next(countries.Length)],
                EmployeeCount = rng.Next(1, 20_000),
                AnnualRevenue = rng.Next(1, 2_000_000) * 1000m,
            };
        }

        var people = languages.Select(l => new PersonProfile { Language = l }).ToArray();
        _leads = new Lead[Accounts];
        for (int i = 0; i < Accounts; i++)
        {
            _leads[i] = new Lead(new LeadId("acct-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                Company = profiles[rng.Next(profiles.Length)],
                Person = people[rng.Next(people.Length)],
            };
        }

        _matches = new SegmentMatch[Accounts];
        _handWritten = new int[Accounts];
        _model.Match(_leads, [], _matches);
        for (int i = 0; i < Accounts; i++)
        {
            if (Assign(_leads[i]) != _matches[i].Definition)
            {
                throw new InvalidOperationException($"The hand-written assignment differs from the model's for account {i}.");
            }
        }
    }

    /// <summary>The engine's batch path over the 1,000,000 accounts.</summary>
    /// <returns>The last account's definition.</returns>
    [Benchmark]
    public int AssignOneMillionAccounts()
    {
        _model.Match(_leads, [], _matches);
        return _matches[^1].Definition;
    }

    /// <summary>The same six definitions as C# conditions over the same accounts (the baseline of the time guard).</summary>
    /// <returns>The last account's definition.</returns>
    [Benchmark(Baseline = true)]
    public int HandWritten()
    {
        var leads = _leads;
        var result = _handWritten;
        for (int i = 0; i < leads.Length; i++)
        {
            result[i] = Assign(leads[i]);
        }

        return result[^1];
    }

    private static int Assign(Lead lead)
    {
        var company = lead.Company;
        string? industry = company?.Industry;
        int? employees = company?.EmployeeCount;
        decimal? revenue = company?.AnnualRevenue;
        string? size = employees switch { null => null, < 100 => "smb", < 1000 => "mid-market", _ => "enterprise" };
        if (industry is "Software" or "SaaS" && size == "enterprise")
        {
            return 0;
        }

        if (company?.Country is "DE" or "AT" or "CH" && size == "mid-market")
        {
            return 1;
        }

        if (industry is "Banking" or "Insurance" && revenue >= 500_000_000m)
        {
            return 2;
        }

        if (lead.Person?.Language is "fr")
        {
            return 3;
        }

        if (industry is "Retail" && size == "smb")
        {
            return 4;
        }

        return industry is "Government" or "Education" ? 5 : -1;
    }
}
