using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Alignment.Leads;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <summary>
/// Compiles profile (fit and negative-profile) conditions once into delegates: over <see cref="Lead"/> objects, and over the
/// encoded batch format. A kernel returns, for its group of rules, Σ(points·65536 + gradeSteps) over the rules that hold, so
/// one addition per matching rule carries both the points (in hundredths) and the grade steps.
/// </summary>
/// <remarks>
/// Kernels are emitted as IL straight from the condition trees (a 200-rule model compiles in a few milliseconds). Where the
/// runtime cannot compile IL (NativeAOT), or when <see cref="ScoringModelOptions.PreferInterpretation"/> is set, the same
/// conditions are evaluated by closures built once from the trees instead: same results, slower.
/// </remarks>
internal static partial class ProfileKernels
{
    public const int PackShift = 16;

    /// <summary>The most <see cref="Weight"/> one emitted method takes (a 200-rule model weighs about 600).</summary>
    internal const int MaxWeightPerMethod = 4096;

    public static long Pack(long pointsHundredths, int gradeSteps) => (pointsHundredths << PackShift) + gradeSteps;

    public static void Unpack(long packed, out long pointsHundredths, out int gradeSteps)
    {
        gradeSteps = (short)(packed & 0xFFFF);
        pointsHundredths = (packed - gradeSteps) >> PackShift;
    }

    private const string EmitsIl = "Emits IL. Callers check RuntimeFeature.IsDynamicCodeCompiled first and use the Interpreter where it is false (NativeAOT).";

    /// <summary>Compiles <c>Func&lt;Lead, long&gt;</c> summing the packed values of the given rules whose condition holds.</summary>
    public static Func<Lead, long> CompileObjectKernel(IReadOnlyList<ProfileRulePlan> rules, Binder binder, bool interpret)
    {
        if (interpret || !RuntimeFeature.IsDynamicCodeCompiled)
        {
            var tests = rules.Select(r => Interpreter.ForLead(r.Definition.When, binder)).ToArray();
            long[] packed = [.. rules.Select(r => Pack(r.PointsHundredths, r.GradeSteps))];
            return lead =>
            {
                long sum = 0;
                for (int i = 0; i < tests.Length; i++)
                {
                    if (tests[i](lead))
                    {
                        sum += packed[i];
                    }
                }

                return sum;
            };
        }

        return EmitObjectKernel(rules, binder);
    }

    [RequiresDynamicCode(EmitsIl)]
    private static Func<Lead, long> EmitObjectKernel(IReadOnlyList<ProfileRulePlan> rules, Binder binder)
    {
        var parts = Chunks(rules).Select(chunk =>
        {
            var e = new Emitter("ProfileKernel", typeof(long), [typeof(object[]), typeof(Lead)], binder, encoding: null);
            e.EmitSum(chunk);
            return e.Create<Func<Lead, long>>();
        }).ToArray();
        return parts.Length == 1 ? parts[0] : lead =>
        {
            long sum = 0;
            foreach (var part in parts)
            {
                sum += part(lead);
            }

            return sum;
        };
    }

    /// <summary>Compiles <c>Action&lt;Lead, bool[]&gt;</c> writing, for each rule, whether its condition holds (explanations only).</summary>
    public static Action<Lead, bool[]> CompileObjectMatches(IReadOnlyList<ProfileRulePlan> rules, Binder binder, bool interpret)
    {
        if (interpret || !RuntimeFeature.IsDynamicCodeCompiled)
        {
            var tests = rules.Select(r => (r.Index, Test: Interpreter.ForLead(r.Definition.When, binder))).ToArray();
            return (lead, matched) =>
            {
                foreach (var (index, test) in tests)
                {
                    matched[index] = test(lead);
                }
            };
        }

        return EmitObjectMatches(rules, binder);
    }

    [RequiresDynamicCode(EmitsIl)]
    private static Action<Lead, bool[]> EmitObjectMatches(IReadOnlyList<ProfileRulePlan> rules, Binder binder)
    {
        var parts = Chunks(rules).Select(chunk =>
        {
            var e = new Emitter("ProfileMatches", typeof(void), [typeof(object[]), typeof(Lead), typeof(bool[])], binder, encoding: null);
            e.EmitMatches(chunk, matchedArg: 2);
            return e.Create<Action<Lead, bool[]>>();
        }).ToArray();
        return parts.Length == 1 ? parts[0] : (lead, matched) =>
        {
            foreach (var part in parts)
            {
                part(lead, matched);
            }
        };
    }

    /// <summary>Compiles <c>Func&lt;double[], int, long&gt;</c>: the same kernel over an encoded row starting at the given offset.</summary>
    public static Func<double[], int, long> CompileEncodedKernel(IReadOnlyList<ProfileRulePlan> rules, EncodingPlan encoding, Binder binder, bool interpret)
    {
        if (interpret || !RuntimeFeature.IsDynamicCodeCompiled)
        {
            var tests = rules.Select(r => Interpreter.ForRow(r.Definition.When, encoding)).ToArray();
            long[] packed = [.. rules.Select(r => Pack(r.PointsHundredths, r.GradeSteps))];
            return (data, offset) =>
            {
                long sum = 0;
                for (int i = 0; i < tests.Length; i++)
                {
                    if (tests[i](data, offset))
                    {
                        sum += packed[i];
                    }
                }

                return sum;
            };
        }

        return EmitEncodedKernel(rules, encoding, binder);
    }

    [RequiresDynamicCode(EmitsIl)]
    private static Func<double[], int, long> EmitEncodedKernel(IReadOnlyList<ProfileRulePlan> rules, EncodingPlan encoding, Binder binder)
    {
        var parts = Chunks(rules).Select(chunk =>
        {
            var e = new Emitter("EncodedProfileKernel", typeof(long), [typeof(object[]), typeof(double[]), typeof(int)], binder, encoding);
            e.EmitSum(chunk);
            return e.Create<Func<double[], int, long>>();
        }).ToArray();
        return parts.Length == 1 ? parts[0] : (data, offset) =>
        {
            long sum = 0;
            foreach (var part in parts)
            {
                sum += part(data, offset);
            }

            return sum;
        };
    }

    /// <summary>
    /// Splits the rules, in order, into groups of bounded size, one emitted method each: the JIT's cost grows faster than a
    /// method's size (branches, locals), so one method for 100,000 rules would take minutes where 100 methods take a second.
    /// A model of a few hundred rules is one group. Sums of packed values add the same whatever the grouping.
    /// </summary>
    internal static IEnumerable<IReadOnlyList<ProfileRulePlan>> Chunks(IReadOnlyList<ProfileRulePlan> rules)
    {
        var chunk = new List<ProfileRulePlan>();
        int weight = 0;
        foreach (var rule in rules)
        {
            int w = Weight(rule.Definition.When);
            if (chunk.Count > 0 && weight + w > MaxWeightPerMethod)
            {
                yield return chunk;
                chunk = [];
                weight = 0;
            }

            chunk.Add(rule);
            weight += w;
        }

        if (chunk.Count > 0 || rules.Count == 0)
        {
            yield return chunk;
        }
    }

    /// <summary>About how many branches a condition emits: one per leaf and per literal it compares with.</summary>
    private static int Weight(Condition c)
    {
        int w = 0;
        foreach (var f in Leaves(c))
        {
            w += 1 + (f.Values.IsDefault ? 0 : f.Values.Length);
        }

        return w;
    }

    /// <summary>Resolves field names and knows the model's text comparison.</summary>
    internal sealed class Binder(Func<string, FieldBinding> resolve, TextComparison comparison)
    {
        public FieldBinding Resolve(string name) => resolve(name);

        public StringComparison Comparison { get; } = comparison == TextComparison.Ordinal ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

        public StringComparer Comparer => Comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
    }

    internal static IEnumerable<FieldCondition> Leaves(Condition c) => c switch
    {
        Condition.All all => all.Conditions.SelectMany(Leaves),
        Condition.Any any => any.Conditions.SelectMany(Leaves),
        Condition.Negated not => Leaves(not.Inner),
        FieldCondition f => [f],
        _ => [],
    };
}
