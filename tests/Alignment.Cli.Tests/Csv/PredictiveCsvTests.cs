using Alignment.Cli.Csv;
using Alignment.Scoring.Predictive;

namespace Alignment.Cli.Tests.Csv;

public sealed class PredictiveCsvTests
{
    private const string StagesCsv = "name,sequence,is_won\nNew,1,false\nQualified,2,False\nProposition,3,0\nWon,4,true\n";

    private static PredictiveScorer Scorer(string[] fields, string[]? missingAsValue = null)
        => new(
            PredictiveCsv.ReadStages(new StringReader(StagesCsv), "STAGES.csv"),
            new PredictiveScoringOptions { Fields = fields, MissingAsValueFields = missingAsValue ?? [] });

    [Fact]
    public void ReadStages_ReadsNameSequenceAndIsWon()
    {
        var stages = PredictiveCsv.ReadStages(new StringReader("is_won,name,sequence\n1,Won,10\n0,\"New, inbound\",-1\n"), "STAGES.csv");

        Assert.Equal([new PipelineStage("Won", 10, true), new PipelineStage("New, inbound", -1, false)], stages.ToArray());
    }

    [Theory]
    [InlineData("name,sequence\nNew,1\n", "STAGES.csv, line 1, column 'is_won': the column is missing from the header")]
    [InlineData("name,sequence,is_won\nNew,1,false\nWon,two,true\n", "STAGES.csv, line 3, column 'sequence': 'two' is not an integer")]
    [InlineData("name,sequence,is_won\nNew,1,maybe\n", "STAGES.csv, line 2, column 'is_won': 'maybe' is not true, false, 1 or 0")]
    [InlineData("name,sequence,is_won\nNew,1,false\nNew,2,true\n", "STAGES.csv, line 3, column 'name': stage 'New' is listed more than once")]
    [InlineData("name,sequence,is_won\n,1,false\n", "STAGES.csv, line 2, column 'name': the stage name is empty")]
    [InlineData("name,sequence,is_won\nNew,1\n", "STAGES.csv, line 2, column 'is_won': the record has 2 cells but the header has 3")]
    [InlineData("name,sequence,is_won\n", "STAGES.csv, line 1: the file lists no stage")]
    public void ReadStages_BadInput_NamesFileLineAndColumn(string csv, string message)
    {
        var error = Assert.Throws<LeadCsvException>(() => PredictiveCsv.ReadStages(new StringReader(csv), "STAGES.csv"));

        Assert.Equal(message, error.Message);
        Assert.Equal("STAGES.csv", error.FileName);
    }

    [Fact]
    public void ReadHistory_ReadsEveryColumnAndTreatsEmptyCellsAsUnset()
    {
        using var scorer = Scorer(["country", "email_state"]);
        const string csv = "id,team,stage,outcome,country,email_state,tags,ignored\n"
            + "1,A,Won,won,BE,correct,vip; partner ;,x\n"
            + "2,,Qualified,LOST,,,,\n"
            + "3,B,,open,FR,incorrect,,\n";

        var records = PredictiveCsv.ReadHistory(new StringReader(csv), "HISTORY.csv", scorer, "tags").ToList();

        Assert.Equal(3, records.Count);
        Assert.Equal(("1", "A", "Won", LeadOutcome.Won), (records[0].Id, records[0].Team, records[0].Stage, records[0].Outcome));
        Assert.Equal(new string?[] { "BE", "correct" }, records[0].Values.AsEnumerable());
        Assert.Equal(["vip", "partner"], records[0].Tags.ToArray());
        Assert.Equal((null, "Qualified", LeadOutcome.Lost), (records[1].Team, records[1].Stage, records[1].Outcome));
        Assert.Equal(new string?[] { null, null }, records[1].Values.AsEnumerable());
        Assert.Empty(records[1].Tags);
        Assert.Equal((null, LeadOutcome.Open), (records[2].Stage, records[2].Outcome));
    }

    [Theory]
    [InlineData("id,team,stage,country\n", "HISTORY.csv, line 1, column 'outcome': the column is missing from the header")]
    [InlineData("id,team,stage,outcome\n", "HISTORY.csv, line 1, column 'country': the column is missing from the header")]
    [InlineData("id,team,stage,outcome,country\n1,A,New,won,BE\n2,A,Lost,lost,BE\n", "HISTORY.csv, line 3, column 'stage': 'Lost' is not a stage of the stages file")]
    [InlineData("id,team,stage,outcome,country\n1,A,New,won,BE\n\n2,A,New,dropped,BE\n", "HISTORY.csv, line 4, column 'outcome': 'dropped' is not won, lost or open")]
    [InlineData("id,team,stage,outcome,country\n,A,New,won,BE\n", "HISTORY.csv, line 2, column 'id': the id is empty")]
    [InlineData("id,team,stage,outcome,country\n1,A,New,won\n", "HISTORY.csv, line 2, column 'country': the record has 4 cells but the header has 5")]
    public void ReadHistory_BadInput_NamesFileLineAndColumn(string csv, string message)
    {
        using var scorer = Scorer(["country"]);

        var error = Assert.Throws<LeadCsvException>(
            () => scorer.Rebuild(PredictiveCsv.ReadHistory(new StringReader(csv), "HISTORY.csv", scorer, null)));

        Assert.Equal(message, error.Message);
        Assert.Empty(scorer.GetRows());
    }

    [Fact]
    public void ReadHistory_MissingTagsColumn_NamesIt()
    {
        using var scorer = Scorer([]);

        var error = Assert.Throws<LeadCsvException>(
            () => PredictiveCsv.ReadHistory(new StringReader("id,team,stage,outcome\n"), "HISTORY.csv", scorer, "labels").ToList());

        Assert.Equal("HISTORY.csv, line 1, column 'labels': the column is missing from the header", error.Message);
    }

    [Fact]
    public void ReadLeads_HasNoOutcomeColumn()
    {
        using var scorer = Scorer(["country"]);

        var leads = PredictiveCsv.ReadLeads(new StringReader("id,team,stage,country\n7,A,New,BE\n"), "LEADS.csv", scorer, null).ToList();

        Assert.Equal(LeadOutcome.Open, Assert.Single(leads).Outcome);
    }

    [Fact]
    public void ReadFieldNames_ReturnsEveryColumnButTheFixedOnesAndTags()
    {
        var fields = PredictiveCsv.ReadFieldNames(
            new StringReader("id,team,stage,outcome,country,source,tags,email_state\n"), "HISTORY.csv", "tags");

        Assert.Equal(["country", "source", "email_state"], fields.ToArray());
    }

    [Fact]
    public void EndToEnd_HistoryThenLeads_WritesHandComputedProbabilities()
    {
        using var scorer = Scorer(["country"]);
        const string history = "id,team,stage,outcome,country\n1,A,Won,won,BE\n2,A,Qualified,lost,BE\n3,A,New,lost,FR\n4,A,New,open,DE\n";
        const string leads = "id,team,stage,country\nq,A,Qualified,BE\nf,A,New,FR\n\"n,1\",A,,BE\nw,A,Won,FR\nz,,New,BE\n";
        var counted = scorer.Rebuild(PredictiveCsv.ReadHistory(new StringReader(history), "HISTORY.csv", scorer, null));
        var output = new StringWriter();

        var (written, unscorable) = PredictiveCsv.WriteProbabilities(
            output, scorer, PredictiveCsv.ReadLeads(new StringReader(leads), "LEADS.csv", scorer, null));

        // q: 64.71 and f: 8.03 (see PredictiveScorerTests); no stage: 0; won stage: 100; z (no team) uses the global view,
        // which here is team A's rows: prior 1.1/2.1, stage New 1.1/1.1 and 2.1/2.1, BE 1.1/1.2 and 1.1/2.2 -> 48.99
        Assert.Equal(3, counted);
        Assert.Equal((5, 0), (written, unscorable));
        Assert.Equal("id,probability\nq,64.71\nf,8.03\n\"n,1\",0.00\nw,100.00\nz,48.99\n", output.ToString());
    }

    [Fact]
    public void WriteProbabilities_UnscorableLead_HasAnEmptyProbability()
    {
        using var scorer = Scorer([]);
        var output = new StringWriter();

        var (_, unscorable) = PredictiveCsv.WriteProbabilities(
            output, scorer, PredictiveCsv.ReadLeads(new StringReader("id,team,stage\n1,A,New\n"), "LEADS.csv", scorer, null));

        Assert.Equal(1, unscorable);
        Assert.Equal("id,probability\n1,\n", output.ToString());
    }

    [Fact]
    public void WriteProbabilities_FormulaIds_AreNeutralised_UnlessRaw_AndPlainNumbersStay()
    {
        using var scorer = Scorer([]);
        const string leads = "id,team,stage\n=cmd|' /C calc'!A0,A,New\n+1+1,A,New\n@SUM(1),A,New\n-7,A,New\n\"\tx\",A,New\n-1e5,A,New\n";
        var safe = new StringWriter();
        var raw = new StringWriter();

        PredictiveCsv.WriteProbabilities(safe, scorer, PredictiveCsv.ReadLeads(new StringReader(leads), "LEADS.csv", scorer, null));
        PredictiveCsv.WriteProbabilities(raw, scorer, PredictiveCsv.ReadLeads(new StringReader(leads), "LEADS.csv", scorer, null), raw: true);

        Assert.Equal("id,probability\n'=cmd|' /C calc'!A0,\n'+1+1,\n'@SUM(1),\n-7,\n'\tx,\n'-1e5,\n", safe.ToString());
        Assert.Equal("id,probability\n=cmd|' /C calc'!A0,\n+1+1,\n@SUM(1),\n-7,\n\tx,\n-1e5,\n", raw.ToString());
    }
}
