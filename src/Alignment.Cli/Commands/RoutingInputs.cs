using System.Globalization;
using System.Text;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;

namespace Alignment.Cli.Commands;

/// <summary>Loads routing policies and rosters for the command line, naming the file of every problem.</summary>
internal static class RoutingInputs
{
    /// <summary>Reads, validates and compiles a policy with its roster.</summary>
    /// <param name="policyPath">The policy file.</param>
    /// <param name="rosterPath">The roster file.</param>
    /// <param name="limits">The limits the command reads its files with (<c>--limit</c>); the files' sizes are checked against them here.</param>
    /// <param name="plugins">The routing plugins given with <c>--plugin</c>, or <see langword="null"/> for none.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="CliInputException">A file is missing, over the size limit, malformed or invalid; every problem with its file and JSON path.</exception>
    public static CompiledRoutingPolicy Load(string policyPath, string rosterPath, ModelReadLimits limits, PluginRules? plugins = null)
    {
        string policy = CommandInputs.ReadAllText(policyPath, "--policy", limits);
        string roster = CommandInputs.ReadAllText(rosterPath, "--roster", limits);
        try
        {
            return CompiledRoutingPolicy.Load(policy, roster, (plugins ?? PluginRules.None).CreateRouting(limits));
        }
        catch (ModelException e)
        {
            throw Invalid(e, policyPath, rosterPath);
        }
    }

    /// <summary>Every problem of a routing load, with the file it is in.</summary>
    /// <param name="e">The exception.</param>
    /// <param name="policyPath">The policy file, or <see langword="null"/>.</param>
    /// <param name="rosterPath">The roster file, or <see langword="null"/>.</param>
    /// <returns>The problems as (file, JSON path, message).</returns>
    public static IEnumerable<(string File, string Path, string Message)> Errors(ModelException e, string? policyPath, string? rosterPath) =>
        e.Errors.IsDefaultOrEmpty
            ? [(policyPath ?? rosterPath ?? "policy", "$", e.Message)]
            : e.Errors.Select(x => (x.Document == "roster" ? rosterPath ?? "roster" : policyPath ?? "policy", x.Path, CommandInputs.Text(x)));

    /// <summary>The exception for a failed routing load.</summary>
    /// <param name="e">The load's exception.</param>
    /// <param name="policyPath">The policy file.</param>
    /// <param name="rosterPath">The roster file.</param>
    /// <returns>The tool's exception.</returns>
    public static CliInputException Invalid(ModelException e, string policyPath, string rosterPath)
    {
        var errors = Errors(e, policyPath, rosterPath).ToList();
        if (errors.All(x => x.File == errors[0].File))
        {
            return CommandInputs.Invalid(errors[0].File, errors[0].File == rosterPath ? "roster" : "routing policy", errors.Select(x => (x.Path, x.Message)));
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"the routing policy and roster are invalid ({errors.Count} problems):");
        foreach (var (file, path, message) in errors)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {file}, field '{path}': {message}");
        }

        return new CliInputException(text.ToString());
    }

    /// <summary>Checks a policy on its own: its syntax and every rule, but not pool membership, which needs the roster.</summary>
    /// <param name="json">The policy text.</param>
    /// <param name="limits">The limits to read it with.</param>
    /// <param name="plugins">The routing plugins given with <c>--plugin</c>, or <see langword="null"/> for none.</param>
    /// <returns>The problems as (JSON path, message).</returns>
    public static IReadOnlyList<(string Path, string Message)> ValidatePolicy(string json, ModelReadLimits limits, PluginRules? plugins = null)
    {
        RoutingPolicyDefinition policy;
        try
        {
            policy = RoutingPolicyLoader.ParsePolicy(json, limits);
        }
        catch (ModelException e)
        {
            return [.. Errors(e, "policy", "roster").Select(x => (x.Path, x.Message))];
        }

        RoutingPolicyCompiler.TryCompile(policy, new RosterDefinition(), (plugins ?? PluginRules.None).CreateRouting(limits), out _, out var errors);
        return [.. errors.Where(x => x.Document == "policy" && !x.Path.Contains(".pool", StringComparison.Ordinal)).Select(x => (x.Path, CommandInputs.Text(x)))];
    }

    /// <summary>Checks a roster on its own: reps, caps, schedules, time zones and account owners.</summary>
    /// <param name="json">The roster text.</param>
    /// <param name="limits">The limits to read it with.</param>
    /// <returns>The problems as (JSON path, message).</returns>
    public static IReadOnlyList<(string Path, string Message)> ValidateRoster(string json, ModelReadLimits limits)
    {
        RosterDefinition roster;
        try
        {
            roster = RoutingPolicyLoader.ParseRoster(json, limits);
        }
        catch (ModelException e)
        {
            return [.. Errors(e, "policy", "roster").Select(x => (x.Path, x.Message))];
        }

        RoutingPolicyCompiler.TryCompile(new RoutingPolicyDefinition(), roster, out _, out var errors);
        return [.. errors.Where(x => x.Document == "roster").Select(x => (x.Path, CommandInputs.Text(x)))];
    }
}
