using System.Globalization;
using System.Text.RegularExpressions;

namespace Alignment.Benchmarks.Guards;

/// <summary>
/// One line of <c>benchmarks/guards.txt</c>: a ratio of two medians measured in the same process, or the allocation of one case,
/// against a limit. Syntax (one guard per line, <c>#</c> starts the comment that says which promise it guards):
/// <code>
/// Type.Method / Type.Method &lt;= 1.25   # the promise
/// Type.Method / Type.Method &gt;= 50     # the promise
/// Type.Method allocated &lt;= 0          # the promise
/// </code>
/// A key may carry parameters as BenchmarkDotNet writes them: <c>Type.Method(N=1000)</c>.
/// </summary>
/// <param name="Line">The line number in the file.</param>
/// <param name="Subject">The measured case.</param>
/// <param name="Baseline">The case the subject is divided by; <see langword="null"/> for an allocation guard.</param>
/// <param name="Comparison"><c>&lt;=</c> or <c>&gt;=</c>.</param>
/// <param name="Limit">The limit.</param>
/// <param name="Promise">The comment: which promise the guard keeps.</param>
public sealed partial record Guard(int Line, string Subject, string? Baseline, string Comparison, double Limit, string Promise)
{
    /// <summary>Reads a guards file.</summary>
    /// <param name="lines">The file's lines.</param>
    /// <param name="file">The file name, for messages.</param>
    /// <returns>The guards.</returns>
    /// <exception cref="FormatException">A line is malformed or has no comment; the message names the file and line.</exception>
    public static IReadOnlyList<Guard> Parse(IEnumerable<string> lines, string file)
    {
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
            var m = Syntax().Match(line[..hash].Trim());
            if (!m.Success || !double.TryParse(m.Groups["limit"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double limit))
            {
                throw new FormatException($"{file}, line {number}: expected 'Type.Method / Type.Method <= N' or 'Type.Method allocated <= N', found '{line[..hash].Trim()}'.");
            }

            string? baseline = m.Groups["base"].Success ? m.Groups["base"].Value : null;
            if (baseline is null && !m.Groups["alloc"].Success)
            {
                throw new FormatException($"{file}, line {number}: a guard is either a ratio (A / B) or an allocation (A allocated).");
            }

            var guard = new Guard(number, m.Groups["subject"].Value, baseline, m.Groups["op"].Value, limit, promise);
            if (baseline is not null && !string.Equals(guard.Type, baseline[..baseline.IndexOf('.', StringComparison.Ordinal)], StringComparison.Ordinal))
            {
                throw new FormatException($"{file}, line {number}: both sides of a ratio must be methods of one class (measured in one process, and re-measured together when the guard trips).");
            }

            guards.Add(guard);
        }

        return guards;
    }

    /// <summary>The class the guard belongs to (the subject's type).</summary>
    public string Type => Subject[..Subject.IndexOf('.', StringComparison.Ordinal)];

    [GeneratedRegex(@"^(?<subject>[A-Za-z_][\w]*\.[\w]+(\([^)]*\))?)\s*(/\s*(?<base>[A-Za-z_][\w]*\.[\w]+(\([^)]*\))?)|(?<alloc>allocated))\s*(?<op><=|>=)\s*(?<limit>[-+0-9.eE]+)$")]
    private static partial Regex Syntax();
}
