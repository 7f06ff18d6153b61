using Alignment.Cli.Csv;

namespace Alignment.Cli.Tests.Csv;

/// <summary>Every CSV reader of the command reports an empty file (0 bytes) as bad input naming the file and line 1.</summary>
public sealed class CsvFilesTests
{
    public static TheoryData<string> Readers => new() { "leads", "activities", "stages" };

    [Theory]
    [MemberData(nameof(Readers))]
    public void EmptyFile_IsReportedWithFileAndLine_NotAParserException(string reader)
    {
        Action read = reader switch
        {
            "leads" => () => new LeadCsvReader(new StringReader(string.Empty), "empty.csv").Dispose(),
            "activities" => () => ActivityCsvFile.Read(new StringReader(string.Empty), "empty.csv"),
            _ => () => PredictiveCsv.ReadStages(new StringReader(string.Empty), "empty.csv"),
        };

        var ex = Assert.Throws<LeadCsvException>(read);
        Assert.Equal("empty.csv", ex.FileName);
        Assert.Equal(1, ex.Line);
        Assert.Contains("the file is empty: expected a header row", ex.Message, StringComparison.Ordinal);
    }
}
