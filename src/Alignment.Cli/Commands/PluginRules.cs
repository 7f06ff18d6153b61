using System.Reflection;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Scoring;

namespace Alignment.Cli.Commands;

/// <summary>The plugin rule types given with <c>--plugin</c>; <see cref="Create"/> makes the rules once the attribute schema is known.</summary>
internal sealed class PluginRules
{
    /// <summary>Creates the set.</summary>
    /// <param name="types">The rule types, in the order found.</param>
    public PluginRules(IReadOnlyList<PluginRuleType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Types = types;
    }

    /// <summary>No plugins: the option was not given.</summary>
    public static PluginRules None { get; } = new([]);

    /// <summary>The rule types.</summary>
    public IReadOnlyList<PluginRuleType> Types { get; }

    /// <summary>The routing plugin types (<see cref="IRoutingStrategy"/>, <see cref="IRoutingCondition"/>), each created with its parameterless constructor.</summary>
    public IReadOnlyList<PluginRuleType> RoutingTypes { get; init; } = [];

    /// <summary>The nurture step plugin types (<see cref="INurtureStepAction"/>), each created with its parameterless constructor.</summary>
    public IReadOnlyList<PluginRuleType> NurtureTypes { get; init; } = [];

    /// <summary>Creates the nurture step plugins into load options for a nurture policy.</summary>
    /// <param name="limits">The read limits.</param>
    /// <param name="document">The policy file, named in errors.</param>
    /// <returns>
    /// The options, with every plugin the tool can create made once (a type without a public parameterless constructor is left
    /// out: the host's container builds it), and a line per plugin type saying what was loaded or why not.
    /// </returns>
    /// <exception cref="CliInputException">A plugin's constructor or name throws, a name is empty, or two share a name.</exception>
    public (NurturePolicyLoadOptions Options, IReadOnlyList<string> Loaded) CreateNurture(ModelReadLimits limits, string document)
    {
        var options = new NurturePolicyLoadOptions { Limits = limits, Document = document };
        var byName = new Dictionary<string, PluginRuleType>(StringComparer.Ordinal);
        var loaded = new List<string>();
        foreach (var type in NurtureTypes)
        {
            if (type.Type.GetConstructor(Type.EmptyTypes) is null)
            {
                loaded.Add($"{type.Type.FullName} in {type.File} not loaded: it has no public parameterless constructor (the host's container builds it; a policy step naming it is reported as unknown here)");
                continue;
            }

            INurtureStepAction action;
            string name;
            try
            {
                action = (INurtureStepAction)Activator.CreateInstance(type.Type)!;
                name = action.Name;
            }
#pragma warning disable CA1031 // Any failure of plugin code is the plugin's problem: reported, naming the type.
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
                throw new CliInputException(type.File, null, PluginLoader.OptionName, $"the nurture step plugin {type.Type.FullName} could not be created: {inner.GetType().Name}: {inner.Message}");
            }
#pragma warning restore CA1031

            if (string.IsNullOrWhiteSpace(name))
            {
                throw new CliInputException(type.File, null, PluginLoader.OptionName, $"the nurture step plugin {type.Type.FullName} has an empty Name; a policy step refers to a plugin by its name");
            }

            if (byName.TryGetValue(name, out var other))
            {
                throw new CliInputException(
                    $"{PluginLoader.OptionName}: two nurture step plugins are named '{name}': {other.Type.FullName} ({other.File}) and {type.Type.FullName} ({type.File}); names must be unique");
            }

            byName.Add(name, type);
            options.Actions.Add(action);
            loaded.Add($"'{name}' -> {type.Type.FullName} in {type.File}");
        }

        return (options, loaded);
    }

    /// <summary>Creates one instance of every routing plugin type and puts it in load options for a routing policy.</summary>
    /// <param name="limits">The limits the policy and roster are read with.</param>
    /// <returns>The load options.</returns>
    /// <exception cref="CliInputException">A constructor or a <c>Name</c> throws, a name is empty, or two plugins of a kind have the same name.</exception>
    public RoutingPolicyLoadOptions CreateRouting(ModelReadLimits limits)
    {
        var options = new RoutingPolicyLoadOptions { Limits = limits };
        var byName = new Dictionary<string, PluginRuleType>(StringComparer.Ordinal);
        foreach (var type in RoutingTypes)
        {
            object plugin;
            string name;
            try
            {
                plugin = Activator.CreateInstance(type.Type)!;
                name = plugin is IRoutingStrategy s ? s.Name : ((IRoutingCondition)plugin).Name;
            }
#pragma warning disable CA1031 // Any failure of plugin code is the plugin's problem: reported, naming the type.
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
                throw new CliInputException(type.File, null, PluginLoader.OptionName, $"the routing plugin {type.Type.FullName} could not be created: {inner.GetType().Name}: {inner.Message}");
            }
#pragma warning restore CA1031

            if (string.IsNullOrWhiteSpace(name))
            {
                throw new CliInputException(type.File, null, PluginLoader.OptionName, $"the routing plugin {type.Type.FullName} has an empty Name; a policy refers to a plugin by its name");
            }

            string key = (plugin is IRoutingStrategy ? "strategy:" : "condition:") + name;
            if (byName.TryGetValue(key, out var other))
            {
                throw new CliInputException(
                    $"{PluginLoader.OptionName}: two routing plugins are named '{name}': {other.Type.FullName} ({other.File}) and {type.Type.FullName} ({type.File}); names must be unique");
            }

            byName.Add(key, type);
            if (plugin is IRoutingStrategy strategy)
            {
                options.Strategies.Add(strategy);
            }

            if (plugin is IRoutingCondition condition)
            {
                options.Conditions.Add(condition);
            }
        }

        return options;
    }

    /// <summary>Creates one instance of every rule type: with its parameterless constructor, or else with <paramref name="schema"/>.</summary>
    /// <param name="schema">The attribute schema the models are compiled against (every custom attribute they declare).</param>
    /// <returns>
    /// The rules, for <see cref="ScoringModelOptions.PluginRules"/>, and the types whose constructor threw (left out: a plugin may
    /// hold rules that need attributes a given model does not declare).
    /// </returns>
    /// <exception cref="CliInputException"><see cref="IScoringRule.Name"/> throws or is empty, or two rules have the same name.</exception>
    public CreatedPluginRules Create(AttributeSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var rules = new List<IScoringRule>(Types.Count);
        var notCreated = new List<string>();
        var byName = new Dictionary<string, PluginRuleType>(StringComparer.Ordinal);
        foreach (var type in Types)
        {
            IScoringRule rule;
            try
            {
                rule = (IScoringRule)(type.TakesSchema ? Activator.CreateInstance(type.Type, schema) : Activator.CreateInstance(type.Type))!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                notCreated.Add(NotCreated(type, e.InnerException));
                continue;
            }
#pragma warning disable CA1031 // Any failure of plugin code is the plugin's problem: reported, naming the type.
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notCreated.Add(NotCreated(type, e));
                continue;
            }

            string name;
            try
            {
                name = rule.Name;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CliInputException(type.File, null, PluginLoader.OptionName, $"the Name of the scoring rule {type.Type.FullName} threw {e.GetType().Name}: {e.Message}");
            }
#pragma warning restore CA1031

            if (string.IsNullOrWhiteSpace(name))
            {
                throw new CliInputException(type.File, null, PluginLoader.OptionName, $"the scoring rule {type.Type.FullName} has an empty Name; a model refers to a rule by its name");
            }

            if (byName.TryGetValue(name, out var other))
            {
                throw new CliInputException(
                    $"{PluginLoader.OptionName}: two plugin scoring rules are named '{name}': {other.Type.FullName} ({other.File}) and {type.Type.FullName} ({type.File}); rule names must be unique");
            }

            byName.Add(name, type);
            rules.Add(rule);
        }

        return new CreatedPluginRules(rules, notCreated);
    }

    /// <summary>Describes a rule created by <see cref="Create"/>: its name, type and assembly.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>For example <c>intent-data (Acme.IntentDataRule in plugins/Acme.dll)</c>.</returns>
    public string Describe(IScoringRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var type = Types.FirstOrDefault(t => t.Type == rule.GetType());
        return $"{rule.Name} ({rule.GetType().FullName}{(type is null ? string.Empty : " in " + type.File)})";
    }

    private static string NotCreated(PluginRuleType type, Exception e) =>
        $"{type.Type.FullName} ({type.File}) could not be created{(type.TakesSchema ? " with the models' attribute schema" : string.Empty)}: {e.GetType().Name}: {e.Message}";
}
