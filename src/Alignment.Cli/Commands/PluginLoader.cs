using System.CommandLine;
using System.Reflection;
using System.Runtime.Loader;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Nurture;
using Alignment.Scoring;

namespace Alignment.Cli.Commands;

/// <summary>
/// The <c>--plugin PATH.dll</c> option of the commands that load a scoring model: loads plugin assemblies and finds their
/// <see cref="IScoringRule"/> types, so that models with <c>plugins</c> rules compile in the tool as they do in a host.
/// </summary>
/// <remarks>
/// Each assembly gets its own <see cref="AssemblyLoadContext"/>. An assembly the tool itself can load (the framework,
/// <c>Alignment.Abstractions</c> and the other Alignment packages) is always the tool's copy, whatever version the plugin was
/// built against, so a plugin's <see cref="IScoringRule"/> is the tool's type; anything else the plugin depends on is resolved
/// from the plugin's folder through its <c>.deps.json</c>. A plugin runs with the tool's full trust.
/// </remarks>
internal static class PluginLoader
{
    /// <summary>The option's name, as error messages give it.</summary>
    public const string OptionName = "--plugin";

    /// <summary>Creates the repeatable <c>--plugin</c> option.</summary>
    /// <returns>The option.</returns>
    public static Option<string[]> CreateOption() => new(OptionName)
    {
        Description = "An assembly (.dll) of plugin scoring rules (IScoringRule), routing plugins (IRoutingStrategy, IRoutingCondition) or nurture step plugins (INurtureStepAction) that the model or policy refers to by name; repeat for several. " +
            "The assembly runs with the tool's full trust: load only assemblies you built or trust.",
        HelpName = "PATH.dll",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Loads every assembly and finds its rule types; each must have at least one.</summary>
    /// <param name="paths">The assemblies as the user named them, or <see langword="null"/> when the option was not given.</param>
    /// <returns>The rule types, to be created once the attribute schema is known; <see cref="PluginRules.None"/> without paths.</returns>
    /// <exception cref="CliInputException">
    /// A file is missing or not a .NET assembly, an assembly has no rule or cannot be inspected, or a rule type has no constructor
    /// the tool can call.
    /// </exception>
    public static PluginRules Load(IReadOnlyList<string>? paths)
    {
        if (paths is null || paths.Count == 0)
        {
            return PluginRules.None;
        }

        var types = new List<PluginRuleType>();
        var routing = new List<PluginRuleType>();
        var nurture = new List<PluginRuleType>();
        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (string path in paths)
        {
            string fullPath = FullPath(path);
            if (seen.Add(fullPath))
            {
                types.AddRange(FindRules(path, LoadAssembly(path, fullPath), routing, nurture));
            }
        }

        return new PluginRules(types) { RoutingTypes = routing, NurtureTypes = nurture };
    }

    private static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new CliInputException(Display(path), null, OptionName, $"not a valid file path ({e.Message})");
        }
    }

    private static Assembly LoadAssembly(string path, string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            throw new CliInputException(Display(path), null, OptionName, Directory.Exists(fullPath) ? "a folder, not a plugin assembly (.dll)" : "the file does not exist");
        }

        try
        {
            return new PluginLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
        }
        catch (BadImageFormatException)
        {
            throw new CliInputException(Display(path), null, OptionName, "not a .NET assembly (give the plugin's .dll, built for .NET)");
        }
        catch (FileLoadException e)
        {
            throw new CliInputException(Display(path), null, OptionName, $"the assembly cannot be loaded ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException(Display(path), null, OptionName, $"the file cannot be read ({e.Message})");
        }
    }

    private static List<PluginRuleType> FindRules(string path, Assembly assembly, List<PluginRuleType> routing, List<PluginRuleType> nurture)
    {
        Type[] exported;
        try
        {
            exported = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            string detail = e is ReflectionTypeLoadException r && r.LoaderExceptions.FirstOrDefault(x => x is not null) is Exception first ? first.Message : e.Message;
            throw new CliInputException(Display(path), null, OptionName, $"the assembly's types cannot be loaded; is a dependency missing next to it? ({detail})");
        }

        var rules = new List<PluginRuleType>();
        int routingBefore = routing.Count;
        int nurtureBefore = nurture.Count;
        var foreign = new List<string>();
        foreach (var type in exported.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters)
            {
                continue;
            }

            if (typeof(IRoutingStrategy).IsAssignableFrom(type) || typeof(IRoutingCondition).IsAssignableFrom(type))
            {
                if (type.GetConstructor(Type.EmptyTypes) is null)
                {
                    throw new CliInputException(Display(path), null, OptionName, $"the routing plugin {type.FullName} has no constructor the tool can call: give it a public parameterless constructor");
                }

                routing.Add(new PluginRuleType(type, Display(path), false));
                continue;
            }

            if (typeof(INurtureStepAction).IsAssignableFrom(type))
            {
                // A step plugin is usually built by the host's container (constructor arguments); one the tool cannot create is
                // left out and named by the commands that read nurture policies, not refused for every command.
                nurture.Add(new PluginRuleType(type, Display(path), false));
                continue;
            }

            if (!typeof(IScoringRule).IsAssignableFrom(type))
            {
                if (type.GetInterfaces().Any(i => i.FullName == typeof(IScoringRule).FullName))
                {
                    foreign.Add(type.FullName!);
                }

                continue;
            }

            var parameterless = type.GetConstructor(Type.EmptyTypes);
            var withSchema = type.GetConstructor([typeof(AttributeSchema)]);
            if (parameterless is null && withSchema is null)
            {
                throw new CliInputException(
                    Display(path),
                    null,
                    OptionName,
                    $"the scoring rule {type.FullName} has no constructor the tool can call: give it a public parameterless constructor, or a public constructor that takes only an AttributeSchema");
            }

            rules.Add(new PluginRuleType(type, Display(path), parameterless is null));
        }

        if (rules.Count == 0 && routing.Count == routingBefore && nurture.Count == nurtureBefore)
        {
            throw new CliInputException(
                Display(path),
                null,
                OptionName,
                foreign.Count > 0
                    ? $"the types {string.Join(", ", foreign)} implement another copy of IScoringRule than the tool's (the plugin ships or loads its own Alignment.Abstractions); reference the Alignment.Abstractions package without copying it into a separate load path"
                    : "the assembly has no plugin (a public, non-abstract class that implements Alignment.Scoring.IScoringRule, Alignment.Handoff.IRoutingStrategy, Alignment.Handoff.IRoutingCondition or Alignment.Nurture.INurtureStepAction)");
        }

        return rules;
    }

    private static string Display(string path) => string.IsNullOrWhiteSpace(path) ? "(empty path)" : path;

    /// <summary>One plugin assembly's load context: the tool's own assemblies are shared, the plugin's other dependencies are its own.</summary>
    private sealed class PluginLoadContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver? _resolver;
        private readonly string _folder;

        public PluginLoadContext(string pluginPath)
            : base($"alignment plugin {Path.GetFileName(pluginPath)}")
        {
            _folder = Path.GetDirectoryName(pluginPath)!;
            try
            {
                _resolver = new AssemblyDependencyResolver(pluginPath);
            }
            catch (InvalidOperationException)
            {
                // No host resolver in this process (a custom host): probe the plugin's folder instead.
                _resolver = null;
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is null)
            {
                return null;
            }

            // The Alignment assemblies are always the tool's, matched by simple name, so a plugin built against another version of
            // Alignment.Abstractions still sees the tool's IScoringRule.
            if (assemblyName.Name == "Alignment" || assemblyName.Name.StartsWith("Alignment.", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    return Default.LoadFromAssemblyName(new AssemblyName(assemblyName.Name));
                }
                catch (FileNotFoundException)
                {
                    // Not one of the tool's (a plugin may be named Alignment.Something): the plugin's own.
                }
            }

            // Anything else the plugin ships (its .deps.json, or a .dll beside it) is its own copy, whatever version the tool has.
            string? path = _resolver?.ResolveAssemblyToPath(assemblyName);
            if (path is null)
            {
                string candidate = Path.Combine(_folder, assemblyName.Name + ".dll");
                path = File.Exists(candidate) ? candidate : null;
            }

            // The rest (the framework, or a package the plugin expects from its host) comes from the tool.
            return path is null ? null : LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            string? path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName);
            return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
        }
    }
}
