using System.Buffers;
using System.Globalization;

namespace Alignment.Cli.Csv;

/// <summary>
/// Reads comma-separated records (RFC 4180) from text with a header row: cells may be quoted (<c>"Acme, Inc."</c>), with
/// <c>""</c> for a quote and line breaks inside; lines end with LF, CRLF or CR; a UTF-8 byte-order mark at the start is skipped;
/// blank lines are skipped. Every data record must have as many cells as the header. Every problem throws
/// <see cref="LeadCsvException"/> naming the file, the physical line (1-based, counted across line breaks inside quoted cells)
/// and, for a syntax error, the column (1-based character position in its line).
/// </summary>
/// <remarks>
/// The cells of the current record are views into one reused character buffer, valid until the next <see cref="Read"/>; only
/// <see cref="GetString"/> and <see cref="GetTrimmed"/> allocate. A record longer than the limit (by default
/// <see cref="DefaultMaxRecordLength"/> characters, its line ending not counted) is an error, so an endless input without a line break
/// is refused instead of being read into memory (the buffer never holds more than the limit and two characters). Not thread-safe; does
/// not close the <see cref="TextReader"/>.
/// </remarks>
internal sealed class CsvRecordReader
{
    /// <summary>The default upper bound on the characters of one record (16 MiB characters).</summary>
    internal const int DefaultMaxRecordLength = 16 * 1024 * 1024;

    private const int InitialBufferLength = 1 << 16;
    private const int InitialCellCapacity = 64;
    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create(",\"\r\n");

    private readonly TextReader _reader;
    private readonly int _maxRecordLength;
    private readonly int _maxBufferLength; // the limit and a CRLF after it, or room to see the end of the text
    private char[] _buffer;
    private int _start; // the first character not yet consumed (the current record's, while it is parsed)
    private int _end; // the end of the characters read
    private bool _eof;
    private bool _started;
    private int _line = 1; // the physical line of the character at _start
    private int _cellBase; // where the cells of the current record are (their starts are relative to it)
    private int _count;
    private int _maxCells = int.MaxValue;
    private int[] _cellStart = new int[InitialCellCapacity];
    private int[] _cellLength = new int[InitialCellCapacity];
    private int[] _cellLine = new int[InitialCellCapacity];
    private int[] _cellColumn = new int[InitialCellCapacity];
    private string[] _header = [];

    /// <summary>Creates a reader; nothing is read until <see cref="ReadHeader"/>.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="maxRecordLength">The most characters one record may have, its line ending not counted (at least 16).</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="fileName"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecordLength"/> is less than 16.</exception>
    public CsvRecordReader(TextReader reader, string fileName, int maxRecordLength = DefaultMaxRecordLength)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordLength, 16);
        _reader = reader;
        FileName = fileName;
        _maxRecordLength = maxRecordLength;
        _maxBufferLength = (int)Math.Min((long)maxRecordLength + 2, Array.MaxLength);
        _buffer = new char[Math.Min(InitialBufferLength, _maxBufferLength)];
    }

    /// <summary>The file name given.</summary>
    public string FileName { get; }

    /// <summary>The header cells, as written (not trimmed); empty before <see cref="ReadHeader"/>.</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>The line of the header (1 unless blank lines precede it).</summary>
    public int HeaderLine { get; private set; } = 1;

    /// <summary>The physical line where the current record starts.</summary>
    public int Line { get; private set; }

    /// <summary>The number of cells of the current record (after <see cref="Read"/>, the header's count).</summary>
    public int Count => _count;

    /// <summary>Reads the header row.</summary>
    /// <returns>The header cells, as written.</returns>
    /// <exception cref="LeadCsvException">The file is empty, or the header is malformed.</exception>
    public IReadOnlyList<string> ReadHeader()
    {
        if (!ReadRecord())
        {
            throw new LeadCsvException(FileName, 1, null, "the file is empty: expected a header row");
        }

        var header = new string[_count];
        for (int i = 0; i < header.Length; i++)
        {
            header[i] = GetString(i);
        }

        _header = header;
        HeaderLine = Line;
        _maxCells = header.Length;
        return header;
    }

    /// <summary>Moves to the next data record, skipping blank lines.</summary>
    /// <returns><see langword="false"/> at the end of the text.</returns>
    /// <exception cref="LeadCsvException">
    /// The record is malformed (a stray quote, text after a closing quote, a quote never closed, longer than the limit) or has
    /// more or fewer cells than the header.
    /// </exception>
    public bool Read()
    {
        if (!ReadRecord())
        {
            return false;
        }

        if (_count < _header.Length)
        {
            throw new LeadCsvException(FileName, Line, _header[_count].Trim(), $"the record has {_count} cells but the header has {_header.Length}");
        }

        return true;
    }

    /// <summary>The text of a cell of the current record, valid until the next read.</summary>
    /// <param name="index">The cell, from 0.</param>
    /// <returns>The characters, unquoted.</returns>
    public ReadOnlySpan<char> GetSpan(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _buffer.AsSpan(_cellBase + _cellStart[index], _cellLength[index]);
    }

    /// <summary>The text of a cell of the current record.</summary>
    /// <param name="index">The cell, from 0.</param>
    /// <returns>The text, unquoted.</returns>
    public string GetString(int index)
    {
        var span = GetSpan(index);
        return span.IsEmpty ? string.Empty : new string(span);
    }

    /// <summary>The text of a cell without surrounding white space, or <see langword="null"/> when nothing is left.</summary>
    /// <param name="index">The cell, from 0.</param>
    /// <returns>The trimmed text, or <see langword="null"/>.</returns>
    public string? GetTrimmed(int index)
    {
        var span = GetSpan(index).Trim();
        return span.IsEmpty ? null : new string(span);
    }

    /// <summary>The physical line where a cell of the current record starts.</summary>
    /// <param name="index">The cell, from 0.</param>
    /// <returns>The 1-based line.</returns>
    public int GetLine(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _cellLine[index];
    }

    /// <summary>The column where a cell of the current record starts (its opening quote, when quoted).</summary>
    /// <param name="index">The cell, from 0.</param>
    /// <returns>The 1-based character position in its line.</returns>
    public int GetColumn(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _cellColumn[index];
    }

    /// <summary>Reads the next record that is not a blank line into the cells.</summary>
    private bool ReadRecord()
    {
        _count = 0;
        if (!_started)
        {
            _started = true;
            if (_start >= _end && !Fill())
            {
                return false;
            }

            if (_buffer[_start] == '\uFEFF')
            {
                _start++;
            }
        }

        while (true)
        {
            if (_start >= _end && !Fill())
            {
                return false;
            }

            char c = _buffer[_start];
            if (c is not ('\n' or '\r'))
            {
                break;
            }

            _start++;
            if (c == '\r' && (_start < _end || Fill()) && _buffer[_start] == '\n')
            {
                _start++;
            }

            _line++;
        }

        Line = _line;
        int recordLine = _line;
        int lineStart = 0; // where the current physical line starts, relative to _start
        int pos = 0; // the next character to parse, relative to _start
        var data = Data();
        while (true)
        {
            int cellLine = _line, cellColumn = pos - lineStart + 1;
            if (pos >= data.Length)
            {
                if (!Fill(recordLine))
                {
                    AddCell(pos, 0, cellLine, cellColumn);
                    return EndRecord(pos, recordLine);
                }

                data = Data();
            }

            if (data[pos] == '"')
            {
                int write = pos; // the unquoted text is moved down over the opening quote
                int read = pos + 1;
                bool afterCr = false; // the last character of the cell's text so far is a CR (a LF next ends the same line)
                while (true)
                {
                    int found = data[read..].IndexOf('"');
                    int stop = found < 0 ? data.Length : read + found;
                    var text = data[read..stop];
                    int last = text.LastIndexOfAny('\r', '\n');
                    if (last >= 0)
                    {
                        _line += LineBreaks(text, afterCr);
                        lineStart = read + last + 1;
                    }

                    if (!text.IsEmpty)
                    {
                        afterCr = text[^1] == '\r';
                    }

                    if (write != read)
                    {
                        text.CopyTo(data[write..]);
                    }

                    write += text.Length;
                    if (found < 0)
                    {
                        if (!Fill(recordLine))
                        {
                            throw new LeadCsvException(
                                FileName, cellLine, null, $"the quoted cell that starts at column {cellColumn} is never closed: the file ends inside it (a quote inside a quoted cell is written \"\")");
                        }

                        data = Data();
                        read = stop;
                        continue;
                    }

                    int after = stop + 1;
                    if (after >= data.Length && Fill(recordLine))
                    {
                        data = Data();
                    }

                    if (after < data.Length && data[after] == '"')
                    {
                        data[write++] = '"';
                        read = after + 1;
                        afterCr = false;
                        continue;
                    }

                    AddCell(pos, write - pos, cellLine, cellColumn);
                    if (after >= data.Length)
                    {
                        return EndRecord(after, recordLine);
                    }

                    char next = data[after];
                    if (next == ',')
                    {
                        pos = after + 1;
                        break;
                    }

                    if (next is '\r' or '\n')
                    {
                        return EndRecord(after, recordLine);
                    }

                    throw new LeadCsvException(
                        FileName, _line, null, $"text after the closing quote of a cell, at column {after - lineStart + 1}: a quoted cell must end at the quote (a quote inside it is written \"\")");
                }

                continue;
            }

            int scan = pos;
            while (true)
            {
                int found = data[scan..].IndexOfAny(UnquotedStops);
                if (found < 0)
                {
                    scan = data.Length;
                    if (!Fill(recordLine))
                    {
                        AddCell(pos, scan - pos, cellLine, cellColumn);
                        return EndRecord(scan, recordLine);
                    }

                    data = Data();
                    continue;
                }

                scan += found;
                break;
            }

            char stopChar = data[scan];
            if (stopChar == '"')
            {
                throw new LeadCsvException(
                    FileName, _line, null, $"a quote inside an unquoted cell, at column {scan - lineStart + 1}: a cell with quotes must be quoted as a whole, each quote doubled (\"say \"\"hi\"\"\")");
            }

            AddCell(pos, scan - pos, cellLine, cellColumn);
            if (stopChar == ',')
            {
                pos = scan + 1;
                continue;
            }

            return EndRecord(scan, recordLine);
        }
    }

    /// <summary>The characters of the current record read so far.</summary>
    private Span<char> Data() => _buffer.AsSpan(_start, _end - _start);

    /// <summary>
    /// The line breaks in quoted text: LF, CR, and CRLF once, also when its CR ended the text before (<paramref name="afterCr"/>: the
    /// buffer ended between them).
    /// </summary>
    private static int LineBreaks(ReadOnlySpan<char> text, bool afterCr)
    {
        int breaks = text.Count('\n');
        int cr = text.Count('\r');
        if (cr > 0)
        {
            breaks += cr - text.Count("\r\n");
        }

        if (afterCr && text[0] == '\n')
        {
            breaks--;
        }

        return breaks;
    }

    /// <summary>
    /// Ends the current record at a position, the end of the text or a line break (LF, CRLF or CR, consumed): its cells stay where they
    /// are; reading goes on after it.
    /// </summary>
    /// <param name="at">The length of the record, its line ending not counted.</param>
    /// <param name="recordLine">The line where the record starts, for the error.</param>
    private bool EndRecord(int at, int recordLine)
    {
        if (at > _maxRecordLength)
        {
            throw TooLong(recordLine);
        }

        int next = at;
        if (_start + at < _end)
        {
            _line++;
            next++;
            if (_buffer[_start + at] == '\r' && (_start + next < _end || Fill(recordLine)) && _buffer[_start + next] == '\n')
            {
                next++;
            }
        }

        _cellBase = _start;
        _start += next;
        return true;
    }

    private LeadCsvException TooLong(int recordLine) => new(
        FileName, recordLine, null,
        string.Create(CultureInfo.InvariantCulture, $"the record is longer than {_maxRecordLength:N0} characters (is a quote never closed, or is this not a CSV file?)"));

    private void AddCell(int start, int length, int line, int column)
    {
        if (_count == _maxCells)
        {
            throw new LeadCsvException(
                FileName, line, null,
                string.Create(CultureInfo.InvariantCulture, $"the record has more cells than the header ({_header.Length}): cell {_count + 1} starts at column {column}; a cell that contains a comma must be quoted (\"Acme, Inc.\")"));
        }

        if (_count == _cellStart.Length)
        {
            int size = _count * 2;
            Array.Resize(ref _cellStart, size);
            Array.Resize(ref _cellLength, size);
            Array.Resize(ref _cellLine, size);
            Array.Resize(ref _cellColumn, size);
        }

        _cellStart[_count] = start;
        _cellLength[_count] = length;
        _cellLine[_count] = line;
        _cellColumn[_count] = column;
        _count++;
    }

    /// <summary>Reads more text, keeping the characters from <see cref="_start"/> on; outside a record.</summary>
    private bool Fill() => Fill(_line);

    /// <summary>
    /// Reads more text, keeping the characters from <see cref="_start"/> on (moved to the front of the buffer, which grows up to the
    /// record limit and two characters: a record of the limit, then a CRLF, or room to see the end of the text). Positions relative to
    /// <see cref="_start"/> stay valid.
    /// </summary>
    /// <param name="recordLine">The line where the current record starts, for the error.</param>
    /// <returns><see langword="false"/> at the end of the text.</returns>
    private bool Fill(int recordLine)
    {
        if (_eof)
        {
            return false;
        }

        int kept = _end - _start;
        if (_buffer.Length - _end < _buffer.Length / 2 && _start > 0)
        {
            _buffer.AsSpan(_start, kept).CopyTo(_buffer);
            _start = 0;
            _end = kept;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxBufferLength)
            {
                // The buffer is the record from its start: the limit and two characters, of which at most one is its line ending.
                throw TooLong(recordLine);
            }

            var larger = new char[(int)Math.Min((long)_buffer.Length * 2, _maxBufferLength)];
            _buffer.AsSpan(_start, kept).CopyTo(larger);
            _buffer = larger;
            _start = 0;
            _end = kept;
        }

        int read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read <= 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        return true;
    }
}
