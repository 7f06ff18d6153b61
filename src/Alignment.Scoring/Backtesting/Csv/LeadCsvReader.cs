using System.Globalization;
using Alignment.Leads;
using Alignment.Scoring.Definitions;
using Sylvan.Data.Csv;

namespace Alignment.Scoring.Backtesting.Csv;

/// <summary>
/// Reads leads from a CSV file, one per record: the <c>id</c> column, the built-in lead columns (<c>industry</c>, <c>employeeCount</c>,
/// <c>annualRevenue</c>, <c>country</c>, <c>region</c>, <c>company</c>, <c>companyDomain</c>, <c>jobTitle</c>, <c>seniority</c>,
/// <c>department</c>, <c>language</c>, <c>email</c>, <c>source</c>, <c>campaign</c>, <c>createdAt</c>) and one column per custom
/// attribute of the schema. Used by backtests (<see cref="BacktestCsv"/>) and to score a CRM export. Format in <c>docs/backtesting.md</c>.
/// </summary>
/// <remarks>
/// Column names are matched case-insensitively, in any order; built-in columns may be left out, other columns are ignored, but every
/// custom attribute of the schema must have a column. An empty cell is a missing value. Numbers use the invariant culture; instants are
/// ISO 8601 (<c>2026-03-01</c>, <c>2026-03-01T12:00:00Z</c>, <c>2026-03-01T12:00:00+01:00</c>; no offset means UTC); flags are
/// <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>/<c>yes</c>/<c>no</c>. Blank lines are skipped. Bad input throws <see cref="LeadCsvException"/>
/// naming the file, line and column. Not thread-safe; does not close the <see cref="TextReader"/>.
/// </remarks>
public sealed class LeadCsvReader : IDisposable
{
    /// <summary>The id column (required).</summary>
    public const string IdColumn = "id";

    private static readonly string[] InstantFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK"];

    private readonly CsvDataReader _csv;
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);
    private readonly AttributeSchema _schema;
    private readonly int[] _attributeOrdinals;
    private Lead? _current;

    /// <summary>Opens a leads file and checks its header.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name, used in error messages.</param>
    /// <param name="schema">The custom attributes to read (for example <see cref="CreateSchema"/> of the models used); <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="fileName"/> is null.</exception>
    /// <exception cref="LeadCsvException">The header is missing, repeats a column, or lacks <c>id</c> or a custom attribute.</exception>
    public LeadCsvReader(TextReader reader, string fileName, AttributeSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        FileName = fileName;
        _schema = schema ?? AttributeSchema.Empty;
        _csv = CsvFiles.Open(reader, fileName);
        if (_csv.FieldCount == 0)
        {
            throw new LeadCsvException(fileName, 1, null, "the file has no header");
        }

        for (int i = 0; i < _csv.FieldCount; i++)
        {
            string name = _csv.GetName(i).Trim();
            if (!_columns.TryAdd(name, i))
            {
                throw new LeadCsvException(fileName, 1, name, "the column appears twice in the header");
            }
        }

        Require(IdColumn);
        _attributeOrdinals = new int[_schema.Count];
        for (int a = 0; a < _schema.Count; a++)
        {
            _attributeOrdinals[a] = Require(_schema.Definitions[a].Name);
        }

    }

    /// <summary>The built-in lead columns this reader understands, besides <c>id</c> and the custom attributes.</summary>
    public static IReadOnlyList<string> LeadColumns { get; } =
        ["industry", "employeeCount", "annualRevenue", "country", "region", "company", "companyDomain", "jobTitle", "seniority", "department", "language", "email", "source", "campaign", "createdAt"];

    /// <summary>The file name given.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line of the current record (the header is line 1).</summary>
    public int Line => _csv.RowNumber + 1;

    /// <summary>The lead of the current record.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Read"/> has not returned <see langword="true"/>.</exception>
    public Lead Current => _current ?? throw new InvalidOperationException("Call Read first.");

    /// <summary>Reads every lead of a file.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name, used in error messages.</param>
    /// <param name="schema">The custom attributes to read; <see langword="null"/> for none.</param>
    /// <returns>The leads, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="fileName"/> is null.</exception>
    /// <exception cref="LeadCsvException">The file is malformed.</exception>
    public static List<Lead> ReadAll(TextReader reader, string fileName, AttributeSchema? schema = null)
    {
        using var csv = new LeadCsvReader(reader, fileName, schema);
        var leads = new List<Lead>();
        while (csv.Read())
        {
            leads.Add(csv.Current);
        }

        return leads;
    }

    /// <summary>The attribute schema that holds every custom attribute the given models declare, in first-declared order.</summary>
    /// <param name="models">The models (for example the two versions compared).</param>
    /// <returns>The schema; compile each model against it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="models"/> is null.</exception>
    /// <exception cref="ArgumentException">Two models declare the same attribute with different types.</exception>
    public static AttributeSchema CreateSchema(IEnumerable<ScoringModelDefinition> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var kinds = new Dictionary<string, AttributeKind>(StringComparer.OrdinalIgnoreCase);
        var order = new List<AttributeDefinition>();
        foreach (var m in models)
        {
            foreach (var a in m.Attributes)
            {
                if (kinds.TryGetValue(a.Name, out var kind))
                {
                    if (kind != a.Kind)
                    {
                        throw new ArgumentException($"Attribute '{a.Name}' is {kind} in one model and {a.Kind} in {m.Id}@{m.Version}.", nameof(models));
                    }

                    continue;
                }

                kinds[a.Name] = a.Kind;
                order.Add(new AttributeDefinition(a.Name, a.Kind));
            }
        }

        return new AttributeSchema(order);
    }

    /// <summary>Moves to the next record (blank lines are skipped) and reads its lead.</summary>
    /// <returns><see langword="false"/> at the end of the file.</returns>
    /// <exception cref="LeadCsvException">The record is malformed.</exception>
    public bool Read()
    {
        while (_csv.Read())
        {
            if (_csv.RowFieldCount <= 1 && (_csv.RowFieldCount == 0 || _csv.GetString(0).Length == 0))
            {
                continue;
            }

            _current = ParseLead();
            return true;
        }

        _current = null;
        return false;
    }

    /// <summary>Whether the header has a column (case-insensitive).</summary>
    /// <param name="column">The column name.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool HasColumn(string column) => _columns.ContainsKey(column);

    /// <summary>Reads a text cell of the current record.</summary>
    /// <param name="column">The column name.</param>
    /// <returns>The text, trimmed; <see langword="null"/> when the column is absent or the cell empty.</returns>
    /// <exception cref="LeadCsvException">The record has fewer cells than the header.</exception>
    public string? GetText(string column)
    {
        if (!_columns.TryGetValue(column, out int ordinal))
        {
            return null;
        }

        if (ordinal >= _csv.RowFieldCount)
        {
            throw Error(column, $"the record has {_csv.RowFieldCount} cells but the header has {_csv.FieldCount}");
        }

        string text = _csv.GetString(ordinal).Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>Reads an instant cell of the current record (ISO 8601; no offset means UTC).</summary>
    /// <param name="column">The column name.</param>
    /// <returns>The instant; <see langword="null"/> when the column is absent or the cell empty.</returns>
    /// <exception cref="LeadCsvException">The cell is not an ISO 8601 date or instant.</exception>
    public DateTimeOffset? GetInstant(string column)
    {
        string? text = GetText(column);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw Error(column, $"'{text}' is not an ISO 8601 date or instant (for example 2026-03-01 or 2026-03-01T12:00:00Z)");
    }

    /// <summary>Creates the exception for a problem in a column of the current record.</summary>
    /// <param name="column">The column, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <returns>The exception, naming file, line and column.</returns>
    public LeadCsvException Error(string? column, string problem) => new(FileName, Line, column, problem);

    /// <summary>Releases the CSV parser (not the <see cref="TextReader"/>).</summary>
    public void Dispose() => _csv.Dispose();

    private int Require(string column) =>
        _columns.TryGetValue(column, out int i) ? i : throw new LeadCsvException(FileName, 1, column, "the column is missing from the header");

    private Lead ParseLead()
    {
        string id = GetText(IdColumn) ?? throw Error(IdColumn, "the id is empty");
        int? employees = null;
        if (GetText("employeeCount") is { } e)
        {
            employees = int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw Error("employeeCount", $"'{e}' is not a whole number of at least 0");
        }

        decimal? revenue = null;
        if (GetText("annualRevenue") is { } r)
        {
            revenue = decimal.TryParse(r, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal v) ? v : throw Error("annualRevenue", $"'{r}' is not a number of at least 0");
        }

        var attributes = _schema.CreateBuilder();
        for (int a = 0; a < _schema.Count; a++)
        {
            var def = _schema.Definitions[a];
            string? text = GetText(def.Name);
            switch (def.Kind)
            {
                case AttributeKind.Text:
                    attributes.Set(def.Name, text);
                    break;
                case AttributeKind.Number:
                    if (text is not null)
                    {
                        attributes.Set(def.Name, double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : throw Error(def.Name, $"'{text}' is not a number"));
                    }

                    break;
                case AttributeKind.Boolean:
                    if (text is not null)
                    {
                        attributes.Set(def.Name, text.ToUpperInvariant() switch
                        {
                            "TRUE" or "1" or "YES" => true,
                            "FALSE" or "0" or "NO" => false,
                            _ => throw Error(def.Name, $"'{text}' is not true, false, 1, 0, yes or no"),
                        });
                    }

                    break;
            }
        }

        return new Lead(new LeadId(id))
        {
            Company = new CompanyProfile
            {
                Industry = GetText("industry"),
                EmployeeCount = employees,
                AnnualRevenue = revenue,
                Country = GetText("country"),
                Region = GetText("region"),
                Name = GetText("company"),
                Domain = GetText("companyDomain"),
            },
            Person = new PersonProfile
            {
                JobTitle = GetText("jobTitle"),
                Seniority = GetText("seniority"),
                Department = GetText("department"),
                Language = GetText("language"),
                Email = GetText("email"),
            },
            Source = GetText("source"),
            Campaign = GetText("campaign"),
            CreatedAt = GetInstant("createdAt"),
            Attributes = _schema.Count == 0 ? LeadAttributes.Empty : attributes.Build(),
        };
    }
}
