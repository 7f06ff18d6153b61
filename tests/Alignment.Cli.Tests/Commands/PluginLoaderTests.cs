using Alignment.Cli.Commands;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Cli.Tests.Commands;

public sealed class PluginLoaderTests
{
    [Fact]
    public void Load_NoPaths_ReturnsNoRules()
    {
        Assert.Same(PluginRules.None, PluginLoader.Load(null));
        Assert.Same(PluginRules.None, PluginLoader.Load([]));
        var none = PluginRules.None.Create(new AttributeSchema([]));
        Assert.Empty(none.Rules);
        Assert.Empty(none.NotCreated);
    }

    [Fact]
    public void Load_TestPlugin_FindsEveryRuleTypeAndCreatesThemWithTheToolsIScoringRule()
    {
        var plugins = PluginLoader.Load([TestPlugins.Rules]);
        var schema = new AttributeSchema([new AttributeDefinition("intentSurge", AttributeKind.Number)]);

        var created = plugins.Create(schema);
        var rules = created.Rules;

        Assert.Equal(["Alignment.Cli.TestPlugin.IntentDataRule", "Alignment.Cli.TestPlugin.LoyaltyBonusRule"], plugins.Types.Select(t => t.Type.FullName));
        Assert.Equal([true, false], plugins.Types.Select(t => t.TakesSchema));
        Assert.Equal(["intent-data", "loyalty-bonus"], rules.Select(r => r.Name));
        // The plugin's Alignment.Abstractions is the tool's own: its rule is an IScoringRule of this process.
        Assert.Same(typeof(IScoringRule).Assembly, plugins.Types[0].Type.GetInterfaces().Single().Assembly);
        Assert.Empty(created.NotCreated);
        Assert.Equal("intent-data (Alignment.Cli.TestPlugin.IntentDataRule in " + TestPlugins.Rules + ")", plugins.Describe(rules[0]));
    }

    [Fact]
    public void Load_SameFileTwice_LoadsItOnce()
    {
        var plugins = PluginLoader.Load([TestPlugins.Rules, TestPlugins.Rules]);

        Assert.Equal(2, plugins.Types.Count);
    }

    [Fact]
    public async Task Validate_MissingPluginFile_ExitsOneNamingFileAndOption()
    {
        using var dir = new TempFolder();
        string missing = dir.File_("missing.dll");

        var run = await CliRun.RunAsync("validate", TestPlugins.ExampleModel, "--plugin", missing);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"alignment: error: {missing}, field '--plugin': the file does not exist\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Validate_FolderAsPlugin_ExitsOneNamingIt()
    {
        using var dir = new TempFolder();

        var run = await CliRun.RunAsync("validate", TestPlugins.ExampleModel, "--plugin", dir.Path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"alignment: error: {dir.Path}, field '--plugin': a folder, not a plugin assembly (.dll)\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Score_FileThatIsNotAnAssembly_ExitsOneNamingFileAndOption()
    {
        using var dir = new TempFolder();
        string notDll = dir.Write("rules.dll", "this is text, not a .NET assembly");
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");

        var run = await CliRun.RunAsync("score", "--model", TestPlugins.ExampleModel, "--leads", leads, "--plugin", notDll);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"alignment: error: {notDll}, field '--plugin': not a .NET assembly (give the plugin's .dll, built for .NET)\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Validate_AssemblyWithoutRules_ExitsOneNamingTheFile()
    {
        // Any .NET assembly without an IScoringRule class: the tool's own command-line parser.
        string assembly = typeof(System.CommandLine.Command).Assembly.Location;

        var run = await CliRun.RunAsync("validate", TestPlugins.ExampleModel, "--plugin", assembly);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: {assembly}, field '--plugin': the assembly has no plugin (a public, non-abstract class that implements Alignment.Scoring.IScoringRule, Alignment.Handoff.IRoutingStrategy, Alignment.Handoff.IRoutingCondition or Alignment.Nurture.INurtureStepAction)\n",
            run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_RuleWithoutUsableConstructor_ExitsOneNamingTheTypeAndWhatItNeeds()
    {
        var run = await CliRun.RunAsync("validate", TestPlugins.ExampleModel, "--plugin", TestPlugins.Rules, "--plugin", TestPlugins.Broken);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: {TestPlugins.Broken}, field '--plugin': the scoring rule Alignment.Cli.TestPlugin.Broken.ConfiguredRule has no constructor the tool can call: " +
            "give it a public parameterless constructor, or a public constructor that takes only an AttributeSchema\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Validate_TwoRulesWithTheSameName_ExitsOneNamingBothTypes()
    {
        // The same plugin copied to a second folder: two assemblies, each in its own load context, each with 'intent-data'.
        using var dir = new TempFolder();
        string copy = dir.File_("Alignment.Cli.TestPlugin.dll");
        File.Copy(TestPlugins.Rules, copy);

        var run = await CliRun.RunAsync("validate", TestPlugins.ExampleModel, "--plugin", TestPlugins.Rules, "--plugin", copy);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: --plugin: two plugin scoring rules are named 'intent-data': Alignment.Cli.TestPlugin.IntentDataRule ({TestPlugins.Rules}) " +
            $"and Alignment.Cli.TestPlugin.IntentDataRule ({copy}); rule names must be unique\n",
            run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_RuleConstructorThrowsAndModelRefersToIt_ExitsOneNamingTheTypeAndItsMessage()
    {
        // IntentDataRule's constructor needs the number attribute intentSurge, which this model does not declare.
        using var dir = new TempFolder();
        string model = dir.Write("model.json", """{ "id": "t", "version": "1.0.0", "thresholds": { "mql": { "score": 20 } }, "plugins": [ { "id": "intent", "rule": "intent-data" } ] }""");

        var run = await CliRun.RunAsync("validate", model, "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: {model}, field '$.plugins[0].rule': the scoring model is invalid: no registered scoring rule is named 'intent-data' (registered: loyalty-bonus) " +
            $"(no rule of that name was created from the --plugin assemblies; not created: Alignment.Cli.TestPlugin.IntentDataRule ({TestPlugins.Rules}) could not be created " +
            "with the models' attribute schema: ArgumentException: The attribute schema needs a number attribute 'intentSurge' for the intent-data rule. (Parameter 'schema'))\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Validate_RuleConstructorThrowsButModelDoesNotReferToIt_IsValidWithANote()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestPlugins.ModelWithBonus);

        var run = await CliRun.RunAsync("validate", model, "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("valid: scoring model t@1.1.0 (3 rules, content hash ", lines[0]);
        Assert.Equal($"plugin rules: bonus -> loyalty-bonus (Alignment.Cli.TestPlugin.LoyaltyBonusRule in {TestPlugins.Rules})", lines[1]);
        Assert.StartsWith("note: plugin rule Alignment.Cli.TestPlugin.IntentDataRule (", lines[2]);
        Assert.Contains("needs a number attribute 'intentSurge'", lines[2]);
    }

    [Fact]
    public async Task Validate_ModelReferringToARuleNoPluginHas_ExitsOneListingTheLoadedNames()
    {
        using var dir = new TempFolder();
        string model = dir.Write(
            "model.json",
            """{ "id": "t", "version": "1.0.0", "attributes": [ { "name": "intentSurge", "type": "number" } ], "thresholds": { "mql": { "score": 20 } }, "plugins": [ { "id": "x", "rule": "unknown-rule" } ] }""");

        var run = await CliRun.RunAsync("validate", model, "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: {model}, field '$.plugins[0].rule': the scoring model is invalid: no registered scoring rule is named 'unknown-rule' (registered: intent-data, loyalty-bonus) " +
            "(no rule of that name was created from the --plugin assemblies)\n",
            run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_PluginForAFileThatIsNotAScoringModel_ExitsOne()
    {
        using var dir = new TempFolder();
        string roster = dir.Write("roster.json", PolicyFiles.Roster);

        var run = await CliRun.RunAsync("validate", roster, "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"alignment: error: {roster}, field '--plugin': plugins apply only to a scoring model, a routing policy or a nurture policy, and this file is a roster\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("score")]
    [InlineData("backtest")]
    [InlineData("diff")]
    [InlineData("validate")]
    public async Task Help_EveryCommandThatLoadsAScoringModel_OffersPlugin(string command)
    {
        var run = await CliRun.RunAsync(command, "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--plugin <PATH.dll>", run.Out);
        Assert.Contains("full trust", run.Out);
    }
}
