using System.Collections.Immutable;
using System.Globalization;
using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Cli.Demo;

/// <summary>
/// Generates the bundled sample data: 20,000 leads of a B2B software company over one year, from directories, website visitors,
/// trade shows, conferences, advertising and webinars, each with the activities it will show. Seeded: the same seed gives the same
/// leads, activity for activity, on every machine.
/// </summary>
internal static class SampleDataGenerator
{
    /// <summary>The seed of the bundled data.</summary>
    public const int DefaultSeed = 20250101;

    /// <summary>The number of leads generated.</summary>
    public const int LeadCount = 20_000;

    private static readonly (string Code, string Language, int Weight)[] Countries =
    [
        ("US", "en", 50), ("GB", "en", 12), ("CA", "en", 5), ("AU", "en", 5), ("IE", "en", 2), ("NZ", "en", 1), ("ZA", "en", 1),
        ("SG", "en", 1), ("IN", "en", 3), ("DE", "de", 8), ("FR", "fr", 5), ("NL", "nl", 4), ("ES", "es", 3),
    ];

    private static readonly (string Name, int Weight)[] Industries =
    [
        ("Software", 22), ("Financial Services", 12), ("Marketing Agency", 8), ("Advertising Agency", 5), ("Healthcare", 10), ("Retail", 10),
        ("Media", 6), ("Manufacturing", 12), ("Education", 6), ("Nonprofit", 4), ("Consulting", 5),
    ];

    private static readonly (string Title, string Seniority, string Department, int Weight)[] Titles =
    [
        ("Chief Revenue Officer", "C-Level", "Sales", 2), ("Chief Marketing Officer", "C-Level", "Marketing", 2), ("VP Sales", "VP", "Sales", 4),
        ("VP Marketing", "VP", "Marketing", 4), ("Director of Revenue Operations", "Director", "Revenue Operations", 5),
        ("Director of Demand Generation", "Director", "Marketing", 5), ("Sales Manager", "Manager", "Sales", 9), ("Marketing Manager", "Manager", "Marketing", 10),
        ("Revenue Operations Analyst", "Individual Contributor", "Revenue Operations", 8), ("Account Executive", "Individual Contributor", "Sales", 9),
        ("Marketing Coordinator", "Individual Contributor", "Marketing", 9), ("Software Engineer", "Individual Contributor", "Engineering", 8),
        ("IT Manager", "Manager", "IT", 5), ("Finance Manager", "Manager", "Finance", 4), ("Marketing Intern", "Intern", "Marketing", 2),
        ("Student", "Student", "Education", 2),
    ];

    private static readonly string[] EnglishCountries = ["GB", "IE", "CA", "AU", "NZ", "ZA", "SG", "IN"];

    /// <summary>The lead sources, in the order the report lists them.</summary>
    public static ImmutableArray<string> Sources { get; } = ["Directory", "Website", "Trade Show", "Conference", "Advertising", "Webinar"];

    /// <summary>The first instant of the simulated year.</summary>
    public static DateTimeOffset Start { get; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The end of the simulated year (exclusive).</summary>
    public static DateTimeOffset End { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Maps a campaign id to its marketing source.</summary>
    /// <param name="campaign">The campaign.</param>
    /// <returns>The source.</returns>
    public static string SourceOf(string campaign) => campaign switch
    {
        _ when campaign.StartsWith("dir-", StringComparison.Ordinal) => "Directory",
        _ when campaign.StartsWith("web-", StringComparison.Ordinal) => "Website",
        _ when campaign.StartsWith("ts-", StringComparison.Ordinal) => "Trade Show",
        _ when campaign.StartsWith("conf-", StringComparison.Ordinal) => "Conference",
        _ when campaign.StartsWith("ads-", StringComparison.Ordinal) => "Advertising",
        _ when campaign.StartsWith("webinar-", StringComparison.Ordinal) => "Webinar",
        _ => "Other",
    };

    /// <summary>Generates the leads, ordered by capture time.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The leads.</returns>
    public static ImmutableArray<SampleLead> Generate(int seed = DefaultSeed)
    {
        var rng = new Random(seed);
        var captures = new List<(DateTimeOffset At, string Source, string Campaign, DateTimeOffset? WebinarAt, string? Focus)>(LeadCount);

        // Directories: a monthly import of 300 leads (two directories).
        for (int m = 0; m < 12; m++)
        {
            var import = FirstWeekday(Start.AddMonths(m), DayOfWeek.Tuesday).AddHours(10);
            for (int i = 0; i < 300; i++)
            {
                captures.Add((import.AddSeconds(i * 7), "Directory", i % 2 == 0 ? "dir-capterra-2025" : "dir-g2-2025", null, null));
            }
        }

        // Trade shows and conferences.
        AddEvent(captures, rng, "Trade Show", "ts-saas-summit-london-2025", new DateTimeOffset(2025, 4, 8, 9, 0, 0, TimeSpan.Zero), 2, 1100, "emea");
        AddEvent(captures, rng, "Trade Show", "ts-revops-world-chicago-2025", new DateTimeOffset(2025, 9, 16, 14, 0, 0, TimeSpan.Zero), 3, 1300, "us");
        AddEvent(captures, rng, "Conference", "conf-agency-growth-2025", new DateTimeOffset(2025, 5, 20, 14, 0, 0, TimeSpan.Zero), 1, 700, "agency");
        AddEvent(captures, rng, "Conference", "conf-datadriven-sydney-2025", new DateTimeOffset(2025, 10, 14, 0, 0, 0, TimeSpan.Zero), 1, 500, "anz");

        // Monthly webinars (except June, whose webinar is for existing leads): registrants new to the CRM.
        foreach (int month in (int[])[1, 2, 3, 4, 5, 7, 8, 9, 10, 11])
        {
            var webinarAt = FirstWeekday(new DateTimeOffset(2025, month, 1, 0, 0, 0, TimeSpan.Zero), DayOfWeek.Thursday).AddDays(7).AddHours(16);
            for (int i = 0; i < 200; i++)
            {
                captures.Add((webinarAt.AddDays(-1 - rng.Next(14)).AddMinutes(rng.Next(600)), "Webinar", $"webinar-2025-{month:00}", webinarAt, null));
            }
        }

        // Website visitors and advertising, every day (weekends quieter).
        int website = 6000, advertising = 4800;
        var days = Enumerable.Range(0, 365).Select(d => Start.AddDays(d)).ToArray();
        double[] weights = [.. days.Select(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.4 : 1.0)];
        for (int i = 0; i < website; i++)
        {
            var at = PickDay(rng, days, weights).AddMinutes(360 + rng.Next(960));
            captures.Add((at, "Website", rng.NextDouble() < 0.7 ? "web-organic" : "web-referral", null, null));
        }

        for (int i = 0; i < advertising; i++)
        {
            var at = PickDay(rng, days, weights).AddMinutes(360 + rng.Next(960));
            int quarter = (at.Month - 1) / 3 + 1;
            captures.Add((at, "Advertising", rng.NextDouble() < 0.55 ? $"ads-linkedin-2025-q{quarter}" : $"ads-search-2025-q{quarter}", null, null));
        }

        var ordered = captures.OrderBy(c => c.At).ThenBy(c => c.Campaign, StringComparer.Ordinal).ToList();
        var leads = ImmutableArray.CreateBuilder<SampleLead>(ordered.Count);
        for (int i = 0; i < ordered.Count; i++)
        {
            var c = ordered[i];
            leads.Add(CreateLead(rng, i + 1, c.At, c.Source, c.Campaign, c.WebinarAt, c.Focus));
        }

        return leads.MoveToImmutable();
    }

    private static void AddEvent(List<(DateTimeOffset, string, string, DateTimeOffset?, string?)> captures, Random rng, string source, string campaign, DateTimeOffset first, int days, int count, string focus)
    {
        for (int i = 0; i < count; i++)
        {
            captures.Add((first.AddDays(rng.Next(days)).AddMinutes(rng.Next(480)), source, campaign, null, focus));
        }
    }

    private static SampleLead CreateLead(Random rng, int number, DateTimeOffset at, string source, string campaign, DateTimeOffset? webinarAt, string? focus)
    {
        var country = focus switch
        {
            "emea" => rng.NextDouble() < 0.6 ? (rng.NextDouble() < 0.85 ? Countries[1] : Countries[4]) : rng.NextDouble() < 0.6 ? Pick(rng, Countries[9..]) : Countries[0],
            "us" => rng.NextDouble() < 0.85 ? Countries[0] : Pick(rng, Countries),
            "anz" => rng.NextDouble() < 0.8 ? (rng.NextDouble() < 0.8 ? Countries[3] : Countries[5]) : Pick(rng, Countries),
            _ => Pick(rng, Countries),
        };
        var industry = focus == "agency" && rng.NextDouble() < 0.7
            ? (rng.NextDouble() < 0.6 ? "Marketing Agency" : "Advertising Agency")
            : Pick(rng, Industries).Name;
        int employees = (int)Math.Clamp(Math.Round(Math.Exp(Math.Log(120) + 1.5 * Normal(rng))), 2, 50_000);
        var title = Pick(rng, Titles);
        string company = $"{Syllable(rng)}{Syllable(rng)} {Suffix(industry, rng)}";
        string domain = $"{company.Split(' ')[0].ToLowerInvariant()}{number % 97}.example";
        double emailRoll = rng.NextDouble();
        string emailDomain = emailRoll < 0.003 ? "rivalsoft.example" : emailRoll < 0.08 ? (rng.NextDouble() < 0.5 ? "gmail.example" : "mail.example") : domain;
        string seniority = title.Seniority;

        bool core = industry is "Software" or "Financial Services" or "Marketing Agency" or "Advertising Agency";
        bool adjacent = industry is "Healthcare" or "Retail" or "Media";
        bool senior = seniority is "C-Level" or "VP" or "Director";
        double q = 0.05 + (core ? 0.22 : 0) + (adjacent ? 0.08 : 0) + (employees is >= 100 and < 1000 ? 0.15 : 0) + (employees >= 1000 ? 0.22 : 0)
            + (senior ? 0.18 : 0) + (seniority == "Manager" ? 0.06 : 0) + (title.Department is "Sales" or "Marketing" or "Revenue Operations" ? 0.06 : 0)
            + (country.Code == "US" || EnglishCountries.Contains(country.Code) ? 0.05 : 0)
            - (seniority is "Student" or "Intern" ? 0.3 : 0) - (emailDomain != domain ? 0.12 : 0) + 0.1 * Normal(rng);
        q = Math.Clamp(q, 0.01, 0.97);

        decimal deal = employees switch
        {
            < 100 => 4_000 + rng.Next(0, 110) * 100,
            < 1000 => 18_000 + rng.Next(0, 420) * 100,
            _ => 70_000 + rng.Next(0, 1700) * 100,
        };
        if (industry.EndsWith("Agency", StringComparison.Ordinal))
        {
            deal = Math.Round(deal * 0.6m / 100m) * 100m;
        }

        var lead = new Lead(new LeadId($"BW-{number:00000}"))
        {
            AccountId = new AccountId($"ACC-{number:00000}"),
            Person = new PersonProfile
            {
                Name = $"Lead {number}",
                Email = $"lead{number}@{emailDomain}",
                JobTitle = title.Title,
                Seniority = seniority,
                Department = title.Department,
                Language = country.Language,
            },
            Company = new CompanyProfile
            {
                Name = company,
                Domain = domain,
                Industry = industry,
                EmployeeCount = employees,
                AnnualRevenue = employees * (80_000m + rng.Next(0, 120) * 1_000m),
                Country = country.Code,
            },
            Source = source,
            Campaign = campaign,
            CreatedAt = at,
        };

        var sessions = new List<SampleSession> { new(at, CaptureActivities(rng, source, campaign, at, q)) };
        if (webinarAt is { } w && rng.NextDouble() < 0.55)
        {
            sessions.Add(new SampleSession(w.AddMinutes(45), [new LeadActivity(ActivityType.WebinarAttended, w) { Campaign = campaign }]));
        }

        AddLaterSessions(rng, sessions, source, at, q);
        return new SampleLead(lead, at, q, deal, rng.Next(), [.. sessions.Where(s => s.At < End).OrderBy(s => s.At)]);
    }

    private static ImmutableArray<LeadActivity> CaptureActivities(Random rng, string source, string campaign, DateTimeOffset at, double q)
    {
        var list = new List<LeadActivity>();
        switch (source)
        {
            case "Directory":
                if (rng.NextDouble() < 0.6)
                {
                    list.Add(new LeadActivity(ActivityType.FormSubmitted, at) { Url = "/directory/request-info", Campaign = campaign });
                }

                break;
            case "Website":
                list.Add(new LeadActivity(ActivityType.WebVisit, at.AddMinutes(-12)) { Url = "/" });
                for (int i = rng.Next(1, 4); i > 0; i--)
                {
                    list.Add(new LeadActivity(ActivityType.PageView, at.AddMinutes(-10 + i)) { Url = "/product/pipeline" });
                }

                if (rng.NextDouble() < 0.2 + 0.4 * q)
                {
                    list.Add(new LeadActivity(ActivityType.PageView, at.AddMinutes(-3)) { Url = "/pricing" });
                }

                list.Add(new LeadActivity(ActivityType.FormSubmitted, at) { Url = rng.NextDouble() < 0.5 ? "/contact" : "/ebook", Campaign = campaign });
                if (rng.NextDouble() < 0.5)
                {
                    list.Add(new LeadActivity(ActivityType.ContentDownloaded, at) { Url = "/ebook/forecasting", Campaign = campaign });
                }

                if (rng.NextDouble() < 0.04 + 0.25 * q * q)
                {
                    list.Add(new LeadActivity(ActivityType.DemoRequested, at) { Url = "/demo", Campaign = campaign });
                }

                break;
            case "Advertising":
                list.Add(new LeadActivity(ActivityType.PageView, at.AddMinutes(-4)) { Url = "/product/forecasting" });
                list.Add(new LeadActivity(ActivityType.FormSubmitted, at) { Url = "/lp/forecasting-guide", Campaign = campaign });
                if (rng.NextDouble() < 0.8)
                {
                    list.Add(new LeadActivity(ActivityType.ContentDownloaded, at) { Url = "/ebook/forecasting-guide", Campaign = campaign });
                }

                break;
            case "Trade Show" or "Conference":
                list.Add(new LeadActivity(ActivityType.EventContact, at) { Campaign = campaign });
                if (rng.NextDouble() < 0.12 * q)
                {
                    list.Add(new LeadActivity(ActivityType.DemoRequested, at) { Campaign = campaign });
                }

                break;
            case "Webinar":
                list.Add(new LeadActivity(ActivityType.WebinarRegistered, at) { Campaign = campaign });
                break;
        }

        return [.. list];
    }

    private static void AddLaterSessions(Random rng, List<SampleSession> sessions, string source, DateTimeOffset captured, double q)
    {
        bool unsubscribed = false;
        if (source == "Directory" && rng.NextDouble() < 0.05)
        {
            sessions.Add(new SampleSession(captured.AddDays(7), [new LeadActivity(ActivityType.Bounced, captured.AddDays(7))]));
            unsubscribed = true;
        }

        // Background interest: an occasional visit, click or download.
        double weekly = 0.04 + 0.12 * q;
        for (var t = captured.AddDays(Exponential(rng, 7 / weekly)); t < End; t = t.AddDays(Exponential(rng, 7 / weekly)))
        {
            var activities = Session(rng, t, inWindow: false, q, ref unsubscribed, demoAllowed: false);
            sessions.Add(new SampleSession(t, activities));
        }

        // A buying window: a few intense weeks of research, maybe a demo request.
        if (rng.NextDouble() < 0.1 + 0.55 * q)
        {
            var from = captured.AddDays(Exponential(rng, 75));
            var to = from.AddDays(10 + rng.Next(26));
            bool demo = false;
            for (var t = from.AddDays(Exponential(rng, 3.5)); t < to && t < End; t = t.AddDays(Exponential(rng, 3.5)))
            {
                var activities = Session(rng, t, inWindow: true, q, ref unsubscribed, demoAllowed: !demo);
                demo |= activities.Any(a => a.Type == ActivityType.DemoRequested);
                sessions.Add(new SampleSession(t, activities));
            }
        }
    }

    private static ImmutableArray<LeadActivity> Session(Random rng, DateTimeOffset at, bool inWindow, double q, ref bool unsubscribed, bool demoAllowed)
    {
        var list = new List<LeadActivity>();
        if (!unsubscribed && rng.NextDouble() < 0.35)
        {
            list.Add(new LeadActivity(ActivityType.EmailClicked, at.AddMinutes(-20)) { Url = "/blog" });
        }

        list.Add(new LeadActivity(ActivityType.WebVisit, at.AddMinutes(-15)) { Url = "/" });
        list.Add(new LeadActivity(ActivityType.PageView, at.AddMinutes(-14)) { Url = "/product/pipeline" });
        if (rng.NextDouble() < (inWindow ? 0.6 : 0.08))
        {
            list.Add(new LeadActivity(ActivityType.PageView, at.AddMinutes(-10)) { Url = "/pricing" });
        }

        if (rng.NextDouble() < (inWindow ? 0.3 : 0.12))
        {
            int quarter = (at.Month - 1) / 3 + 1;
            string campaign = rng.NextDouble() < 0.5 ? $"ads-linkedin-{at.Year}-q{quarter}" : "web-organic";
            list.Add(new LeadActivity(ActivityType.ContentDownloaded, at.AddMinutes(-5)) { Url = "/ebook", Campaign = campaign });
        }

        if (inWindow && rng.NextDouble() < 0.1)
        {
            list.Add(new LeadActivity(ActivityType.FormSubmitted, at.AddMinutes(-2)) { Url = "/contact", Campaign = "web-organic" });
        }

        if (inWindow && demoAllowed && rng.NextDouble() < 0.1 + 0.3 * q)
        {
            list.Add(new LeadActivity(ActivityType.DemoRequested, at) { Url = "/demo", Campaign = "web-organic" });
        }

        if (!inWindow && !unsubscribed && rng.NextDouble() < 0.012)
        {
            list.Add(new LeadActivity(ActivityType.Unsubscribed, at));
            unsubscribed = true;
        }

        return [.. list];
    }

    private static DateTimeOffset FirstWeekday(DateTimeOffset monthStart, DayOfWeek day)
    {
        var d = new DateTimeOffset(monthStart.Year, monthStart.Month, 1, 0, 0, 0, TimeSpan.Zero);
        while (d.DayOfWeek != day)
        {
            d = d.AddDays(1);
        }

        return d;
    }

    private static DateTimeOffset PickDay(Random rng, DateTimeOffset[] days, double[] weights)
    {
        while (true)
        {
            int i = rng.Next(days.Length);
            if (rng.NextDouble() < weights[i])
            {
                return days[i];
            }
        }
    }

    private static T Pick<T>(Random rng, IReadOnlyList<T> items)
        where T : struct, System.Runtime.CompilerServices.ITuple
    {
        int total = 0;
        foreach (var item in items)
        {
            total += (int)item[item.Length - 1]!;
        }

        int roll = rng.Next(total);
        foreach (var item in items)
        {
            roll -= (int)item[item.Length - 1]!;
            if (roll < 0)
            {
                return item;
            }
        }

        return items[^1];
    }

    private static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static double Exponential(Random rng, double mean) => -mean * Math.Log(1.0 - rng.NextDouble());

    private static string Syllable(Random rng)
    {
        string[] s = ["Nor", "Vel", "Tri", "Cas", "Lum", "Bri", "Ost", "Kel", "Mar", "Pan", "Zen", "Ori", "Hal", "Dun", "Eve", "Fal"];
        return s[rng.Next(s.Length)];
    }

    private static string Suffix(string industry, Random rng) => industry switch
    {
        "Marketing Agency" or "Advertising Agency" => "Creative",
        "Software" => rng.NextDouble() < 0.5 ? "Labs" : "Systems",
        "Financial Services" => "Capital",
        _ => string.Create(CultureInfo.InvariantCulture, $"{industry.Split(' ')[0]} Group"),
    };
}
