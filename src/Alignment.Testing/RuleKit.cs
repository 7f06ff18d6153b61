using System.Globalization;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Testing;

/// <summary>
/// Checks that a plugin scoring rule, or a whole model with its plugins, keeps the engine's promises (<see cref="RulePromise"/>), over
/// generated leads and the leads you give. Call it from a test: it returns when every promise holds and throws a
/// <see cref="RulePromiseException"/> naming the promise and the lead at the first one broken.
/// </summary>
/// <remarks>Thread-safe: it keeps no state between calls. It runs the rule on 8 threads of its own for the thread-safety check.</remarks>
public static partial class RuleKit
{
    private const int Threads = 8;
    private const int RoundsPerThread = 3;
    private const string KitRuleId = "kit";

    private static readonly string[] Countries = ["US", "GB", "DE", "FR", "JP", "BR", null!];
    private static readonly string[] Industries = ["Software", "Retail", "Finance", "Health", null!];
    private static readonly string[] Texts = ["alpha", "beta", "gamma", "", null!];

    /// <summary>
    /// Checks a rule directly and through a model that refers to it: deterministic, thread-safe, no allocation per lead (when
    /// claimed), its explanation line adding up, any failure named with the rule and the lead, and no attribute read beyond
    /// <see cref="RuleKitOptions.Reads"/>.
    /// </summary>
    /// <param name="rule">The rule, built with <see cref="RuleKitOptions.Schema"/> when it reads attributes.</param>
    /// <param name="options">The leads and the rule's claims; <see langword="null"/> for the defaults.</param>
    /// <returns>How many leads were checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is null.</exception>
    /// <exception cref="ArgumentException">An attribute of <see cref="RuleKitOptions.Reads"/> is not in the schema, or an option is out of range.</exception>
    /// <exception cref="RulePromiseException">The rule broke a promise; names the promise and the lead.</exception>
    public static int CheckRule(IScoringRule rule, RuleKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        options ??= new RuleKitOptions();
        var leads = Leads(options);
        string subject = $"rule '{rule.Name}'";
        var at = new ScoringContext(options.AsOf);

        // Baseline, which also warms the rule up for the allocation check.
        var points = new double[leads.Length];
        var threw = new bool[leads.Length];
        for (int i = 0; i < leads.Length; i++)
        {
            try
            {
                points[i] = rule.Evaluate(leads[i], [], at);
            }
#pragma warning disable CA1031 // A rule's failure is checked through the engine below, whatever it is.
            catch (Exception)
#pragma warning restore CA1031
            {
                threw[i] = true;
            }
        }

        // Deterministic: a second pass, in reverse order.
        for (int i = leads.Length - 1; i >= 0; i--)
        {
            if (!threw[i])
            {
                double again = Evaluate(rule, leads[i], at, subject, RulePromise.Deterministic);
                if (!Same(points[i], again))
                {
                    throw new RulePromiseException(RulePromise.Deterministic, subject, leads[i].Id, $"{Text(points[i])} points, then {Text(again)} points on a second run");
                }
            }
        }

        CheckThreads([.. leads.Select(l => l.Id)], threw, subject, i => rule.Evaluate(leads[i], [], at), points);
        if (options.ClaimsNoAllocation)
        {
            for (int i = 0; i < leads.Length; i++)
            {
                if (threw[i])
                {
                    continue;
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                _ = rule.Evaluate(leads[i], [], at);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated > 0)
                {
                    throw new RulePromiseException(RulePromise.NoAllocationPerLead, subject, leads[i].Id, $"evaluating the lead allocated {allocated.ToString(CultureInfo.InvariantCulture)} bytes (set ClaimsNoAllocation to false if the rule does not claim it)");
                }
            }
        }

        CheckReads(rule, options, leads, threw, points, at, subject);

        // Through the engine: the explanation, and how a failure surfaces.
        var model = ScoringModel.Load(
            $$$"""{"id": "rule-kit", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "plugins": [{"id": "{{{KitRuleId}}}", "rule": {{{System.Text.Json.JsonSerializer.Serialize(rule.Name, RuleKitJson.Default.String)}}}}]}""",
            new ScoringModelOptions { Schema = options.Schema, PluginRules = [rule], Document = "rule kit model" });
        for (int i = 0; i < leads.Length; i++)
        {
            ScoreCard card;
            try
            {
                card = model.Score(leads[i], [], options.AsOf);
            }
            catch (ScoringRuleException ex)
            {
                CheckFailure(ex, leads[i], subject);
                continue;
            }

            CheckExplanation(card, leads[i], subject);
            if (threw[i])
            {
                throw new RulePromiseException(RulePromise.Deterministic, subject, leads[i].Id, "the rule threw on one run and not on another");
            }

            decimal expected = (long)Math.Round(points[i] * 100d, MidpointRounding.AwayFromZero) / 100m; // as the engine rounds: hundredths, halves away from zero
            decimal line = card.Explanation.Where(c => c.RuleId == KitRuleId).Sum(c => c.Points);
            if (line != expected)
            {
                throw new RulePromiseException(RulePromise.ExplanationAddsUp, subject, leads[i].Id, $"the rule gave {Text(points[i])} points, and its explanation line says {line.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        return leads.Length;
    }

    /// <summary>
    /// Checks a whole model (or any <see cref="ILeadScorer"/>, with its plugins): deterministic, thread-safe, every score card's
    /// explanation adding up to its total, and any failure a <see cref="ScoringRuleException"/> naming the rule and the lead.
    /// </summary>
    /// <param name="scorer">The model.</param>
    /// <param name="options">The leads (generated with <see cref="RuleKitOptions.Schema"/>, which should be the model's); <see langword="null"/> for the defaults.</param>
    /// <returns>How many leads were checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="RulePromiseException">The model broke a promise; names the promise and the lead.</exception>
    public static int CheckModel(ILeadScorer scorer, RuleKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        options ??= new RuleKitOptions();
        var leads = Leads(options);
        string subject = $"model {scorer}";
        var totals = new double[leads.Length];
        var threw = new bool[leads.Length];
        for (int i = 0; i < leads.Length; i++)
        {
            ScoreCard first;
            try
            {
                first = scorer.Score(leads[i], [], options.AsOf);
            }
#pragma warning disable CA1031 // Whatever it is, the failure is checked: it must be the documented exception.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (ex is not ScoringRuleException sre)
                {
                    throw new RulePromiseException(RulePromise.FailureNamesRuleAndLead, subject, leads[i].Id, $"scoring threw {ex.GetType().Name} ('{ex.Message}'), not a ScoringRuleException naming the rule and the lead", ex);
                }

                CheckFailure(sre, leads[i], subject);
                threw[i] = true;
                continue;
            }

            CheckExplanation(first, leads[i], subject);
            var second = scorer.Score(leads[i], [], options.AsOf);
            if (second.Total != first.Total)
            {
                throw new RulePromiseException(RulePromise.Deterministic, subject, leads[i].Id, $"a total of {first.Total.ToString(CultureInfo.InvariantCulture)}, then {second.Total.ToString(CultureInfo.InvariantCulture)} on a second run");
            }

            totals[i] = (double)first.Total;
        }

        CheckThreads([.. leads.Select(l => l.Id)], threw, subject, i => (double)scorer.Score(leads[i], [], options.AsOf).Total, totals);
        return leads.Length;
    }

    private static double Evaluate(IScoringRule rule, Lead lead, in ScoringContext at, string subject, RulePromise promise)
    {
        try
        {
            return rule.Evaluate(lead, [], at);
        }
#pragma warning disable CA1031 // Reported as the broken promise, with the exception inside.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new RulePromiseException(promise, subject, lead.Id, $"the rule threw {ex.GetType().Name} on one run and not on another", ex);
        }
    }

    private static void CheckThreads(LeadId[] leads, bool[] threw, string subject, Func<int, double> score, double[] expected)
    {
        if (leads.Length == 0)
        {
            return;
        }

        RulePromiseException? broken = null;
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int offset = t * leads.Length / Threads;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                for (int round = 0; round < RoundsPerThread && Volatile.Read(ref broken) is null; round++)
                {
                    for (int k = 0; k < leads.Length; k++)
                    {
                        int i = (offset + k) % leads.Length;
                        if (threw[i])
                        {
                            continue;
                        }

                        double seen;
                        try
                        {
                            seen = score(i);
                        }
#pragma warning disable CA1031 // Reported as the broken promise, with the exception inside.
                        catch (Exception ex)
#pragma warning restore CA1031
                        {
                            Interlocked.CompareExchange(ref broken, new RulePromiseException(RulePromise.ThreadSafe, subject, leads[i], $"threw {ex.GetType().Name} with {Threads} threads at once", ex), null);
                            return;
                        }

                        if (!Same(seen, expected[i]))
                        {
                            Interlocked.CompareExchange(ref broken, new RulePromiseException(RulePromise.ThreadSafe, subject, leads[i], $"{Text(expected[i])} points alone, {Text(seen)} with {Threads} threads at once"), null);
                            return;
                        }
                    }
                }
            })
            { IsBackground = true, Name = "rule kit " + t.ToString(CultureInfo.InvariantCulture) };
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        if (broken is not null)
        {
            throw broken;
        }
    }

    private static void CheckReads(IScoringRule rule, RuleKitOptions options, Lead[] leads, bool[] threw, double[] points, in ScoringContext at, string subject)
    {
        var schema = options.Schema;
        var others = new List<int>();
        for (int o = 0; o < schema.Count; o++)
        {
            if (!options.Reads.Contains(schema.Definitions[o].Name))
            {
                others.Add(o);
            }
        }

        if (others.Count == 0)
        {
            return;
        }

        for (int i = 0; i < leads.Length; i++)
        {
            if (threw[i] || !ReferenceEquals(leads[i].Attributes.Schema, schema))
            {
                continue;
            }

            var builder = Copy(leads[i].Attributes);
            foreach (int o in others)
            {
                var d = schema.Definitions[o];
                _ = d.Kind switch
                {
                    AttributeKind.Number => builder.Set(d.Name, leads[i].Attributes.HasValue(o) ? leads[i].Attributes.GetNumber(o) + 37.5 : 42),
                    AttributeKind.Boolean => builder.Set(d.Name, !leads[i].Attributes.GetBoolean(o)),
                    _ => builder.Set(d.Name, (leads[i].Attributes.GetText(o) ?? string.Empty) + "-changed"),
                };
            }

            var changed = leads[i] with { Attributes = builder.Build() };
            double seen;
            try
            {
                seen = rule.Evaluate(changed, [], at);
            }
#pragma warning disable CA1031 // Reported as the broken promise, with the exception inside.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                throw new RulePromiseException(RulePromise.ReadsOnlyItsSchema, subject, leads[i].Id, $"the rule threw {ex.GetType().Name} when only attributes it does not declare changed", ex);
            }

            if (!Same(seen, points[i]))
            {
                string names = string.Join(", ", others.Select(o => schema.Definitions[o].Name));
                throw new RulePromiseException(RulePromise.ReadsOnlyItsSchema, subject, leads[i].Id, $"{Text(points[i])} points, and {Text(seen)} once attributes it does not declare ({names}) changed; declare what it reads in Reads");
            }
        }
    }

    private static void CheckExplanation(ScoreCard card, Lead lead, string subject)
    {
        decimal sum = card.Explanation.Sum(c => c.Points);
        if (sum != card.Total)
        {
            throw new RulePromiseException(RulePromise.ExplanationAddsUp, subject, lead.Id, $"the explanation adds up to {sum.ToString(CultureInfo.InvariantCulture)}, the total is {card.Total.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static void CheckFailure(ScoringRuleException ex, Lead lead, string subject)
    {
        if (string.IsNullOrEmpty(ex.RuleId) || !ex.Message.Contains(lead.Id.Value, StringComparison.Ordinal))
        {
            throw new RulePromiseException(RulePromise.FailureNamesRuleAndLead, subject, lead.Id, $"the ScoringRuleException '{ex.Message}' (rule id '{ex.RuleId}') does not name both the rule and the lead", ex);
        }
    }

    private static Lead[] Leads(RuleKitOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.GeneratedLeads, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.GeneratedLeads, 100_000, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Schema, nameof(options));
        foreach (string name in options.Reads)
        {
            if (!options.Schema.TryGetOrdinal(name, out _))
            {
                throw new ArgumentException($"Reads names '{name}', which the schema does not have.", nameof(options));
            }
        }

        var random = new Random(options.Seed);
        var leads = new List<Lead>(options.GeneratedLeads + options.Leads.Count);
        for (int i = 0; i < options.GeneratedLeads; i++)
        {
            var builder = options.Schema.CreateBuilder();
            foreach (var d in options.Schema.Definitions)
            {
                int pick = random.Next(10);
                _ = d.Kind switch
                {
                    AttributeKind.Number => pick == 0 ? builder : builder.Set(d.Name, pick == 1 ? 0 : pick == 2 ? -1 : Math.Round(random.NextDouble() * 120, 2)),
                    AttributeKind.Boolean => builder.Set(d.Name, pick % 2 == 0),
                    _ => builder.Set(d.Name, Texts[pick % Texts.Length]),
                };
            }

            leads.Add(new Lead(new LeadId("kit-" + i.ToString(CultureInfo.InvariantCulture)))
            {
                Company = new CompanyProfile
                {
                    Country = Countries[random.Next(Countries.Length)],
                    Industry = Industries[random.Next(Industries.Length)],
                    EmployeeCount = random.Next(4) == 0 ? null : random.Next(1, 20_000),
                },
                Source = random.Next(3) == 0 ? "Webinar" : null,
                Attributes = builder.Build(),
            });
        }

        leads.AddRange(options.Leads);
        return [.. leads];
    }

    private static LeadAttributesBuilder Copy(LeadAttributes attributes)
    {
        var schema = attributes.Schema;
        var builder = schema.CreateBuilder();
        for (int o = 0; o < schema.Count; o++)
        {
            var d = schema.Definitions[o];
            if (!attributes.HasValue(o))
            {
                continue;
            }

            _ = d.Kind switch
            {
                AttributeKind.Number => builder.Set(d.Name, attributes.GetNumber(o)),
                AttributeKind.Boolean => builder.Set(d.Name, attributes.GetBoolean(o)),
                _ => builder.Set(d.Name, attributes.GetText(o)),
            };
        }

        return builder;
    }

    private static bool Same(double a, double b) => a.Equals(b);

    private static string Text(double points) => points.ToString("R", CultureInfo.InvariantCulture);
}
