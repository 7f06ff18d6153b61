using System.Globalization;
using System.Text.RegularExpressions;

namespace Alignment.Benchmarks.Guards;

/// <summary>
/// One line of <c>benchmarks/guards.txt</c>: a ratio of two medians measured in the same process, a scaling ratio (one such
/// ratio at a large size divided by the same ratio at a small size), or the allocation of one case, against a limit. Syntax
/// (one guard per line, <c>#</c> starts the comment that says which promise it guards):
/// <code>
/// Type.Method / Type.Method &lt;= 1.25                                     # the promise
/// Type.Method / Type.Method &gt;= 50                                       # the promise
/// (Type.A(N=big) / Type.B(N=big)) / (Type.A(N=small) / Type.B(N=small)) &lt;= 1.5   # the promise
/// Type.Method allocated &lt;= 0                                            # the promise
/// Type.Method median &lt;= 1000000                                       # an absolute time per operation, in ns
/// Type.Method p99 &lt;= 25000000                                         # an absolute p99 latency, in ns
/// </code>
/// A key may carry parameters as BenchmarkDotNet writes them: <c>Type.Method(N=1000)</c>. Every case of a guard must belong to
/// one class. In a scaling ratio each size is divided by its own baseline measured in the same process, so a machine that
/// is busier while one size runs than while the other does moves neither ratio. The absolute forms (<c>median</c>, <c>p99</c>)
/// exist for the HTTP load run (eng/load.sh), whose issue sets absolute targets; its report's median is nanoseconds per request
/// at the measured throughput and its <c>P99</c> percentile the p99 latency (BenchmarkDotNet's own reports have no P99, so a
/// <c>p99</c> guard over one of them is NOT RUN).
/// </summary>
/// <param name="Line">The line number in the file.</param>
/// <param name="Subject">The measured case.</param>
/// <param name="Baseline">The case the subject is divided by; <see langword="null"/> for an allocation guard.</param>
/// <param name="Comparison"><c>&lt;=</c> or <c>&gt;=</c>.</param>
/// <param name="Limit">The limit.</param>
/// <param name="Promise">The comment: which promise the guard keeps.</param>
/// <param name="ReferenceSubject">For a scaling ratio: the subject at the other size; otherwise <see langword="null"/>.</param>
/// <param name="ReferenceBaseline">For a scaling ratio: the baseline at the other size; otherwise <see langword="null"/>.</param>
/// <param name="Absolute">
/// For an absolute guard: <c>median</c> or <c>p99</c>, the figure (in nanoseconds) compared with the limit; otherwise
/// <see langword="null"/>. An absolute guard has no baseline.
/// </param>
public sealed partial record Guard(int Line, string Subject, string? Baseline, string Comparison, double Limit, string Promise, string? ReferenceSubject = null, string? ReferenceBaseline = null, string? Absolute = null)
{
    private const string Key = @"[A-Za-z_][\w]*\.[\w]+(\([^)]*\))?";

    /// <summary>Reads a guards file.</summary>
    /// <param name="lines">The file's lines.</param>
    /// <param name="file">The file name, for messages.</param>
    /// <returns>The guards.</returns>
    /// <exception cref="FormatException">A line is malformed or has no comment; the message names the file and line.</exception>
    public static IReadOnlyList<Guard> Parse(IEnumerable<string> lines, string file)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var guards = new List<Guard>();
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash < 0 || line[(hash + 1)..].Trim().Length == 0)
            {
                throw new FormatException($"{file}, line {number}: every guard needs a comment (# …) saying which promise it keeps.");
            }

            string promise = line[(hash + 1)..].Trim();
            string body = line[..hash].Trim();
            Guard guard;
            var scaling = Scaling().Match(body);
            if (scaling.Success)
            {
                guard = new Guard(number, scaling.Groups["s"].Value, scaling.Groups["b"].Value, scaling.Groups["op"].Value, ParseLimit(scaling, file, number, body), promise, scaling.Groups["rs"].Value, scaling.Groups["rb"].Value);
            }
            else
            {
                var m = Syntax().Match(body);
                if (!m.Success)
                {
                    throw new FormatException($"{file}, line {number}: expected 'Type.Method / Type.Method <= N', '(A / B) / (C / D) <= N', 'Type.Method allocated <= N' or 'Type.Method median|p99 <= N', found '{body}'.");
                }

                string? baseline = m.Groups["base"].Success ? m.Groups["base"].Value : null;
                string? absolute = m.Groups["abs"].Success ? m.Groups["abs"].Value : null;
                if (baseline is null && !m.Groups["alloc"].Success && absolute is null)
                {
                    throw new FormatException($"{file}, line {number}: a guard is a ratio (A / B), an allocation (A allocated) or an absolute time (A median, A p99).");
                }

                guard = new Guard(number, m.Groups["subject"].Value, baseline, m.Groups["op"].Value, ParseLimit(m, file, number, body), promise, Absolute: absolute);
            }

            if (guard.Cases.Any(c => !string.Equals(TypeOf(c), guard.Type, StringComparison.Ordinal)))
            {
                throw new FormatException($"{file}, line {number}: every case of a guard must be a method of one class (measured in one run, and re-measured together when the guard trips).");
            }

            guards.Add(guard);
        }

        return guards;
    }

    /// <summary>The class the guard belongs to (the subject's type).</summary>
    public string Type => TypeOf(Subject);

    /// <summary>Every case the guard reads: the subject, then the baseline and the reference size's cases when there are any.</summary>
    public IEnumerable<string> Cases => new[] { Subject, Baseline, ReferenceSubject, ReferenceBaseline }.OfType<string>();

    /// <summary>The guard as written, without its limit: <c>A / B</c>, <c>(A / B) / (C / D)</c>, <c>A allocated</c>, <c>A median</c> or <c>A p99</c>.</summary>
    public string Description => Absolute is not null ? $"{Subject} {Absolute}"
        : Baseline is null ? $"{Subject} allocated"
        : ReferenceSubject is null ? $"{Subject} / {Baseline}"
        : $"({Subject} / {Baseline}) / ({ReferenceSubject} / {ReferenceBaseline})";

    private static string TypeOf(string key) => key[..key.IndexOf('.', StringComparison.Ordinal)];

    private static double ParseLimit(Match m, string file, int number, string body) =>
        double.TryParse(m.Groups["limit"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double limit)
            ? limit
            : throw new FormatException($"{file}, line {number}: the limit of '{body}' is not a number.");

    [GeneratedRegex(@"^(?<subject>" + Key + @")\s*(/\s*(?<base>" + Key + @")|(?<alloc>allocated)|(?<abs>median|p99))\s*(?<op><=|>=)\s*(?<limit>[-+0-9.eE]+)$")]
    private static partial Regex Syntax();

    [GeneratedRegex(@"^\(\s*(?<s>" + Key + @")\s*/\s*(?<b>" + Key + @")\s*\)\s*/\s*\(\s*(?<rs>" + Key + @")\s*/\s*(?<rb>" + Key + @")\s*\)\s*(?<op><=|>=)\s*(?<limit>[-+0-9.eE]+)$")]
    private static partial Regex Scaling();
}
