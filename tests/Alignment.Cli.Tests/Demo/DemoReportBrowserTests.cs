using Alignment.Cli.Demo;
using Microsoft.Playwright;

namespace Alignment.Cli.Tests.Demo;

/// <summary>
/// Opens the demo's report.html, and the report <c>alignment report</c> wrote from the demo's exported year, in headless Chromium and
/// checks that every chart rendered, with no script error and no network.
/// </summary>
[Collection(DemoRuns.Name)]
public sealed class DemoReportBrowserTests(DemoRunFixture demo)
{
    [Fact]
    public async Task Report_InChromium_RendersEveryChartWithoutErrorsOrNetwork()
    {
        string executable = Chromium.EnsureInstalled();
        string report = Path.Combine(demo.First, DemoRunner.ReportFile);
        Assert.True(File.Exists(report), demo.FirstRun.Error);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = Chromium.Args });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 1000 } });
        var errors = new List<string>();
        var requests = new List<string>();
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.Request += (_, request) => requests.Add(request.Url);

        var response = await page.GotoAsync(new Uri(report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);

        foreach (var id in DemoReport.ChartIds)
        {
            var figure = page.Locator($"figure#{id}[data-chart]");
            Assert.Equal(1, await figure.CountAsync());
            Assert.Equal("true", await figure.GetAttributeAsync("data-rendered"));
            var svg = figure.Locator("svg");
            Assert.Equal(1, await svg.CountAsync());
            Assert.True(await svg.Locator("rect.bar").CountAsync() > 0, $"{id} has no bars");
            var box = await svg.BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 100 }, $"{id} is not laid out ({box?.Width}x{box?.Height})");
        }

        Assert.Equal(DemoReport.ChartIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("body").GetAttributeAsync("data-charts-rendered"));
        Assert.Equal("0", await page.Locator("[data-audit=leadsWithoutOwnerOrTrack]").InnerTextAsync());
        Assert.Empty(errors);
        Assert.Equal([new Uri(report).AbsoluteUri], requests);

        // The screenshot: into the run's folder always; into docs/images/report.png when ALIGNMENT_UPDATE_SCREENSHOT=1.
        string shot = Path.Combine(demo.First, "report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        var png = await File.ReadAllBytesAsync(shot);
        Assert.True(png.Length > 50_000, $"screenshot of {png.Length} bytes");
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        if (Environment.GetEnvironmentVariable("ALIGNMENT_UPDATE_SCREENSHOT") == "1")
        {
            File.Copy(shot, Path.Combine(RepositoryRoot(), "docs", "images", "report.png"), overwrite: true);
        }
    }

    [Fact]
    public async Task OwnDataReport_InChromium_RendersEveryChartWithoutErrorsOrNetwork()
    {
        string executable = Chromium.EnsureInstalled();
        string report = Path.Combine(demo.OwnReport, "report.html");
        Assert.True(File.Exists(report), demo.ReportRun.Error);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = Chromium.Args });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 1000 } });
        var errors = new List<string>();
        var requests = new List<string>();
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.Request += (_, request) => requests.Add(request.Url);

        Assert.NotNull(await page.GotoAsync(new Uri(report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load }));

        foreach (var id in Alignment.Cli.Reporting.ReportHtml.ChartIds)
        {
            var figure = page.Locator($"figure#{id}[data-chart]");
            Assert.Equal(1, await figure.CountAsync());
            Assert.Equal("true", await figure.GetAttributeAsync("data-rendered"));
            Assert.Equal(1, await figure.Locator("svg").CountAsync());
            Assert.True(await figure.Locator("svg rect.bar").CountAsync() > 0, $"{id} has no bars");
            var box = await figure.Locator("svg").BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 100 }, $"{id} is not laid out ({box?.Width}x{box?.Height})");
        }

        Assert.Equal(Alignment.Cli.Reporting.ReportHtml.ChartIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("body").GetAttributeAsync("data-charts-rendered"));
        Assert.Empty(errors);
        Assert.Equal([new Uri(report).AbsoluteUri], requests);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Alignment.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Alignment.sln) was not found above the test binaries.");
    }
}
