using System.Collections.Immutable;
using System.Globalization;
using Alignment.Leads;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// Generates the scoring peer workload: N leads with the 24 attributes of the workload specification, deterministic from a seed
/// (same seed, same leads on every machine, see <see cref="PeerRandom"/>). Lead i does not depend on N, so a shorter workload is a
/// prefix of a longer one with the same seed.
/// </summary>
/// <remarks>Stateless and thread-safe; nothing is cached.</remarks>
public static class PeerWorkload
{
    /// <summary>The seed the benchmarks and tests use.</summary>
    public const ulong DefaultSeed = 20_260_101;

    /// <summary>The 12 industries (uniform).</summary>
    public static ImmutableArray<string> Industries { get; } =
    [
        "Software", "Financial Services", "Healthcare", "Manufacturing", "Telecommunications", "Retail",
        "Government", "Education", "Non-Profit", "Media", "Energy", "Logistics",
    ];

    /// <summary>The 20 countries (uniform).</summary>
    public static ImmutableArray<string> Countries { get; } =
    [
        "United States", "Canada", "United Kingdom", "Germany", "France", "Netherlands", "Sweden", "Australia", "Japan", "Singapore",
        "India", "Brazil", "Mexico", "Spain", "Italy", "Poland", "South Africa", "Israel", "Ireland", "Other",
    ];

    /// <summary>The 10 lead sources (uniform).</summary>
    public static ImmutableArray<string> LeadSources { get; } =
    [
        "Organic Search", "Paid Search", "Paid Social", "Referral", "Partner", "Webinar", "Trade Show", "Purchased List", "Direct",
        "Content Syndication",
    ];

    /// <summary>
    /// The 32 (title, seniority, department) triples (uniform): 6 C-level, 6 VP, 6 director, 7 manager and 7 individual or entry
    /// titles. "Director" contains "cto" case-insensitively, which the ordinal <c>TitleCxo</c> rule must not match.
    /// </summary>
    public static ImmutableArray<(string Title, string Seniority, string Department)> JobTitles { get; } =
    [
        ("Founder & CEO", "C-Level", "Executive"),
        ("Chief Technology Officer", "C-Level", "Engineering"),
        ("CTO", "C-Level", "Engineering"),
        ("Chief Financial Officer", "C-Level", "Finance"),
        ("CIO", "C-Level", "IT"),
        ("Chief Marketing Officer", "C-Level", "Marketing"),
        ("VP Engineering", "VP", "Engineering"),
        ("VP Sales", "VP", "Sales"),
        ("VP Marketing", "VP", "Marketing"),
        ("Vice President of Operations", "VP", "Operations"),
        ("VP Finance", "VP", "Finance"),
        ("SVP Information Technology", "VP", "IT"),
        ("Director of Engineering", "Director", "Engineering"),
        ("IT Director", "Director", "IT"),
        ("Director of Procurement", "Director", "Procurement"),
        ("Marketing Director", "Director", "Marketing"),
        ("Sales Director", "Director", "Sales"),
        ("Director of Operations", "Director", "Operations"),
        ("Engineering Manager", "Manager", "Engineering"),
        ("IT Manager", "Manager", "IT"),
        ("Head of Marketing", "Manager", "Marketing"),
        ("Procurement Manager", "Manager", "Procurement"),
        ("Product Manager", "Manager", "Product"),
        ("Head of Sales", "Manager", "Sales"),
        ("Finance Manager", "Manager", "Finance"),
        ("Software Engineer", "Individual Contributor", "Engineering"),
        ("Systems Administrator", "Individual Contributor", "IT"),
        ("Marketing Specialist", "Individual Contributor", "Marketing"),
        ("Buyer", "Individual Contributor", "Procurement"),
        ("Financial Analyst", "Individual Contributor", "Finance"),
        ("Marketing Intern", "Entry", "Marketing"),
        ("Graduate Student", "Entry", "Research"),
    ];

    /// <summary><c>ln 100000</c>, written out so that no platform's logarithm is involved.</summary>
    private const double LnHundredThousand = 11.512925464970229;

    /// <summary>Generates the flat leads.</summary>
    /// <param name="count">The number of leads; not negative.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>New leads, <c>lead0</c> first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static PeerLead[] CreatePeerLeads(int count, ulong seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new PeerRandom(seed);
        var leads = new PeerLead[count];
        for (int i = 0; i < leads.Length; i++)
        {
            leads[i] = Next(random, i);
        }

        return leads;
    }

    /// <summary>Generates the leads as Alignment <see cref="Lead"/>s (from the same values as <see cref="CreatePeerLeads"/>).</summary>
    /// <param name="count">The number of leads; not negative.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>New leads, <c>lead0</c> first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static Lead[] CreateLeads(int count, ulong seed = DefaultSeed) => ToLeads(CreatePeerLeads(count, seed));

    /// <summary>Converts flat leads to Alignment leads over <see cref="PeerAttributes.Schema"/>.</summary>
    /// <param name="peerLeads">The flat leads.</param>
    /// <returns>One Alignment lead per flat lead, in the same order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="peerLeads"/> is null.</exception>
    public static Lead[] ToLeads(IReadOnlyList<PeerLead> peerLeads)
    {
        ArgumentNullException.ThrowIfNull(peerLeads);
        LeadAttributesBuilder attributes = PeerAttributes.Schema.CreateBuilder();
        var leads = new Lead[peerLeads.Count];
        for (int i = 0; i < leads.Length; i++)
        {
            leads[i] = ToLead(peerLeads[i], attributes);
        }

        return leads;
    }

    private static Lead ToLead(PeerLead p, LeadAttributesBuilder attributes)
    {
        attributes
            .Set(PeerAttributes.EmailOpens30d, p.EmailOpens30d)
            .Set(PeerAttributes.WebVisits30d, p.WebVisits30d)
            .Set(PeerAttributes.ContentDownloads, p.ContentDownloads)
            .Set(PeerAttributes.DaysSinceLastActivity, p.DaysSinceLastActivity)
            .Set(PeerAttributes.FormSubmissions, p.FormSubmissions)
            .Set(PeerAttributes.SessionsWithVideo, p.SessionsWithVideo)
            .Set(PeerAttributes.EmailClicks30d, p.EmailClicks30d)
            .Set(PeerAttributes.PricingPageViews, p.PricingPageViews)
            .Set(PeerAttributes.WebinarRegistered, p.WebinarRegistered)
            .Set(PeerAttributes.WebinarAttended, p.WebinarAttended)
            .Set(PeerAttributes.DemoRequested, p.DemoRequested)
            .Set(PeerAttributes.UnsubscribedEmail, p.UnsubscribedEmail);
        string id = string.Create(CultureInfo.InvariantCulture, $"lead{p.Index}");
        return new Lead(new LeadId(id))
        {
            Company = new CompanyProfile
            {
                Name = p.Company,
                Industry = p.Industry,
                EmployeeCount = p.EmployeeCount,
                AnnualRevenue = p.AnnualRevenue,
                Country = p.Country,
            },
            Person = new PersonProfile
            {
                JobTitle = p.JobTitle,
                Seniority = p.Seniority,
                Department = p.Department,
                Email = id + "@" + p.EmailDomain,
            },
            Source = p.LeadSource,
            Campaign = p.Campaign,
            Attributes = attributes.Build(),
        };
    }

    // The draw order below is part of the workload's definition: changing it changes every lead.
    private static PeerLead Next(PeerRandom random, int index)
    {
        string industry = Industries[random.NextInt(Industries.Length)];
        int employees = (int)Math.Round(PeerRandom.DeterministicExp(random.NextDouble() * LnHundredThousand), MidpointRounding.AwayFromZero);
        long revenue = (long)Math.Round(employees * (50_000 + (random.NextDouble() * 350_000)), MidpointRounding.AwayFromZero);
        string country = Countries[random.NextInt(Countries.Length)];
        (string title, string seniority, string department) = JobTitles[random.NextInt(JobTitles.Length)];
        if (random.NextDouble() < 0.1)
        {
            seniority = "Manager";
        }

        string company = string.Create(CultureInfo.InvariantCulture, $"Company {random.NextInt(20_000)}");
        string emailDomain = string.Create(CultureInfo.InvariantCulture, $"example{random.NextInt(5_000)}.com");
        string campaign = string.Create(CultureInfo.InvariantCulture, $"CMP-{random.NextInt(200)}");
        int opens = random.NextSkewed(30);
        int visits = random.NextSkewed(40);
        int downloads = random.NextSkewed(8);
        int days = random.NextSkewed(365);
        int forms = random.NextSkewed(5);
        int video = random.NextSkewed(6);
        int clicks = Math.Min(opens, random.NextSkewed(10));
        bool viewedPricing = random.NextDouble() >= 0.7;
        int pricingViews = 1 + random.NextInt(5);
        bool registered = random.NextDouble() < 0.2;
        bool attendedIfRegistered = random.NextDouble() < 0.6;
        bool demo = random.NextDouble() < 0.05;
        bool unsubscribed = random.NextDouble() < 0.03;
        string source = LeadSources[random.NextInt(LeadSources.Length)];
        return new PeerLead
        {
            Index = index,
            Industry = industry,
            EmployeeCount = employees,
            AnnualRevenue = revenue,
            Country = country,
            JobTitle = title,
            Seniority = seniority,
            Department = department,
            Company = company,
            EmailDomain = emailDomain,
            Campaign = campaign,
            LeadSource = source,
            EmailOpens30d = opens,
            WebVisits30d = visits,
            ContentDownloads = downloads,
            DaysSinceLastActivity = days,
            FormSubmissions = forms,
            SessionsWithVideo = video,
            EmailClicks30d = clicks,
            PricingPageViews = viewedPricing ? pricingViews : 0,
            WebinarRegistered = registered,
            WebinarAttended = registered && attendedIfRegistered,
            DemoRequested = demo,
            UnsubscribedEmail = unsubscribed,
        };
    }
}
