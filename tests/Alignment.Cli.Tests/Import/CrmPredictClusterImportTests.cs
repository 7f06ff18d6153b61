namespace Alignment.Cli.Tests.Import;

/// <summary>
/// <c>predict</c> and <c>cluster</c> read CRM exports with a preset or a mapping file as the other commands do: an Odoo crm.lead
/// export (its stage column is the outcome) predicts as our own format, and a Salesforce accounts report with grouped amounts
/// clusters as our own format.
/// </summary>
public sealed class CrmPredictClusterImportTests
{
    [Fact]
    public async Task Predict_OdooExportWithPreset_PredictsAsOurOwnFormat()
    {
        using var dir = new TempFolder();
        string ownStages = dir.Write("own-stages.csv", "name,sequence,is_won", "New,1,false", "Qualified,2,false", "Proposition,3,false", "Won,4,true");
        string ownLeads = dir.Write("own-leads.csv", "id,team,stage,country,source", "8,Europe,New,BE,Website", "9,America,Qualified,US,Newsletter");

        // Odoo's exports: crm.stage with its field labels, crm.lead with labels (the lead named, its salesperson and probability
        // exported too, which the preset ignores); a lost lead carries the stage "Lost" or a stage it was lost in.
        string theirStages = dir.Write("stages.csv", "Stage Name,Sequence,Is Won Stage?", "New,1,False", "Qualified,2,False", "Proposition,3,False", "Won,4,True");
        string theirHistory = dir.Write("history.csv",
            "ID,Opportunity,Salesperson,Sales Team,Stage,Country,Source,Probability,Lost Reason,Created on,Closed Date",
            "1,Acme deal,Mitchell Admin,Europe,Won,BE,Website,100,,2026-01-05 10:00:00,2026-02-01 10:00:00",
            "2,Beta deal,Mitchell Admin,Europe,Lost,BE,Newsletter,0,,2026-01-06 10:00:00,2026-02-02 10:00:00",
            "3,Gamma deal,Marc Demo,America,Won,US,Website,100,,2026-01-07 10:00:00,2026-02-03 10:00:00",
            "4,Delta deal,Marc Demo,America,Proposition,US,Website,0,Too expensive,2026-01-08 10:00:00,2026-02-04 10:00:00",
            "5,Epsilon deal,Mitchell Admin,Europe,Won,FR,Website,100,,2026-01-09 10:00:00,2026-02-05 10:00:00",
            "6,Zeta deal,Marc Demo,America,Lost,US,Newsletter,0,,2026-01-10 10:00:00,2026-02-06 10:00:00",
            "7,Eta deal,Mitchell Admin,Europe,Qualified,BE,Website,40,,2026-01-11 10:00:00,");
        string theirLeads = dir.Write("leads.csv",
            "ID,Opportunity,Sales Team,Stage,Country,Source,Probability",
            "8,Theta deal,Europe,New,BE,Website,10",
            "9,Iota deal,America,Qualified,US,Newsletter,30");

        // Our own format of the same leads: a lead whose Odoo stage is "Lost" (no pipeline stage) has none; one archived with a lost
        // reason is lost in its stage. The dates, the probability and the names are no fields.
        string ownHistory = dir.Write("own-history.csv",
            "id,team,stage,outcome,country,source",
            "1,Europe,Won,won,BE,Website",
            "2,Europe,,lost,BE,Newsletter",
            "3,America,Won,won,US,Website",
            "4,America,Proposition,lost,US,Website",
            "5,Europe,Won,won,FR,Website",
            "6,America,,lost,US,Newsletter",
            "7,Europe,Qualified,open,BE,Website");

        var expected = await CliRun.RunAsync("predict", "--stages", ownStages, "--history", ownHistory, "--leads", ownLeads);
        var actual = await CliRun.RunAsync("predict", "--stages", theirStages, "--history", theirHistory, "--leads", theirLeads, "--from", "odoo");

        Assert.True(expected.ExitCode == ExitCodes.Success, expected.Error);
        Assert.True(actual.ExitCode == ExitCodes.Success, actual.Error);
        Assert.Equal(expected.Out, actual.Out);
        Assert.Contains("Trained on 6 closed lead(s)", actual.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_StageNeitherInStagesNorMapped_ExitsOneNamingLineAndMapping()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", "Stage Name,Sequence,Is Won Stage?", "New,1,False", "Won,2,True");
        string history = dir.Write("history.csv", "ID,Sales Team,Stage,Country", "1,Europe,Won,BE", "2,Europe,Negotiation,BE");
        string leads = dir.Write("leads.csv", "ID,Sales Team,Stage,Country", "3,Europe,New,BE");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads, "--from", "odoo");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("history.csv", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 3", run.Error, StringComparison.Ordinal);
        Assert.Contains("'Negotiation'", run.Error, StringComparison.Ordinal);
        Assert.Contains("\"outcomes\"", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_OdooExportWithoutPreset_NamesMissingColumnAndPreset()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", "name,sequence,is_won", "New,1,false", "Won,2,true");
        string history = dir.Write("history.csv", "ID,Sales Team,Stage,Country", "1,Europe,Won,BE");
        string leads = dir.Write("leads.csv", "ID,Sales Team,Stage,Country", "3,Europe,New,BE");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads, "--fields", "Country");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("history.csv", run.Error, StringComparison.Ordinal);
        Assert.Contains("id", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_SalesforceAccountsWithGroupedAmounts_ClustersAsOurOwnFormat()
    {
        using var dir = new TempFolder();
        string own = dir.Write("own.csv",
            "id,employeeCount,annualRevenue",
            "A1,1250,1250000.50", "A2,40,90000", "A3,5000,2000000", "A4,60,120000", "A5,1100,980000", "A6,35,70000.25");
        string theirs = dir.Write("theirs.csv",
            "Account Name,No. of Employees,Annual Revenue,Billing Country",
            "Acme,\"1,250\",\"USD 1,250,000.50\",US", "Shopco,40,\"$90,000.00\",US", "Globex,\"5,000\",\"$2,000,000.00\",US",
            "Initech,60,\"$120,000.00\",US", "Umbrella,\"1,100\",\"$980,000.00\",US", "Hooli,35,\"$70,000.25\",US");

        var expected = await CliRun.RunAsync("cluster", "--accounts", own, "--features", "employeeCount,annualRevenue", "--k", "2", "--format", "json");
        var byOurNames = await CliRun.RunAsync("cluster", "--accounts", theirs, "--features", "employeeCount,annualRevenue", "--k", "2", "--format", "json", "--from", "salesforce", "--culture", "en-US");
        var byTheirNames = await CliRun.RunAsync("cluster", "--accounts", theirs, "--features", "No. of Employees,Annual Revenue", "--k", "2", "--format", "json", "--from", "salesforce", "--culture", "en-US");

        Assert.True(expected.ExitCode == ExitCodes.Success, expected.Error);
        Assert.True(byOurNames.ExitCode == ExitCodes.Success, byOurNames.Error);
        Assert.Equal(expected.Out, byOurNames.Out);
        Assert.True(byTheirNames.ExitCode == ExitCodes.Success, byTheirNames.Error);
        Assert.Equal(Normalise(expected.Out), Normalise(byTheirNames.Out.Replace("No. of Employees", "employeeCount", StringComparison.Ordinal).Replace("Annual Revenue", "annualRevenue", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Cluster_AmbiguousAmountWithoutCulture_ExitsOneWithLineAndHint()
    {
        using var dir = new TempFolder();
        string theirs = dir.Write("theirs.csv", "Account Name,No. of Employees,Annual Revenue", "Acme,\"1,250\",\"1,250\"", "Shopco,40,90000");

        var run = await CliRun.RunAsync("cluster", "--accounts", theirs, "--features", "employeeCount,annualRevenue", "--k", "2", "--from", "salesforce");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("theirs.csv", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 2", run.Error, StringComparison.Ordinal);
        Assert.Contains("culture", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_WithAMapping_StillReadsAnExponent()
    {
        using var dir = new TempFolder();
        string theirs = dir.Write("theirs.csv", "Account Name,Annual Revenue", "Acme,1.5E+07", "Shopco,90000", "Globex,2E+07", "Initech,120000");

        var run = await CliRun.RunAsync("cluster", "--accounts", theirs, "--features", "annualRevenue", "--k", "2", "--from", "salesforce", "--culture", "en-US");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
