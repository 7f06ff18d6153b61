using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Alignment.Cli.Output;
using Alignment.Scoring;

namespace Alignment.Cli;

/// <summary>Builds the <c>alignment</c> root command from a list of <see cref="ICliCommand"/>s, runs it and maps the outcome to an exit code.</summary>
internal static class CliApp
{
    /// <summary>The description shown at the top of <c>alignment --help</c>.</summary>
    public const string Description =
        "Alignment: one lead-scoring standard, segmentation, handoff and nurture policy for sales and marketing. " +
        "Run 'alignment <command> --help' for a command's options.";

    /// <summary>The tool's command name, as installed by <c>dotnet tool install</c>.</summary>
    public const string ToolName = "alignment";

    /// <summary>Builds the root command with every given command under it; <c>--help</c> and <c>--version</c> come with it.</summary>
    /// <param name="console">Where commands write.</param>
    /// <param name="commands">The commands.</param>
    /// <returns>The root command.</returns>
    /// <remarks>
    /// The root is named <see cref="ToolName"/> whatever the executable is called (tests run inside a test host), and
    /// <c>--version</c> prints <see cref="CliVersion.Current"/>, the version of this assembly rather than the entry assembly's.
    /// </remarks>
    public static RootCommand BuildRootCommand(CliConsole console, IEnumerable<ICliCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(commands);
        var root = new RootCommand(Description);
        foreach (var option in root.Options)
        {
            if (option is VersionOption version)
            {
                version.Action = new PrintVersionAction();
            }
        }

        foreach (var command in commands)
        {
            root.Subcommands.Add(command.Create(console));
        }

        return root;
    }

    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns the tool's exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="console">Where output, help and errors are written.</param>
    /// <param name="commands">The commands of the tool.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>
    /// <see cref="ExitCodes.Success"/>, <see cref="ExitCodes.BadInput"/> (message naming file, line and field on standard error),
    /// <see cref="ExitCodes.UsageError"/> (parse errors on standard error), <see cref="ExitCodes.InternalError"/> or
    /// <see cref="ExitCodes.Cancelled"/>.
    /// </returns>
    /// <remarks>
    /// Standard error is written through a <see cref="TerminalSafeWriter"/>: every message, whatever value from an input file or
    /// library exception it quotes, reaches the terminal with its control characters (ESC, BEL, carriage return, …) escaped.
    /// </remarks>
    public static async Task<int> RunAsync(string[] args, CliConsole console, IEnumerable<ICliCommand> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        console = console with { Error = TerminalSafeWriter.For(console.Error) };
        var root = BuildRootCommand(console, commands);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"alignment: {error.Message}").ConfigureAwait(false);
            }

            string commandPath = ToolName;
            for (var result = parse.CommandResult; result.Command is not RootCommand && result.Parent is CommandResult parent; result = parent)
            {
                commandPath = commandPath.Insert(ToolName.Length, " " + result.Command.Name);
            }

            await console.Error.WriteLineAsync($"Run '{commandPath} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CliInputException e)
        {
            await console.Error.WriteLineAsync($"alignment: error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (ScoringRuleException e)
        {
            // A plugin rule failed on some lead: a problem of the plugin or its input, not of the tool (exit 1, no stack trace). The
            // engine keeps the plugin's own message off its exception's message (that may reach logs); the CLI runs on the user's
            // own files, so it shows it here.
            string inner = e.InnerException is { } cause ? $" ({cause.GetType().Name}: {cause.Message})" : string.Empty;
            await console.Error.WriteLineAsync($"alignment: error: {e.Message}{inner}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (IOException e)
        {
            // Reading inputs reports its own errors (with the file); what is left is the environment: a full disk while writing, a
            // closed pipe. Not a bug of the tool: the message, exit 1, no stack trace.
            await console.Error.WriteLineAsync($"alignment: error: input/output failed: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("alignment: cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // The tool's last line of defence: report any bug with its stack trace and a distinct exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await console.Error.WriteLineAsync($"alignment: internal error: {e}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(CliVersion.Current);
            return ExitCodes.Success;
        }
    }
}
