using System.Globalization;
using Alignment.Cli.Output;

namespace Alignment.Cli.Csv;

/// <summary>
/// A progress line on standard error (<c>leads.csv: 1,200,000 rows</c>, rewritten in place) for long runs, shown only when standard
/// error is the process's own console and a terminal; redirected or captured error output gets nothing.
/// </summary>
internal sealed class CsvProgress : IProgress<long>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly TextWriter? _error;
    private readonly string _what;
    private readonly TimeProvider _time;
    private long _lastShown;
    private bool _shown;

    /// <summary>Creates the indicator.</summary>
    /// <param name="console">The console; progress shows only for <see cref="CliConsole.System"/>'s standard error on a terminal.</param>
    /// <param name="what">What is being read, for example the file name.</param>
    /// <param name="time">The clock used to throttle updates.</param>
    public CsvProgress(CliConsole console, string what, TimeProvider time)
    {
        // The line is written past the safe wrapper of standard error (its carriage return is on purpose); what it names is escaped.
        var error = TerminalSafeWriter.Unwrap(console.Error);
        _error = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? error : null;
        _what = TerminalText.Escape(what);
        _time = time;
        _lastShown = time.GetTimestamp();
    }

    /// <summary>Whether anything is shown.</summary>
    public bool Enabled => _error is not null;

    /// <summary>Reports how many rows are done; updates the line at most four times a second, and not in the first quarter second.</summary>
    /// <param name="rows">Rows done so far.</param>
    public void Report(long rows)
    {
        if (_error is null || (rows & 1023) != 0)
        {
            return;
        }

        long now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastShown, now) < Interval)
        {
            return;
        }

        _lastShown = now;
        _shown = true;
        _error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_what}: {rows:N0} rows"));
    }

    /// <summary>Ends the progress line, if one was shown.</summary>
    /// <param name="rows">The final count.</param>
    public void Complete(long rows)
    {
        if (_error is not null && _shown)
        {
            _error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\r{_what}: {rows:N0} rows, done."));
        }
    }
}
