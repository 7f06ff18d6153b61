namespace Alignment.Cli.Tests.Commands;

public sealed class SegmentCommandTests
{
    [Fact]
    public async Task Segment_WritesOneSegmentAndReasonPerAccount()
    {
        using var dir = new TempFolder();
        string model = dir.Write("segments.json", PolicyFiles.Segments);
        string accounts = dir.Write("accounts.csv", "id,industry,employeeCount,total,grade,isPartner", "A1,Software,500,,,", "A2,Retail,50,80,A,no", "A3,Retail,50,,,yes", "A4,Retail,,,,");
        string output = dir.File_("out.csv");

        var run = await CliRun.RunAsync("segment", "--model", model, "--accounts", accounts, "--out", output);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var lines = File.ReadAllLines(output);
        Assert.Equal("id,segment,reason", lines[0]);
        Assert.StartsWith("A1,enterprise-software,Matched 'enterprise-software' (definition 1 of 3)", lines[1]);
        Assert.StartsWith("A2,hot,Matched 'hot' (definition 2 of 3): score.grade A meets score.grade >= B.", lines[2]);
        Assert.StartsWith("A3,partners,Matched 'partners'", lines[3]);
        Assert.StartsWith("A4,general,No definition matched; default segment 'general'.", lines[4]);
        Assert.Equal(5, lines.Length);
        // The model is named by id, version and the first 12 digits of its content hash (the hash a registry release approves).
        var document = Alignment.Segmentation.Rules.SegmentationModelLoader.ReadDocument(string.Join("\n", PolicyFiles.Segments));
        string hash = Alignment.Segmentation.Rules.SegmentationModelLoader.ComputeContentHash(document);
        Assert.Contains($"Segmented 4 account(s) with acme-segments@{document.Version ?? "-"} ({hash[..12]}): ", run.Error);
    }

    [Fact]
    public async Task Segment_BadFlagOrGrade_ExitsOneNamingLineAndFieldAndWritesNothing()
    {
        using var dir = new TempFolder();
        string model = dir.Write("segments.json", PolicyFiles.Segments);
        string flag = dir.Write("flag.csv", "id,industry,isPartner", "A1,Software,no", "A2,Retail,perhaps");
        string grade = dir.Write("grade.csv", "id,total,grade,isPartner", "A1,10,Z,");
        string output = dir.File_("out.csv");

        var badFlag = await CliRun.RunAsync("segment", "--model", model, "--accounts", flag, "--out", output);
        var badGrade = await CliRun.RunAsync("segment", "--model", model, "--accounts", grade, "--out", output);

        Assert.Equal(ExitCodes.BadInput, badFlag.ExitCode);
        Assert.Contains($"{flag}, line 3, field 'isPartner': 'perhaps' is not true, false, 1, 0, yes or no", badFlag.Error);
        Assert.Equal(ExitCodes.BadInput, badGrade.ExitCode);
        Assert.Contains($"{grade}, line 2, field 'grade': 'Z' is not a grade", badGrade.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Segment_MissingAttributeColumn_ExitsOne()
    {
        using var dir = new TempFolder();
        string model = dir.Write("segments.json", PolicyFiles.Segments);
        string accounts = dir.Write("accounts.csv", "id,industry", "A1,Software");

        var run = await CliRun.RunAsync("segment", "--model", model, "--accounts", accounts);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{accounts}, line 1, field 'isPartner': the column is missing from the header", run.Error);
    }

    [Fact]
    public async Task Segment_ModelWithErrors_ExitsOneListingPaths()
    {
        using var dir = new TempFolder();
        string model = dir.Write("segments.json", """{ "id": "s", "segments": [ { "id": "x", "when": [ { "field": "company.colour", "in": ["red"] } ] } ] }""");
        string accounts = dir.Write("accounts.csv", "id", "A1");

        var run = await CliRun.RunAsync("segment", "--model", model, "--accounts", accounts);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{model}: the segmentation model is invalid (2 problems):", run.Error);
        Assert.Contains("field '$.segments[0].when[0].field': Unknown field 'company.colour'", run.Error);
        Assert.Contains("field '$.default'", run.Error);
    }

    [Fact]
    public async Task Segment_MissingOption_ExitsTwo()
    {
        var run = await CliRun.RunAsync("segment", "--model", "segments.json");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--accounts", run.Error);
    }
}
