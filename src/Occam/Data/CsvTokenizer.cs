using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Occam.Data;

/// <summary>
/// Splits CSV text into records of fields (RFC 4180): comma separator, fields optionally enclosed
/// in double quotes, <c>""</c> inside a quoted field is one quote, quoted fields may span lines,
/// records end with LF, CRLF or CR. Blank lines at the end of the text are ignored; a blank line
/// anywhere else is an error. Fields are exposed as spans (no string per cell), which keeps
/// MNIST-sized files fast.
/// </summary>
/// <remarks>
/// Lenient where it is harmless: spaces before an opening quote and after a closing quote are
/// skipped. A quote inside an unquoted field is kept literally.
/// No method is marked AggressiveOptimization (they were until session 17): the published CLI runs their
/// ReadyToRun code, optimized and compiled ahead (no vector code in them), instead of compiling them at
/// the first call on the command's thread; a process without ReadyToRun code (tests, a library user's JIT)
/// starts them at tier 0 and promotes them after 30 calls (docs/algorithms/startup.md, session 17).
/// </remarks>
internal sealed class CsvTokenizer
{
    private readonly string _text;
    private readonly string _path;
    private int _pos;
    private int _line = 1;

    // Current record: field i is _text[_start[i] .. +_length[i]] or, when _quoted[i], _scratch[...].
    private int[] _start = new int[16];
    private int[] _length = new int[16];
    private bool[] _quoted = new bool[16];
    private char[] _scratch = new char[256];
    private int _scratchLength;

    public CsvTokenizer(string text, string path)
    {
        _text = text;
        _path = path;
        if (_text.Length > 0 && _text[0] == '\uFEFF')
            _pos = 1; // UTF-8 byte-order mark (when the decoder left it in)
    }

    /// <summary>Number of fields in the current record.</summary>
    public int Count { get; private set; }

    /// <summary>1-based line on which the current record starts.</summary>
    public int Line { get; private set; }

    /// <summary>Field <paramref name="i"/> of the current record, unescaped, not trimmed.</summary>
    public ReadOnlySpan<char> this[int i]
    {
        get
        {
            Debug.Assert((uint)i < (uint)Count);
            return _quoted[i] ? _scratch.AsSpan(_start[i], _length[i]) : _text.AsSpan(_start[i], _length[i]);
        }
    }

    /// <summary>
    /// Upper-bound guess of the records left after the current position (one per line break, plus
    /// a last line without one); exact for a file with no quoted line breaks and no blank lines.
    /// </summary>
    public int EstimateRemainingRecords()
    {
        ReadOnlySpan<char> rest = _text.AsSpan(_pos);
        int lines = rest.Count('\n');
        if (lines == 0)
            lines = rest.Count('\r'); // old Mac line ends
        return rest.IsEmpty || rest[^1] is '\n' or '\r' ? lines : lines + 1;
    }

    /// <summary>True when the text holds nothing but white space (and a byte-order mark).</summary>
    public bool IsBlank => RestIsBlank();

    /// <summary>Reads the next record; false at the end of the text (trailing blank lines included).</summary>
    public bool Next()
    {
        if (RestIsBlank())
        {
            _pos = _text.Length;
            return false;
        }
        Line = _line;
        char first = _text[_pos];
        if (first == '\n' || first == '\r')
            throw new OccamException($"{_path} line {_line}: the line is blank; remove blank lines between rows.");

        Count = 0;
        _scratchLength = 0;
        while (true)
        {
            ReadField();
            if (_pos >= _text.Length)
                return true;
            char c = _text[_pos];
            if (c == ',')
            {
                _pos++;
                continue;
            }
            // End of record: CR, LF or CRLF.
            _pos++;
            if (c == '\r' && _pos < _text.Length && _text[_pos] == '\n')
                _pos++;
            _line++;
            return true;
        }
    }

    private bool RestIsBlank()
    {
        for (int i = _pos; i < _text.Length; i++)
        {
            char c = _text[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                return false;
        }
        return true;
    }

    private void ReadField()
    {
        if (Count == _start.Length)
        {
            Array.Resize(ref _start, Count * 2);
            Array.Resize(ref _length, Count * 2);
            Array.Resize(ref _quoted, Count * 2);
        }

        int q = _pos;
        while (q < _text.Length && (_text[q] == ' ' || _text[q] == '\t'))
            q++;
        if (q < _text.Length && _text[q] == '"')
        {
            ReadQuoted(q + 1);
            return;
        }

        // Cells are usually short: a plain loop beats a vectorized search here.
        ReadOnlySpan<char> rest = _text.AsSpan(_pos);
        int end = 0;
        while (end < rest.Length)
        {
            char c = rest[end];
            if (c == ',' || c == '\n' || c == '\r')
                break;
            end++;
        }
        _start[Count] = _pos;
        _length[Count] = end;
        _quoted[Count] = false;
        Count++;
        _pos += end;
    }

    private void ReadQuoted(int contentStart)
    {
        int openLine = _line;
        int begin = _scratchLength;
        int p = contentStart;
        while (true)
        {
            int rel = _text.AsSpan(p).IndexOf('"');
            if (rel < 0)
                throw new OccamException($"{_path} line {openLine}: a quoted field is never closed; add the closing quote (\") or remove the stray one.");
            Append(_text.AsSpan(p, rel));
            p += rel + 1;
            if (p < _text.Length && _text[p] == '"')
            {
                Append("\"");
                p++;
                continue;
            }
            break;
        }
        while (p < _text.Length && (_text[p] == ' ' || _text[p] == '\t'))
            p++;
        if (p < _text.Length && _text[p] != ',' && _text[p] != '\r' && _text[p] != '\n')
            throw new OccamException($"{_path} line {_line}: unexpected text after a closing quote; quote the whole field and write a quote inside it as \"\".");

        _start[Count] = begin;
        _length[Count] = _scratchLength - begin;
        _quoted[Count] = true;
        Count++;
        _pos = p;
    }

    private void Append(ReadOnlySpan<char> chunk)
    {
        if (_scratchLength + chunk.Length > _scratch.Length)
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLength + chunk.Length));
        chunk.CopyTo(_scratch.AsSpan(_scratchLength));
        _scratchLength += chunk.Length;
        // Line breaks inside a quoted field still count as lines of the file.
        foreach (char c in chunk)
        {
            if (c == '\n')
                _line++;
        }
    }
}
