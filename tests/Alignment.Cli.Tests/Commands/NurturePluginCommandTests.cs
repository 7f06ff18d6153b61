namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// <c>alignment validate</c> on a nurture policy with <c>--plugin</c>: the nurture step plugin of the test plugin assembly
/// (<c>book-meeting</c>) is loaded and resolved from the policy's <c>"handler"</c>, as routing plugins are from a routing policy.
/// </summary>
public sealed class NurturePluginCommandTests
{
    private static readonly string[] Policy =
    [
        """{ "id": "acme-nurture", "version": "2026.1", "tracks": [""",
        """  { "id": "demo-no-show", "priority": 10, "entryReasons": ["webinarNoShow"], "cadenceDays": 2, "onExhausted": "monthly",""",
        """    "steps": [ { "id": "recording", "kind": "email", "topic": "webinar-recording" }, { "id": "meet", "kind": "repCallTask", "handler": "book-meeting" } ] },""",
        """  { "id": "monthly", "priority": 1, "cadenceDays": 30, "onExhausted": "monthly", "steps": [ { "id": "newsletter", "kind": "email", "topic": "newsletter" } ] } ] }""",
    ];

    [Fact]
    public async Task Validate_NurturePolicyWithPlugin_IsValid_AndNamesThePluginType()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("nurture.json", Policy);

        var run = await CliRun.RunAsync("validate", policy, "--plugin", TestPlugins.Rules);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.StartsWith("valid: nurture policy acme-nurture@2026.1", run.Out, StringComparison.Ordinal);
        Assert.Contains("nurture step plugins: 'book-meeting' -> Alignment.Cli.TestPlugin.BookMeetingAction in ", run.Out, StringComparison.Ordinal);
        Assert.Contains("Alignment.Cli.TestPlugin.CrmTaskAction in ", run.Out, StringComparison.Ordinal);
        Assert.Contains("not loaded: it has no public parameterless constructor", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APluginAssemblyWithAContainerBuiltStepPlugin_StillLoadsForEveryCommand()
    {
        // The test plugin assembly holds CrmTaskAction, whose constructor takes a CRM client: scoring with the assembly's rules
        // must not fail because of it.
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestPlugins.ModelWithBonus);

        var run = await CliRun.RunAsync("validate", model, "--plugin", TestPlugins.Rules);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("plugin rules: bonus -> loyalty-bonus", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NurturePolicyWithoutPlugin_ExitsOneNamingTheHandlersJsonPath()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("nurture.json", Policy);

        var run = await CliRun.RunAsync("validate", policy);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: {policy}, field '$.tracks[0].steps[1].handler': the nurture policy is invalid: no registered nurture step plugin is named 'book-meeting' (registered: none)",
            run.Error.TrimEnd());
    }

    [Fact]
    public async Task Validate_NurturePolicyNamingAnUnknownPlugin_ListsTheRegisteredOnes()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("nurture.json", [.. Policy.Select(l => l.Replace("book-meeting", "book-a-demo", StringComparison.Ordinal))]);

        var run = await CliRun.RunAsync("validate", policy, "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("field '$.tracks[0].steps[1].handler': the nurture policy is invalid: no registered nurture step plugin is named 'book-a-demo' (registered: book-meeting)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_KindNurture_IsAcceptedAndPluginsAreRefusedForARoster()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("nurture.json", Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);

        var asNurture = await CliRun.RunAsync("validate", policy, "--kind", "nurture", "--plugin", TestPlugins.Rules);
        var rosterWithPlugin = await CliRun.RunAsync("validate", roster, "--plugin", TestPlugins.Rules);

        Assert.True(asNurture.ExitCode == ExitCodes.Success, asNurture.Error);
        Assert.Equal(ExitCodes.BadInput, rosterWithPlugin.ExitCode);
        Assert.Contains("plugins apply only to a scoring model, a routing policy or a nurture policy, and this file is a roster", rosterWithPlugin.Error, StringComparison.Ordinal);
    }
}
