using System.Globalization;
using Alignment.Leads;
using Alignment.Leads.Import;
using Alignment.Scoring.Definitions;

namespace Alignment.Cli.Csv;

/// <summary>
/// Reads leads from a CSV file, one per record: the <c>id</c> column, the built-in lead columns (<c>industry</c>, <c>employeeCount</c>,
/// <c>annualRevenue</c>, <c>country</c>, <c>region</c>, <c>company</c>, <c>companyDomain</c>, <c>jobTitle</c>, <c>seniority</c>,
/// <c>department</c>, <c>language</c>, <c>email</c>, <c>source</c>, <c>campaign</c>, <c>createdAt</c>) and one column per custom
/// attribute of the schema. Used by backtests (<see cref="BacktestCsv"/>) and to score a CRM export. Format in <c>docs/data-formats.md</c>.
/// </summary>
/// <remarks>
/// Column names are matched case-insensitively, in any order; built-in columns may be left out, other columns are ignored, but every
/// custom attribute of the schema must have a column. An empty cell is a missing value. Numbers use the invariant culture; instants are
/// ISO 8601 (<c>2026-03-01</c>, <c>2026-03-01T12:00:00Z</c>, <c>2026-03-01T12:00:00+01:00</c>; no offset means UTC); flags are
/// <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>/<c>yes</c>/<c>no</c>. The text is RFC 4180 CSV: cells with a comma, a quote or a line
/// break are quoted (<c>"Acme, Inc."</c>, <c>""</c> for a quote); lines end with LF, CRLF or a lone CR (inside quoted cells too); a
/// byte-order mark is skipped; blank lines are skipped; every record has as many cells as the header; one record may have up to 16 Mi
/// characters (its line ending not counted). Bad input, a malformed record included, throws <see cref="LeadCsvException"/> naming the
/// file, line and column (no other exception of the parser escapes). Not thread-safe; does not close the <see cref="TextReader"/>.
/// </remarks>
internal sealed class LeadCsvReader : IDisposable
{
    /// <summary>The id column (required).</summary>
    public const string IdColumn = "id";

    // Indexes into LeadColumns (and _leadOrdinals).
    private const int IndustryOrdinal = 0;
    private const int EmployeeCountOrdinal = 1;
    private const int AnnualRevenueOrdinal = 2;
    private const int CountryOrdinal = 3;
    private const int RegionOrdinal = 4;
    private const int CompanyOrdinal = 5;
    private const int CompanyDomainOrdinal = 6;
    private const int JobTitleOrdinal = 7;
    private const int SeniorityOrdinal = 8;
    private const int DepartmentOrdinal = 9;
    private const int LanguageOrdinal = 10;
    private const int EmailOrdinal = 11;
    private const int SourceOrdinal = 12;
    private const int CampaignOrdinal = 13;
    private const int CreatedAtOrdinal = 14;

    private static readonly string[] InstantFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK"];

    private readonly CsvRecordReader _csv;
    private readonly CsvImport _import;
    private readonly bool _plain; // our own format: the reading rules from before mappings, unchanged
    private readonly Dictionary<string, int> _columns;
    private readonly Dictionary<string, string> _shown;
    private readonly string?[] _leadConstants;
    private readonly AttributeSchema _schema;
    private readonly int[] _attributeOrdinals;
    private readonly int[] _leadOrdinals; // the ordinal of each of LeadColumns, -1 when absent
    private readonly int _idOrdinal;
    private Lead? _current;
    private bool _onRecord;

    /// <summary>Opens a leads file and checks its header.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name, used in error messages.</param>
    /// <param name="schema">The custom attributes to read (for example <see cref="CreateSchema"/> of the models used); <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="fileName"/> is null.</exception>
    /// <exception cref="LeadCsvException">The file is empty, or the header is malformed, repeats a column, or lacks <c>id</c> or a custom attribute.</exception>
    /// <param name="import">How to read the export (<c>--from</c>, <c>--map</c>, <c>--culture</c>, …); <see langword="null"/> for our own format.</param>
    public LeadCsvReader(TextReader reader, string fileName, AttributeSchema? schema = null, CsvImport? import = null)
        : this(reader, fileName, schema, CsvRecordReader.DefaultMaxRecordLength, import)
    {
    }

    /// <summary>Opens a leads file with a given limit on the characters of one record (tests use a small one).</summary>
    internal LeadCsvReader(TextReader reader, string fileName, AttributeSchema? schema, int maxRecordLength, CsvImport? import = null)
    {
        _import = import ?? CsvImport.Default;
        _plain = ReferenceEquals(_import, CsvImport.Default);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        FileName = fileName;
        _schema = schema ?? AttributeSchema.Empty;
        _csv = CsvFiles.Open(reader, fileName, maxRecordLength);
        (_columns, _shown) = _import.ResolveHeader(_csv.Header, fileName, _csv.HeaderLine);

        _idOrdinal = Require(IdColumn);
        _attributeOrdinals = new int[_schema.Count];
        for (int a = 0; a < _schema.Count; a++)
        {
            _attributeOrdinals[a] = Require(_schema.Definitions[a].Name);
        }

        _leadOrdinals = new int[LeadColumns.Count];
        _leadConstants = new string?[LeadColumns.Count];
        for (int c = 0; c < _leadOrdinals.Length; c++)
        {
            _leadOrdinals[c] = _columns.GetValueOrDefault(LeadColumns[c], -1);
            _leadConstants[c] = _leadOrdinals[c] < 0 ? _import.Constant(LeadColumns[c]) : null;
        }
    }

    /// <summary>The built-in lead columns this reader understands, besides <c>id</c> and the custom attributes.</summary>
    public static IReadOnlyList<string> LeadColumns { get; } =
        ["industry", "employeeCount", "annualRevenue", "country", "region", "company", "companyDomain", "jobTitle", "seniority", "department", "language", "email", "source", "campaign", "createdAt"];

    /// <summary>The file name given.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line of the current record (the header is line 1).</summary>
    public int Line => _csv.Line;

    /// <summary>The line of the header (1 unless blank lines precede it).</summary>
    internal int HeaderLine => _csv.HeaderLine;

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
        _current = null;
        if (_csv.Read())
        {
            _onRecord = true;
            _current = ParseLead();
            return true;
        }

        _onRecord = false;
        return false;
    }

    /// <summary>Whether the header has a column (case-insensitive).</summary>
    /// <param name="column">The column name.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool HasColumn(string column) => _columns.ContainsKey(column) || _import.Constant(column) is not null;

    /// <summary>The header cells as written.</summary>
    internal IReadOnlyList<string> Header => _csv.Header;

    /// <summary>The import the file is read with.</summary>
    internal CsvImport Import => _import;

    /// <summary>Reads a text cell of the current record.</summary>
    /// <param name="column">The column name.</param>
    /// <returns>The text, trimmed; <see langword="null"/> when the column is absent or the cell empty.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Read"/> has not returned <see langword="true"/>.</exception>
    public string? GetText(string column)
    {
        if (!_onRecord)
        {
            throw new InvalidOperationException("Call Read first.");
        }

        return _columns.TryGetValue(column, out int ordinal) ? _csv.GetTrimmed(ordinal) : _import.Constant(column);
    }

    /// <summary>Reads an instant cell of the current record (ISO 8601; no offset means UTC).</summary>
    /// <param name="column">The column name.</param>
    /// <returns>The instant; <see langword="null"/> when the column is absent or the cell empty.</returns>
    /// <exception cref="LeadCsvException">The cell is not an ISO 8601 date or instant.</exception>
    public DateTimeOffset? GetInstant(string column)
    {
        return ParseInstant(GetText(column), column);
    }

    private DateTimeOffset? ParseInstant(string? text, string column)
    {
        if (text is null)
        {
            return null;
        }

        if (_plain)
        {
            return DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : throw Error(column, $"'{text}' is not an ISO 8601 date or instant (for example 2026-03-01 or 2026-03-01T12:00:00Z)");
        }

        return _import.Values.TryReadInstant(text, out var instant, out var problem) ? instant : throw Error(column, problem!);
    }

    /// <summary>Reads a number cell of the current record with the import's culture (grouping, currency allowed).</summary>
    /// <param name="column">The column name.</param>
    /// <param name="text">The cell's text.</param>
    /// <returns>The number.</returns>
    /// <exception cref="LeadCsvException">The cell is not a number.</exception>
    internal decimal ParseNumber(string column, string text) =>
        _import.Values.TryReadNumber(text, out var value, out var problem) ? value : throw Error(column, problem!);

    /// <summary>Whether numbers are read the plain way of our own format (invariant, no grouping).</summary>
    internal bool IsPlain => _plain;

    /// <summary>Creates the exception for a problem in a column of the current record.</summary>
    /// <param name="column">The column, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <returns>The exception, naming file, line and column.</returns>
    public LeadCsvException Error(string? column, string problem) => new(FileName, Line, Show(column), problem);

    /// <summary>A column as the message names it: the header as written, with our name after it when they differ.</summary>
    private string? Show(string? column) =>
        column is not null && _shown.TryGetValue(column, out var written) && !string.Equals(written, column, StringComparison.OrdinalIgnoreCase)
            ? $"{written} ({column})"
            : column;

    /// <summary>Ends reading (the <see cref="TextReader"/> is not closed); nothing else is held.</summary>
    public void Dispose() => (_current, _onRecord) = (null, false);

    private int Require(string column) =>
        _columns.TryGetValue(column, out int i) ? i : throw _import.Missing(FileName, _csv.HeaderLine, column, _csv.Header);

    private string? Text(int ordinal) => ordinal < 0 ? null : _csv.GetTrimmed(ordinal);

    private string? LeadText(int leadColumn) => _leadOrdinals[leadColumn] < 0 ? _leadConstants[leadColumn] : Text(_leadOrdinals[leadColumn]);

    private Lead ParseLead()
    {
        string id = Text(_idOrdinal) ?? throw Error(IdColumn, "the id is empty");
        int? employees = null;
        if (LeadText(EmployeeCountOrdinal) is { } e)
        {
            employees = _plain
                ? int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw Error("employeeCount", $"'{e}' is not a whole number of at least 0")
                : _import.Values.TryReadCount(e, out int count, out var problem) ? count : throw Error("employeeCount", problem!);
        }

        decimal? revenue = null;
        if (LeadText(AnnualRevenueOrdinal) is { } r)
        {
            revenue = _plain
                ? decimal.TryParse(r, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal v) ? v : throw Error("annualRevenue", $"'{r}' is not a number of at least 0")
                : ParseNumber("annualRevenue", r) is var amount && amount >= 0 ? amount : throw Error("annualRevenue", $"'{r}' is not a number of at least 0");
        }

        var attributes = _schema.CreateBuilder();
        for (int a = 0; a < _schema.Count; a++)
        {
            var def = _schema.Definitions[a];
            string? text = Text(_attributeOrdinals[a]);
            switch (def.Kind)
            {
                case AttributeKind.Text:
                    attributes.Set(def.Name, text);
                    break;
                case AttributeKind.Number:
                    if (text is not null)
                    {
                        attributes.Set(def.Name, _plain
                            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : throw Error(def.Name, $"'{text}' is not a number")
                            : (double)ParseNumber(def.Name, text));
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
                Industry = LeadText(IndustryOrdinal),
                EmployeeCount = employees,
                AnnualRevenue = revenue,
                Country = LeadText(CountryOrdinal),
                Region = LeadText(RegionOrdinal),
                Name = LeadText(CompanyOrdinal),
                Domain = LeadText(CompanyDomainOrdinal),
            },
            Person = new PersonProfile
            {
                JobTitle = LeadText(JobTitleOrdinal),
                Seniority = LeadText(SeniorityOrdinal),
                Department = LeadText(DepartmentOrdinal),
                Language = LeadText(LanguageOrdinal),
                Email = LeadText(EmailOrdinal),
            },
            Source = LeadText(SourceOrdinal),
            Campaign = LeadText(CampaignOrdinal),
            CreatedAt = ParseInstant(LeadText(CreatedAtOrdinal), "createdAt"),
            Attributes = _schema.Count == 0 ? LeadAttributes.Empty : attributes.Build(),
        };
    }
}
