namespace Alignment.Cli.Tests.Commands;

public sealed class RouteCommandTests
{
    [Fact]
    public async Task Route_GivesEveryLeadOneRepOrQueueWithTheReason()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);
        string leads = dir.Write("leads.csv", PolicyFiles.RoutingLeads);
        string output = dir.File_("routes.csv");

        var run = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", leads, "--out", output);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var rows = File.ReadAllLines(output).Select(l => string.Join(',', l.Split(',').Take(5))).ToArray();
        Assert.Equal(
            [
                "id,outcome,assignee,rule,slaDueAt",
                "R1,rep,ana,hot,2026-03-02T10:15:00+00:00",   // round robin in rep-id order, 15 min SLA
                "R2,rep,bo,hot,2026-03-02T10:20:00+00:00",
                "R3,rep,cy,uk,2026-03-03T10:10:00+00:00",     // default SLA 24 h
                "R4,queue,uk-queue,uk,",                       // cy is at its cap of 1 open lead
                "R5,rep,bo,owner,2026-03-03T10:30:00+00:00",  // account acc-1 is owned by bo
                "R6,queue,unassigned,,",                       // no rule matches: fallback queue
            ],
            rows);
        Assert.Contains("cy (at capacity 1/1)", File.ReadAllText(output));
        Assert.Contains("Routed 6 lead(s) with p1: 4 to reps, 2 to queues.", run.Error);
    }

    [Fact]
    public async Task Route_Simulate_ReportsLoadQueuesAndFairness()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);
        string leads = dir.Write("leads.csv", PolicyFiles.RoutingLeads);

        var run = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", leads, "--simulate", "2");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Routing simulation of p1: 6 lead(s) over 2 day(s) from 2026-03-02", run.Out);
        Assert.Contains("Assigned to reps: 4; queued: 2; capacity hits: 1", run.Out);
        Assert.Matches(@"(?m)^bo\s+2\s+2\s+0$", run.Out);
        Assert.Matches(@"(?m)^cy\s+1\s+1\s+1$", run.Out);
        Assert.Contains("  uk-queue: 1", run.Out);
        Assert.Contains("  unassigned: 1", run.Out);
    }

    [Fact]
    public async Task Route_WrongDate_ExitsOneNamingLineAndFieldAndWritesNothing()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);
        string leads = dir.Write("leads.csv", [.. PolicyFiles.RoutingLeads, "R7,US,,,,,yesterday"]);
        string output = dir.File_("routes.csv");

        var run = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", leads, "--out", output);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{leads}, line 8, field 'createdAt': 'yesterday' is not an ISO 8601 date or instant", run.Error);
        Assert.Equal(["leads.csv", "policy.json", "roster.json"], dir.Files());
    }

    [Fact]
    public async Task Route_BadState_ExitsOne()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);
        string leads = dir.Write("leads.csv", "id,total,grade,state", "R1,10,C,lukewarm");

        var run = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{leads}, line 2, field 'state': 'lukewarm' is not a qualification state", run.Error);
    }

    [Fact]
    public async Task Route_InvalidRoster_ExitsOneNamingTheRosterAndPaths()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", """{ "reps": [ { "id": "ana", "team": "ae", "timeZone": "Mars/Olympus_Mons" } ] }""");
        string leads = dir.Write("leads.csv", PolicyFiles.RoutingLeads);

        var run = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{roster}, field '$.reps[0].timeZone': unknown time-zone id 'Mars/Olympus_Mons'", run.Error);
        Assert.Contains($"{policy}, field '$.rules[2].pool.teams[0]': no rep is in team 'uk'", run.Error);
    }

    [Theory]
    [InlineData("route", "--policy", "p.json", "--roster", "r.json", "--leads", "l.csv", "--simulate", "0")]
    [InlineData("route", "--policy", "p.json", "--leads", "l.csv")]
    [InlineData("route", "--policy", "p.json", "--roster", "r.json", "--leads", "l.csv", "--simulate", "week")]
    public async Task Route_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment route --help' for usage.", run.Error);
    }
}
