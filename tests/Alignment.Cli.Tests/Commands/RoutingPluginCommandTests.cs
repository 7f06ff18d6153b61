namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// <c>alignment route</c> and <c>alignment validate</c> with <c>--plugin</c>: the routing plugins of the test plugin assembly
/// (<c>senior-first</c>, a strategy; <c>public-sector</c>, a condition) are loaded as <c>score</c> loads scoring rules.
/// </summary>
public sealed class RoutingPluginCommandTests
{
    private static readonly string[] Policy =
    [
        """{ "id": "p1", "fallbackQueue": "unassigned", "rules": [""",
        """  { "id": "gov", "conditions": ["public-sector"], "strategy": "roundRobin", "pool": { "reps": ["cy"] } },""",
        """  { "id": "senior", "strategy": { "plugin": "senior-first" }, "pool": { "teams": ["ae"] } } ] }""",
    ];

    private static readonly string[] Leads =
    [
        "id,country,total,grade,state,email,createdAt",
        "R1,US,80,A,hot,a@acme.com,2026-03-02T10:00:00Z",
        "R2,US,40,C,mql,b@acme.com,2026-03-02T10:05:00Z",
        "R3,US,40,C,mql,c@tax.state.gov,2026-03-02T10:10:00Z",
    ];

    [Fact]
    public async Task Route_WithPlugin_UsesThePolicysPluginStrategyAndCondition()
    {
        using var dir = new TempFolder();
        string output = dir.File_("routes.csv");

        var run = await CliRun.RunAsync(
            "route", "--policy", dir.Write("policy.json", Policy), "--roster", dir.Write("roster.json", PolicyFiles.Roster), "--leads", dir.Write("leads.csv", Leads),
            "--out", output, "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var rows = File.ReadAllLines(output).Skip(1).Select(l => string.Join(',', l.Split(',').Take(4))).ToArray();
        Assert.Equal(["R1,rep,bo,senior", "R2,rep,ana,senior", "R3,rep,cy,gov"], rows);
        Assert.Contains("plugin 'senior-first'", File.ReadAllText(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_WithoutPlugin_ExitsOneNamingEveryUnregisteredNameWithItsPath()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", Policy);

        var run = await CliRun.RunAsync("route", "--policy", policy, "--roster", dir.Write("roster.json", PolicyFiles.Roster), "--leads", dir.Write("leads.csv", Leads));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("$.rules[0].conditions[0]", run.Error, StringComparison.Ordinal);
        Assert.Contains("no registered routing condition is named 'public-sector' (registered: none)", run.Error, StringComparison.Ordinal);
        Assert.Contains("$.rules[1].strategy.plugin", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_PolicyWithPlugin_IsValid_WithAndWithoutRoster()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);

        var alone = await CliRun.RunAsync("validate", policy, "--plugin", TestPlugins.Rules);
        var withRoster = await CliRun.RunAsync("validate", policy, "--roster", roster, "--plugin", TestPlugins.Rules);
        var without = await CliRun.RunAsync("validate", policy);

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (alone.ExitCode, withRoster.ExitCode));
        Assert.StartsWith("valid: routing policy (pools not checked", alone.Out, StringComparison.Ordinal);
        Assert.Contains("Alignment.Cli.TestPlugin.SeniorFirstStrategy in ", withRoster.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, without.ExitCode);
        Assert.Contains("$.rules[1].strategy.plugin", without.Error, StringComparison.Ordinal);
    }
}
