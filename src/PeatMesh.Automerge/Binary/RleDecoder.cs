using System.Diagnostics.CodeAnalysis;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Decodes a run-length encoded column (Automerge binary format §2.6) one row at a time.
/// An absent (empty) column yields nulls forever; a present column that runs out throws.
/// </summary>
/// <remarks>Mutable <see langword="ref struct"/>; not thread-safe. Rows are capped (by default at <see cref="ColumnLimits.MaxRows"/>).</remarks>
internal ref struct RleDecoder<T, TCodec>
    where TCodec : IColumnValueCodec<T>
{
    private readonly string _name;
    private readonly bool _present;
    private readonly int _maxRows;
    private ByteReader _reader;
    private long _remaining;
    private Record _record;
    private T _runValue;
    private int _rows;

    /// <summary>Creates a decoder over a column's data (empty = absent column).</summary>
    /// <param name="data">The column data.</param>
    /// <param name="name">The column name for error messages.</param>
    /// <param name="maxRows">The most rows the column may yield; defaults to <see cref="ColumnLimits.MaxRows"/>.</param>
    public RleDecoder(ReadOnlySpan<byte> data, string name, int maxRows = ColumnLimits.MaxRows)
    {
        _reader = new ByteReader(data);
        _present = !data.IsEmpty;
        _name = name;
        _maxRows = maxRows;
        _runValue = default!;
    }

    private enum Record
    {
        Run,
        Literal,
        Nulls,
    }

    /// <summary>Whether the column has data.</summary>
    public readonly bool IsPresent => _present;

    /// <summary>Whether every encoded row has been read.</summary>
    public readonly bool IsDone => _remaining == 0 && _reader.IsEnd;

    /// <summary>Rows read so far.</summary>
    public readonly int RowsRead => _rows;

    /// <summary>Reads the next row.</summary>
    /// <param name="value">Receives the value of a non-null row.</param>
    /// <returns><see langword="true"/> for a value, <see langword="false"/> for a null.</returns>
    /// <exception cref="AutomergeFormatException">The column ended early, is malformed, or exceeds the row cap.</exception>
    public bool TryNext([MaybeNullWhen(false)] out T value)
    {
        while (_remaining == 0)
        {
            if (_reader.IsEnd)
            {
                if (!_present)
                {
                    value = default;
                    return false;
                }

                throw new AutomergeFormatException("Column '" + _name + "' ended before the last row.");
            }

            ReadRecord();
        }

        _remaining--;
        if (++_rows > _maxRows)
        {
            CheckRunLength(ulong.MaxValue);
        }

        switch (_record)
        {
            case Record.Run:
                value = _runValue;
                return true;
            case Record.Literal:
                value = ReadValue(ref _reader);
                return true;
            default:
                value = default;
                return false;
        }
    }

    /// <summary>
    /// Reads the next rows in bulk into <paramref name="values"/> and <paramref name="present"/> (false = null, whose
    /// value is left default), exactly as that many <see cref="TryNext"/> calls would; runs are filled whole.
    /// </summary>
    /// <param name="values">Receives the values; its length is the most rows read.</param>
    /// <param name="present">Receives whether each row is non-null; at least as long as <paramref name="values"/>.</param>
    /// <param name="stopAtEnd">Stop (without error) where the column's data ends, instead of yielding nulls for an
    /// absent column or failing for a present one.</param>
    /// <param name="error">Receives the error met at the row after the last one returned, or null.</param>
    /// <returns>The rows read: all of <paramref name="values"/>, unless <paramref name="error"/> is set or the data ended with <paramref name="stopAtEnd"/>.</returns>
    public int Fill(Span<T> values, Span<bool> present, bool stopAtEnd, out AutomergeFormatException? error)
    {
        error = null;
        var filled = 0;
        var midRow = false; // a record was read for the next row (an empty null run leaves it unfinished)
        try
        {
            while (filled < values.Length)
            {
                if (_remaining == 0)
                {
                    if (_reader.IsEnd)
                    {
                        if (stopAtEnd && !midRow)
                        {
                            break;
                        }

                        if (!_present)
                        {
                            values[filled..].Clear();
                            present[filled..values.Length].Clear();
                            return values.Length;
                        }

                        throw new AutomergeFormatException("Column '" + _name + "' ended before the last row.");
                    }

                    ReadRecord();
                    midRow = true;
                    continue;
                }

                midRow = false;
                var n = (int)Math.Min(_remaining, values.Length - filled);
                var room = _maxRows - _rows;
                if (room <= 0)
                {
                    CheckRunLength(ulong.MaxValue);
                }

                n = Math.Min(n, room);
                switch (_record)
                {
                    case Record.Run:
                        // Plain loops: Span.Fill is a framework generic that ReadyToRun cannot precompile for T.
                        for (var k = filled; k < filled + n; k++)
                        {
                            values[k] = _runValue;
                            present[k] = true;
                        }

                        break;
                    case Record.Literal:
                        for (var k = 0; k < n; k++)
                        {
                            values[filled] = ReadValue(ref _reader);
                            present[filled++] = true;
                            _remaining--;
                            _rows++;
                        }

                        continue;
                    default:
                        values.Slice(filled, n).Clear();
                        present.Slice(filled, n).Clear();
                        break;
                }

                filled += n;
                _remaining -= n;
                _rows += n;
            }
        }
        catch (AutomergeFormatException e)
        {
            error = e;
        }

        return filled;
    }

    private void ReadRecord()
    {
        var header = _reader.ReadInt64();
        if (header > 0)
        {
            CheckRunLength((ulong)header);
            _record = Record.Run;
            _remaining = header;
            _runValue = ReadValue(ref _reader);
        }
        else if (header < 0)
        {
            if (header < -_maxRows)
            {
                CheckRunLength(ulong.MaxValue);
            }

            _record = Record.Literal;
            _remaining = -header;
        }
        else
        {
            var nulls = _reader.ReadUInt64();
            CheckRunLength(nulls);
            _record = Record.Nulls;
            _remaining = (long)nulls;
        }
    }

    private readonly void CheckRunLength(ulong length)
    {
        if (length > (ulong)_maxRows)
        {
            throw new AutomergeFormatException("Column '" + _name + "' has more than " + _maxRows + " rows.");
        }
    }

    // The codec's Read. For string columns the call is direct: a constrained static-abstract call in shared generic code
    // (T a reference type) needs a runtime lookup crossgen2 cannot embed, which left Fill, TryNext and ReadRecord of
    // string columns to the JIT on a process's first use instead of precompiled (ReadyToRun). typeof(TCodec) is exact
    // (a struct), so the test folds away in every instantiation.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static T ReadValue(ref ByteReader reader) =>
        typeof(TCodec) == typeof(StringCodec) ? (T)(object)StringCodec.Read(ref reader) : TCodec.Read(ref reader);
}
