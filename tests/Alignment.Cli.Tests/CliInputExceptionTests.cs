namespace Alignment.Cli.Tests;

public sealed class CliInputExceptionTests
{
    [Fact]
    public void Message_FileLineAndField_NamesAllThree()
    {
        var e = new CliInputException("model.json", 7, "$.rules[2].points", "must be a number.");

        Assert.Equal("model.json, line 7, field '$.rules[2].points': must be a number.", e.Message);
        Assert.Equal("model.json", e.File);
        Assert.Equal(7, e.Line);
        Assert.Equal("$.rules[2].points", e.Field);
        Assert.Equal("must be a number.", e.Problem);
    }

    [Fact]
    public void Message_NoLineOrField_NamesTheFile()
    {
        var e = new CliInputException("leads.csv", null, null, "the file does not exist.");

        Assert.Equal("leads.csv: the file does not exist.", e.Message);
    }

    [Fact]
    public void Constructor_EmptyFile_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CliInputException(" ", 1, "x", "bad"));
    }
}
