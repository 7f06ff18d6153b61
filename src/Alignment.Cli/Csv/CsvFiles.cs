namespace Alignment.Cli.Csv;

/// <summary>Opens the CSV files the command reads, with one rule for all of them: a header row is required.</summary>
internal static class CsvFiles
{
    /// <summary>Opens comma-separated text and reads its header row.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="maxRecordLength">The most characters one record may have.</param>
    /// <returns>The reader, positioned before the first data row.</returns>
    /// <exception cref="LeadCsvException">The file is empty (not even a header row), or the header is malformed.</exception>
    public static CsvRecordReader Open(TextReader reader, string fileName, int maxRecordLength = CsvRecordReader.DefaultMaxRecordLength)
    {
        var csv = new CsvRecordReader(reader, fileName, maxRecordLength);
        csv.ReadHeader();
        return csv;
    }
}
