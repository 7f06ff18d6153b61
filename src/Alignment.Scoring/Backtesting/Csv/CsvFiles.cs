using Sylvan.Data.Csv;

namespace Alignment.Scoring.Backtesting.Csv;

/// <summary>Opens the CSV files the scoring package reads, with one rule for all of them: a header row is required.</summary>
internal static class CsvFiles
{
    /// <summary>Opens comma-separated text with a header row.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="fileName">The file name, for the error message.</param>
    /// <returns>The reader, positioned before the first data row.</returns>
    /// <exception cref="LeadCsvException">The file is empty (not even a header row).</exception>
    public static CsvDataReader Open(TextReader reader, string fileName)
    {
        try
        {
            return CsvDataReader.Create(reader, new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', OwnsReader = false });
        }
        catch (CsvMissingHeadersException)
        {
            throw new LeadCsvException(fileName, 1, null, "the file is empty: expected a header row");
        }
    }
}
