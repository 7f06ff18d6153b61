using System.Globalization;
using System.Text.Json;

namespace Alignment.Cli.Tests.Commands;

public sealed class ClusterCommandTests
{
    // Three tight groups: about (10, 1), (500, 20) and (5000, 300) employees and revenue, 20 rows each.
    private static string[] Accounts()
    {
        var lines = new List<string> { "id,employees,revenue,name" };
        double[][] centres = [[10, 1], [500, 20], [5000, 300]];
        for (int i = 0; i < 60; i++)
        {
            var c = centres[i % 3];
            double jitter = (i / 3 % 5) - 2; // -2..2
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"a{i},{c[0] + jitter},{c[1] + jitter / 10},Account {i}"));
        }

        return [.. lines];
    }

    [Fact]
    public async Task Cluster_SingleK_Json_FindsTheThreeGroupsInOriginalUnits()
    {
        using var dir = new TempFolder();
        string accounts = dir.Write("accounts.csv", Accounts());

        var run = await CliRun.RunAsync("cluster", "--accounts", accounts, "--features", "employees,revenue", "--k", "3", "--format", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("k").GetInt32());
        Assert.True(root.GetProperty("inertia").GetDouble() < 0.01);
        Assert.True(root.GetProperty("silhouette").GetDouble() > 0.95);
        var centroids = root.GetProperty("clusters").EnumerateArray()
            .Select(c => (Size: c.GetProperty("size").GetInt32(), Employees: c.GetProperty("centroid").GetProperty("employees").GetDouble(), Revenue: c.GetProperty("centroid").GetProperty("revenue").GetDouble()))
            .OrderBy(c => c.Employees).ToList();
        Assert.All(centroids, c => Assert.Equal(20, c.Size));
        Assert.Equal(10, centroids[0].Employees, 0.01);
        Assert.Equal(500, centroids[1].Employees, 0.01);
        Assert.Equal(5000, centroids[2].Employees, 0.01);
        Assert.Equal(300, centroids[2].Revenue, 0.01);
    }

    [Fact]
    public async Task Cluster_Range_Table_ReportsEveryKAndTheSameResultOnEveryRun()
    {
        using var dir = new TempFolder();
        string accounts = dir.Write("accounts.csv", Accounts());

        var first = await CliRun.RunAsync("cluster", "--accounts", accounts, "--features", "employees,revenue", "--k", "2..4", "--seed", "7");
        var second = await CliRun.RunAsync("cluster", "--accounts", accounts, "--features", "employees,revenue", "--k", "2..4", "--seed", "7");

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(first.Out, second.Out);
        Assert.Contains("k-means on 60 row(s)", first.Out);
        Assert.Matches(@"(?m)^2\s+\d", first.Out);
        Assert.Matches(@"(?m)^4\s+\d", first.Out);
        Assert.Contains("Highest silhouette: k = 3.", first.Out);
        Assert.Contains("k = 3: centroids in original units", first.Out);
    }

    [Fact]
    public async Task Cluster_NonNumericCell_ExitsOneNamingLineAndField()
    {
        using var dir = new TempFolder();
        string accounts = dir.Write("accounts.csv", "id,employees,revenue", "a1,10,1", "a2,many,2", "a3,30,3");

        var run = await CliRun.RunAsync("cluster", "--accounts", accounts, "--features", "employees,revenue", "--k", "2");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{accounts}, line 3, field 'employees': 'many' is not a number", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Cluster_HugeValue_ExitsOneNamingLineAndFieldAndTheRange()
    {
        using var dir = new TempFolder();
        string accounts = dir.Write("accounts.csv", "id,employees,revenue", "a1,10,1", "a2,-1e308,2", "a3,30,3");

        var run = await CliRun.RunAsync("cluster", "--accounts", accounts, "--features", "employees,revenue", "--k", "2");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{accounts}, line 3, field 'employees': -1e308 is out of range: a feature value must be between -1e15 and 1e15", run.Error);
    }

    [Fact]
    public async Task Cluster_UnknownColumnOrTooFewRows_ExitsOne()
    {
        using var dir = new TempFolder();
        string accounts = dir.Write("accounts.csv", "id,employees,revenue", "a1,10,1", "a2,20,2");

        var column = await CliRun.RunAsync("cluster", "--accounts", accounts, "--features", "employees,profit", "--k", "2");
        var rows = await CliRun.RunAsync("cluster", "--accounts", accounts, "--features", "employees", "--k", "3");

        Assert.Equal(ExitCodes.BadInput, column.ExitCode);
        Assert.Contains($"{accounts}, line 1, field 'profit': the column is missing from the header", column.Error);
        Assert.Equal(ExitCodes.BadInput, rows.ExitCode);
        Assert.Contains($"{accounts}, field '--k': k = 3 needs at least 3 rows; the file has 2", rows.Error);
    }

    [Theory]
    [InlineData("cluster", "--accounts", "a.csv", "--features", "x", "--k", "10..2")]
    [InlineData("cluster", "--accounts", "a.csv", "--features", "x", "--k", "zero")]
    [InlineData("cluster", "--accounts", "a.csv", "--k", "3")]
    [InlineData("cluster", "--accounts", "a.csv", "--features", "x", "--k", "3", "--format", "csv")]
    public async Task Cluster_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment cluster --help' for usage.", run.Error);
    }
}
