using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Alignment.Benchmarks.Scoring;
using Alignment.Leads;

namespace Alignment.Benchmarks.Tests.Scoring;

public sealed class PeerWorkloadTests
{
    private const int Large = 100_000;

    [Fact]
    public void CreatePeerLeads_SameSeed_GivesIdenticalLeads()
    {
        PeerLead[] first = PeerWorkload.CreatePeerLeads(5_000, seed: 42);
        PeerLead[] second = PeerWorkload.CreatePeerLeads(5_000, seed: 42);
        Assert.Equal(Fingerprint(first), Fingerprint(second));
    }

    [Fact]
    public void CreatePeerLeads_DifferentSeed_GivesDifferentLeads()
    {
        Assert.NotEqual(Fingerprint(PeerWorkload.CreatePeerLeads(1_000, seed: 1)), Fingerprint(PeerWorkload.CreatePeerLeads(1_000, seed: 2)));
    }

    [Fact]
    public void CreatePeerLeads_ShorterWorkload_IsAPrefixOfTheLongerOne()
    {
        PeerLead[] longer = PeerWorkload.CreatePeerLeads(2_000);
        PeerLead[] shorter = PeerWorkload.CreatePeerLeads(500);
        Assert.Equal(Fingerprint(shorter), Fingerprint(longer.AsSpan(0, 500).ToArray()));
    }

    [Fact]
    public void CreatePeerLeads_DefaultSeed_MatchesTheRecordedFingerprint()
    {
        // Recorded once, and reproduced by an independent Python implementation of the same generator (same value), so it
        // pins the workload itself rather than this code. A different value on another machine or runtime means the workload is not portable
        // (or the generator changed, which changes every benchmark figure: update the value deliberately).
        Assert.Equal(
            "B75AED798AD017D6147446456ECB03B10E94F1936422CD896E28B9CBAFD47BB5",
            Fingerprint(PeerWorkload.CreatePeerLeads(10_000)));
    }

    [Fact]
    public void CreatePeerLeads_NegativeCount_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PeerWorkload.CreatePeerLeads(-1));

    [Fact]
    public void CreatePeerLeads_LargeWorkload_FollowsTheAttributeTable()
    {
        PeerLead[] leads = PeerWorkload.CreatePeerLeads(Large);
        var titles = PeerWorkload.JobTitles.ToDictionary(t => t.Title);
        foreach (PeerLead lead in leads)
        {
            Assert.Contains(lead.Industry, PeerWorkload.Industries);
            Assert.Contains(lead.Country, PeerWorkload.Countries);
            Assert.Contains(lead.LeadSource, PeerWorkload.LeadSources);
            Assert.InRange(lead.EmployeeCount, 1, 100_000);
            Assert.InRange(lead.AnnualRevenue, (long)Math.Floor(lead.EmployeeCount * 50_000.0), (long)Math.Ceiling(lead.EmployeeCount * 400_000.0));
            var triple = titles[lead.JobTitle];
            Assert.Equal(triple.Department, lead.Department);
            Assert.True(lead.Seniority == triple.Seniority || lead.Seniority == "Manager", lead.Seniority);
            Assert.InRange(Suffix(lead.Company, "Company "), 0, 19_999);
            Assert.InRange(Suffix(lead.EmailDomain[..^4], "example"), 0, 4_999);
            Assert.EndsWith(".com", lead.EmailDomain, StringComparison.Ordinal);
            Assert.InRange(Suffix(lead.Campaign, "CMP-"), 0, 199);
            Assert.InRange(lead.EmailOpens30d, 0, 30);
            Assert.InRange(lead.WebVisits30d, 0, 40);
            Assert.InRange(lead.ContentDownloads, 0, 8);
            Assert.InRange(lead.DaysSinceLastActivity, 0, 365);
            Assert.InRange(lead.FormSubmissions, 0, 5);
            Assert.InRange(lead.SessionsWithVideo, 0, 6);
            Assert.InRange(lead.EmailClicks30d, 0, Math.Min(10, lead.EmailOpens30d));
            Assert.InRange(lead.PricingPageViews, 0, 5);
            Assert.True(!lead.WebinarAttended || lead.WebinarRegistered);
        }

        // Uniform choices: every value appears, none far from its share.
        AssertUniform(leads.Select(l => l.Industry), 12);
        AssertUniform(leads.Select(l => l.Country), 20);
        AssertUniform(leads.Select(l => l.LeadSource), 10);
        AssertUniform(leads.Select(l => l.JobTitle), 32);

        // Log-uniform employee count: P(count <= 100) = P(u <= 0.4) (up to rounding), P(count > 10,000) = 0.2.
        AssertShare(leads, l => l.EmployeeCount <= 100, 0.40, 0.01);
        AssertShare(leads, l => l.EmployeeCount > 10_000, 0.20, 0.01);
        AssertShare(leads, l => l.Seniority == "Manager" && PeerWorkload.JobTitles.First(t => t.Title == l.JobTitle).Seniority != "Manager", 0.1 * 25 / 32, 0.006);
        AssertShare(leads, l => l.PricingPageViews == 0, 0.70, 0.01);
        AssertShare(leads, l => l.PricingPageViews == 5, 0.06, 0.005);
        AssertShare(leads, l => l.WebinarRegistered, 0.20, 0.006);
        AssertShare(leads, l => l.WebinarAttended, 0.12, 0.005);
        AssertShare(leads, l => l.DemoRequested, 0.05, 0.003);
        AssertShare(leads, l => l.UnsubscribedEmail, 0.03, 0.003);

        // Skewed counts floor(u^2.5 * (max + 1)): P(value >= k) = 1 - (k / (max + 1))^0.4.
        AssertShare(leads, l => l.EmailOpens30d >= 15, 1 - Math.Pow(15 / 31.0, 0.4), 0.008);
        AssertShare(leads, l => l.WebVisits30d >= 10, 1 - Math.Pow(10 / 41.0, 0.4), 0.008);
        AssertShare(leads, l => l.ContentDownloads >= 4, 1 - Math.Pow(4 / 9.0, 0.4), 0.008);
        AssertShare(leads, l => l.DaysSinceLastActivity > 90, 1 - Math.Pow(91 / 366.0, 0.4), 0.008);
        AssertShare(leads, l => l.FormSubmissions >= 2, 1 - Math.Pow(2 / 6.0, 0.4), 0.008);
        AssertShare(leads, l => l.SessionsWithVideo >= 1, 1 - Math.Pow(1 / 7.0, 0.4), 0.008);
    }

    [Fact]
    public void ToLeads_PeerLeads_CarriesEveryValueIntoTheAlignmentLead()
    {
        PeerLead[] peers = PeerWorkload.CreatePeerLeads(2_000);
        Lead[] leads = PeerWorkload.ToLeads(peers);
        AttributeSchema schema = PeerAttributes.Schema;
        int Ord(string name) => PeerAttributes.Ordinal(schema, name);
        for (int i = 0; i < peers.Length; i++)
        {
            PeerLead p = peers[i];
            Lead l = leads[i];
            Assert.Equal("lead" + i.ToString(CultureInfo.InvariantCulture), l.Id.Value);
            Assert.Same(schema, l.Attributes.Schema);
            Assert.Equal(p.Industry, l.Company.Industry);
            Assert.Equal(p.EmployeeCount, l.Company.EmployeeCount);
            Assert.Equal(p.AnnualRevenue, l.Company.AnnualRevenue);
            Assert.Equal(p.Country, l.Company.Country);
            Assert.Equal(p.Company, l.Company.Name);
            Assert.Equal(p.JobTitle, l.Person.JobTitle);
            Assert.Equal(p.Seniority, l.Person.Seniority);
            Assert.Equal(p.Department, l.Person.Department);
            Assert.Equal($"lead{i}@{p.EmailDomain}", l.Person.Email);
            Assert.Equal(p.EmailDomain, l.Person.EmailDomain);
            Assert.Equal(p.LeadSource, l.Source);
            Assert.Equal(p.Campaign, l.Campaign);
            Assert.Equal(p.EmailOpens30d, l.Attributes.GetNumber(Ord(PeerAttributes.EmailOpens30d)));
            Assert.Equal(p.WebVisits30d, l.Attributes.GetNumber(Ord(PeerAttributes.WebVisits30d)));
            Assert.Equal(p.ContentDownloads, l.Attributes.GetNumber(Ord(PeerAttributes.ContentDownloads)));
            Assert.Equal(p.DaysSinceLastActivity, l.Attributes.GetNumber(Ord(PeerAttributes.DaysSinceLastActivity)));
            Assert.Equal(p.FormSubmissions, l.Attributes.GetNumber(Ord(PeerAttributes.FormSubmissions)));
            Assert.Equal(p.SessionsWithVideo, l.Attributes.GetNumber(Ord(PeerAttributes.SessionsWithVideo)));
            Assert.Equal(p.EmailClicks30d, l.Attributes.GetNumber(Ord(PeerAttributes.EmailClicks30d)));
            Assert.Equal(p.PricingPageViews, l.Attributes.GetNumber(Ord(PeerAttributes.PricingPageViews)));
            Assert.Equal(p.WebinarRegistered, l.Attributes.GetBoolean(Ord(PeerAttributes.WebinarRegistered)));
            Assert.Equal(p.WebinarAttended, l.Attributes.GetBoolean(Ord(PeerAttributes.WebinarAttended)));
            Assert.Equal(p.DemoRequested, l.Attributes.GetBoolean(Ord(PeerAttributes.DemoRequested)));
            Assert.Equal(p.UnsubscribedEmail, l.Attributes.GetBoolean(Ord(PeerAttributes.UnsubscribedEmail)));
            for (int a = 0; a < schema.Count; a++)
            {
                Assert.True(l.Attributes.HasValue(a), schema.Definitions[a].Name);
            }
        }
    }

    [Fact]
    public void JobTitles_ThirtyTwoDistinctTriples_WithEnoughSeniorLeadsForHotDemoSenior()
    {
        Assert.Equal(32, PeerWorkload.JobTitles.Select(t => t.Title).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(("VP Engineering", "VP", "Engineering"), PeerWorkload.JobTitles);
        Assert.Contains(("Marketing Intern", "Entry", "Marketing"), PeerWorkload.JobTitles);
        Assert.Contains(("Founder & CEO", "C-Level", "Executive"), PeerWorkload.JobTitles);
        Assert.Contains(PeerWorkload.JobTitles, t => t.Title.Contains("Director", StringComparison.Ordinal));
    }

    internal static string Fingerprint(IEnumerable<PeerLead> leads)
    {
        var text = new StringBuilder();
        foreach (PeerLead l in leads)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{l.Index}|{l.Industry}|{l.EmployeeCount}|{l.AnnualRevenue}|{l.Country}|{l.JobTitle}|{l.Seniority}|{l.Department}|{l.Company}|{l.EmailDomain}|{l.Campaign}|{l.LeadSource}|")
                .Append(CultureInfo.InvariantCulture,
                $"{l.EmailOpens30d}|{l.WebVisits30d}|{l.ContentDownloads}|{l.DaysSinceLastActivity}|{l.FormSubmissions}|{l.SessionsWithVideo}|{l.EmailClicks30d}|{l.PricingPageViews}|")
                .Append(CultureInfo.InvariantCulture, $"{l.WebinarRegistered}|{l.WebinarAttended}|{l.DemoRequested}|{l.UnsubscribedEmail}\n");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static int Suffix(string value, string prefix)
    {
        Assert.StartsWith(prefix, value, StringComparison.Ordinal);
        return int.Parse(value[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static void AssertUniform(IEnumerable<string> values, int expectedDistinct)
    {
        var counts = values.GroupBy(v => v).Select(g => g.Count()).ToArray();
        Assert.Equal(expectedDistinct, counts.Length);
        double expected = (double)Large / expectedDistinct;
        Assert.All(counts, c => Assert.InRange(c, expected * 0.9, expected * 1.1));
    }

    private static void AssertShare(PeerLead[] leads, Func<PeerLead, bool> predicate, double expected, double tolerance)
    {
        double share = (double)leads.Count(predicate) / leads.Length;
        Assert.InRange(share, expected - tolerance, expected + tolerance);
    }
}
