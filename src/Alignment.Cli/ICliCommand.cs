using System.CommandLine;

namespace Alignment.Cli;

/// <summary>
/// One command of the <c>alignment</c> tool. An implementation lives in its own file under Commands/ and is listed once in
/// <see cref="Program.Commands"/>.
/// </summary>
internal interface ICliCommand
{
    /// <summary>Builds the command: its name, description, options and action.</summary>
    /// <param name="console">Where the action writes; commands never use <see cref="Console"/> directly, so tests can capture output.</param>
    /// <returns>The command, whose action returns an exit code from <see cref="ExitCodes"/>.</returns>
    /// <remarks>
    /// An action reports bad input (a malformed file, a missing field) by throwing <see cref="CliInputException"/>; the tool
    /// writes its message to standard error and exits with <see cref="ExitCodes.BadInput"/>.
    /// </remarks>
    Command Create(CliConsole console);
}
