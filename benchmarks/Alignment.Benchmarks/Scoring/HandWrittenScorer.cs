using Alignment.Leads;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// The baseline: the 40 peer rules written inline in one C# method over Alignment <see cref="Lead"/>s. Custom attributes are read by
/// ordinal (resolved once, in the constructor); text comparisons are ordinal and case-sensitive, as the specification says.
/// A missing value (null text, NaN number) satisfies no condition.
/// </summary>
/// <remarks>Immutable and thread-safe; scoring allocates nothing.</remarks>
public sealed class HandWrittenScorer
{
    private readonly int _emailOpens;
    private readonly int _webVisits;
    private readonly int _contentDownloads;
    private readonly int _daysSinceLastActivity;
    private readonly int _formSubmissions;
    private readonly int _emailClicks;
    private readonly int _pricingPageViews;
    private readonly int _webinarRegistered;
    private readonly int _webinarAttended;
    private readonly int _demoRequested;

    /// <summary>Creates the scorer for leads over a schema that has the peer workload's attributes.</summary>
    /// <param name="schema">The schema, usually <see cref="PeerAttributes.Schema"/>.</param>
    /// <exception cref="ArgumentException">The schema lacks one of the attributes the rules read.</exception>
    public HandWrittenScorer(AttributeSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _emailOpens = PeerAttributes.Ordinal(schema, PeerAttributes.EmailOpens30d);
        _webVisits = PeerAttributes.Ordinal(schema, PeerAttributes.WebVisits30d);
        _contentDownloads = PeerAttributes.Ordinal(schema, PeerAttributes.ContentDownloads);
        _daysSinceLastActivity = PeerAttributes.Ordinal(schema, PeerAttributes.DaysSinceLastActivity);
        _formSubmissions = PeerAttributes.Ordinal(schema, PeerAttributes.FormSubmissions);
        _emailClicks = PeerAttributes.Ordinal(schema, PeerAttributes.EmailClicks30d);
        _pricingPageViews = PeerAttributes.Ordinal(schema, PeerAttributes.PricingPageViews);
        _webinarRegistered = PeerAttributes.Ordinal(schema, PeerAttributes.WebinarRegistered);
        _webinarAttended = PeerAttributes.Ordinal(schema, PeerAttributes.WebinarAttended);
        _demoRequested = PeerAttributes.Ordinal(schema, PeerAttributes.DemoRequested);
    }

    /// <summary>Scores one lead.</summary>
    /// <param name="lead">The lead; its attributes must use the schema given to the constructor.</param>
    /// <returns>The sum of the points of the rules that hold.</returns>
    public int Score(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        CompanyProfile company = lead.Company;
        PersonProfile person = lead.Person;
        LeadAttributes attributes = lead.Attributes;
        int score = 0;

        string? industry = company.Industry;
        if (industry is "Software" or "Financial Services") score += 15;
        if (industry is "Healthcare" or "Manufacturing" or "Telecommunications") score += 8;
        if (industry is "Government" or "Education" or "Non-Profit") score -= 5;

        int? employees = company.EmployeeCount;
        if (employees is >= 200 and <= 5000) score += 10;
        if (employees > 5000) score += 15;
        if (employees < 50) score -= 5;

        decimal? revenue = company.AnnualRevenue;
        if (revenue >= 10_000_000m && revenue < 100_000_000m) score += 8;
        if (revenue >= 100_000_000m) score += 15;
        if (revenue < 1_000_000m) score -= 10;

        string? country = company.Country;
        if (country is "United States" or "Canada" or "United Kingdom" or "Germany" or "France" or "Netherlands" or "Australia") score += 5;
        if (country is "Sweden" or "Ireland" or "Israel" or "Singapore" or "Japan") score += 3;
        if (country is "Other") score -= 5;

        string? title = person.JobTitle;
        if (title is not null)
        {
            if (title.Contains("VP", StringComparison.Ordinal) || title.Contains("Vice President", StringComparison.Ordinal)
                || title.Contains("Director", StringComparison.Ordinal)) score += 12;
            if (title.Contains("Chief", StringComparison.Ordinal) || title.Contains("CEO", StringComparison.Ordinal)
                || title.Contains("CTO", StringComparison.Ordinal) || title.Contains("CFO", StringComparison.Ordinal)
                || title.Contains("CIO", StringComparison.Ordinal)) score += 15;
            if (title.Contains("Manager", StringComparison.Ordinal) || title.Contains("Head of", StringComparison.Ordinal)) score += 6;
            if (title.Contains("Intern", StringComparison.Ordinal) || title.Contains("Student", StringComparison.Ordinal)) score -= 15;
        }

        string? seniority = person.Seniority;
        if (seniority is "VP" or "C-Level") score += 10;
        if (seniority is "Entry") score -= 5;

        string? department = person.Department;
        if (department is "IT" or "Engineering") score += 8;
        if (department is "Procurement" or "Operations" or "Finance") score += 5;

        double opens = attributes.GetNumber(_emailOpens);
        double clicks = attributes.GetNumber(_emailClicks);
        if (opens >= 5) score += 5;
        if (opens >= 15) score += 5;
        if (clicks >= 3) score += 10;
        if (clicks == 0 && opens >= 10) score -= 3;

        double visits = attributes.GetNumber(_webVisits);
        if (visits >= 3) score += 5;
        if (visits >= 10) score += 10;

        double pricing = attributes.GetNumber(_pricingPageViews);
        if (pricing >= 2) score += 20;
        if (pricing == 1) score += 8;

        bool attended = attributes.GetBoolean(_webinarAttended);
        if (attributes.GetBoolean(_webinarRegistered) && !attended) score += 5;
        if (attended) score += 15;

        double downloads = attributes.GetNumber(_contentDownloads);
        if (downloads >= 1) score += 5;
        if (downloads >= 4) score += 10;

        bool demo = attributes.GetBoolean(_demoRequested);
        if (demo) score += 40;

        if (attributes.GetNumber(_formSubmissions) >= 2) score += 10;

        double days = attributes.GetNumber(_daysSinceLastActivity);
        if (days <= 7) score += 10;
        if (days > 30) score -= 10;
        if (days > 90) score -= 20;

        string? source = lead.Source;
        if (source is "Referral" or "Partner") score += 15;
        if (source is "Purchased List" or "Paid Social") score -= 5;

        if (demo && seniority is "Director" or "VP" or "C-Level") score += 20;

        return score;
    }
}
