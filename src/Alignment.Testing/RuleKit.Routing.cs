using System.Globalization;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Testing;

/// <summary>The kit's checks of routing plugins: strategies and conditions.</summary>
public static partial class RuleKit
{
    private static readonly string[] Domains = ["acme.com", "tax.example.gov", "shop.example.co.uk", null!];
    private static readonly string[] Sources = ["Webinar", "Agency", "Web", null!];
    private static readonly Grade[] Grades = Enum.GetValues<Grade>();

    /// <summary>
    /// Checks a routing strategy over generated leads and pools of 1 to 6 eligible reps: it chooses one of the eligible reps or -1
    /// (<see cref="RulePromise.ChoosesAnEligibleRep"/>), deterministic, thread-safe on 8 threads, and allocation-free per choice when
    /// <see cref="RuleKitOptions.ClaimsNoAllocation"/> is set. Of the options, only <see cref="RuleKitOptions.GeneratedLeads"/>,
    /// <see cref="RuleKitOptions.Seed"/> and <see cref="RuleKitOptions.ClaimsNoAllocation"/> apply.
    /// </summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>How many leads were checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="strategy"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="RulePromiseException">The strategy broke a promise (a throw counts as breaking the first); names the promise and the lead.</exception>
    public static int CheckRoutingStrategy(IRoutingStrategy strategy, RuleKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        options ??= new RuleKitOptions();
        var leads = RoutingLeads(options);
        var reps = new RepId[6];
        for (int r = 0; r < reps.Length; r++)
        {
            reps[r] = new RepId("rep-" + r.ToString(CultureInfo.InvariantCulture));
        }

        string subject = $"routing strategy '{strategy.Name}'";
        int Count(int i) => 1 + (i % reps.Length);
        double Choose(int i) => strategy.Choose(leads[i], reps.AsSpan(0, Count(i)));
        var chosen = new double[leads.Length];
        for (int i = 0; i < leads.Length; i++)
        {
            chosen[i] = Guarded(RulePromise.ChoosesAnEligibleRep, subject, leads[i].LeadId, () => Choose(i));
            if (chosen[i] < -1 || chosen[i] >= Count(i))
            {
                throw new RulePromiseException(RulePromise.ChoosesAnEligibleRep, subject, leads[i].LeadId, $"chose {Text(chosen[i])} among {Count(i).ToString(CultureInfo.InvariantCulture)} eligible reps; expected an index below that, or -1");
            }
        }

        CheckRoutingPasses(leads, subject, Choose, chosen, options.ClaimsNoAllocation);
        return leads.Length;
    }

    /// <summary>
    /// Checks a routing condition over generated leads: deterministic, thread-safe on 8 threads, and allocation-free per lead when
    /// <see cref="RuleKitOptions.ClaimsNoAllocation"/> is set. Of the options, only <see cref="RuleKitOptions.GeneratedLeads"/>,
    /// <see cref="RuleKitOptions.Seed"/> and <see cref="RuleKitOptions.ClaimsNoAllocation"/> apply.
    /// </summary>
    /// <param name="condition">The condition.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>How many leads were checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="RulePromiseException">The condition broke a promise (a throw counts as not deterministic); names the promise and the lead.</exception>
    public static int CheckRoutingCondition(IRoutingCondition condition, RuleKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        options ??= new RuleKitOptions();
        var leads = RoutingLeads(options);
        string subject = $"routing condition '{condition.Name}'";
        double Match(int i) => condition.Matches(leads[i]) ? 1 : 0;
        var matched = new double[leads.Length];
        for (int i = 0; i < leads.Length; i++)
        {
            matched[i] = Guarded(RulePromise.Deterministic, subject, leads[i].LeadId, () => Match(i));
        }

        CheckRoutingPasses(leads, subject, Match, matched, options.ClaimsNoAllocation);
        return leads.Length;
    }

    private static void CheckRoutingPasses(RoutingPluginLead[] leads, string subject, Func<int, double> run, double[] expected, bool claimsNoAllocation)
    {
        for (int i = leads.Length - 1; i >= 0; i--)
        {
            double again = Guarded(RulePromise.Deterministic, subject, leads[i].LeadId, () => run(i));
            if (!Same(again, expected[i]))
            {
                throw new RulePromiseException(RulePromise.Deterministic, subject, leads[i].LeadId, $"{Text(expected[i])}, then {Text(again)} on a second run");
            }
        }

        CheckThreads([.. leads.Select(l => l.LeadId)], new bool[leads.Length], subject, run, expected);
        if (!claimsNoAllocation)
        {
            return;
        }

        for (int i = 0; i < leads.Length; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = run(i);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > 0)
            {
                throw new RulePromiseException(RulePromise.NoAllocationPerLead, subject, leads[i].LeadId, $"allocated {allocated.ToString(CultureInfo.InvariantCulture)} bytes (set ClaimsNoAllocation to false if the plugin does not claim it)");
            }
        }
    }

    private static double Guarded(RulePromise promise, string subject, LeadId lead, Func<double> run)
    {
        try
        {
            return run();
        }
#pragma warning disable CA1031 // Reported as the broken promise, with the exception inside.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new RulePromiseException(promise, subject, lead, $"threw {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private static RoutingPluginLead[] RoutingLeads(RuleKitOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.GeneratedLeads, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.GeneratedLeads, 100_000, nameof(options));
        var random = new Random(options.Seed);
        var leads = new RoutingPluginLead[options.GeneratedLeads];
        for (int i = 0; i < leads.Length; i++)
        {
            leads[i] = new RoutingPluginLead(
                new LeadId("kit-" + i.ToString(CultureInfo.InvariantCulture)),
                Countries[random.Next(Countries.Length)],
                null,
                random.Next(2) == 0 ? "en" : null,
                random.Next(3) == 0 ? "enterprise" : null,
                Sources[random.Next(Sources.Length)],
                random.Next(4) == 0 ? "acc-" + random.Next(10).ToString(CultureInfo.InvariantCulture) : null,
                Domains[random.Next(Domains.Length)],
                random.Next(0, 101),
                Grades[random.Next(Grades.Length)],
                (QualificationState)random.Next(0, 3));
        }

        return leads;
    }
}
