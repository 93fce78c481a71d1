namespace PeatMesh.Automerge.Binary;

/// <summary>Boolean column decoder (Automerge binary format §2.6). An absent column yields false forever.</summary>
/// <remarks>Mutable <see langword="ref struct"/>; not thread-safe.</remarks>
internal ref struct BooleanDecoder
{
    private readonly string _name;
    private readonly bool _present;
    private readonly int _maxRows;
    private ByteReader _reader;
    private bool _value;
    private ulong _remaining;
    private int _rows;

    /// <summary>Creates a decoder over a column's data (empty = absent column).</summary>
    public BooleanDecoder(ReadOnlySpan<byte> data, string name, int maxRows = ColumnLimits.MaxRows)
    {
        _maxRows = maxRows;
        _reader = new ByteReader(data);
        _present = !data.IsEmpty;
        _name = name;
        _value = true; // the first run is false
    }

    /// <summary>Whether the column has data.</summary>
    public readonly bool IsPresent => _present;

    /// <summary>Whether every encoded row has been read.</summary>
    public readonly bool IsDone => _remaining == 0 && _reader.IsEnd;

    /// <summary>Reads the next row.</summary>
    /// <exception cref="AutomergeFormatException">The column ended early, is malformed, or exceeds the row cap.</exception>
    public bool Next()
    {
        while (_remaining == 0)
        {
            if (_reader.IsEnd)
            {
                if (!_present)
                {
                    return false;
                }

                throw new AutomergeFormatException("Column '" + _name + "' ended before the last row.");
            }

            _remaining = _reader.ReadUInt64();
            if (_remaining > (ulong)_maxRows)
            {
                throw new AutomergeFormatException("Column '" + _name + "' has more than " + _maxRows + " rows.");
            }

            _value = !_value;
        }

        _remaining--;
        if (++_rows > _maxRows)
        {
            throw new AutomergeFormatException("Column '" + _name + "' has more than " + _maxRows + " rows.");
        }

        return _value;
    }

    /// <summary>
    /// Reads the next rows in bulk, exactly as that many <see cref="Next"/> calls would; runs are filled whole.
    /// </summary>
    /// <param name="values">Receives the values; its length is the most rows read.</param>
    /// <param name="error">Receives the error met at the row after the last one returned, or null.</param>
    /// <returns>The rows read: all of <paramref name="values"/> unless <paramref name="error"/> is set.</returns>
    public int Fill(Span<bool> values, out AutomergeFormatException? error)
    {
        error = null;
        var filled = 0;
        try
        {
            while (filled < values.Length)
            {
                if (_remaining == 0)
                {
                    if (_reader.IsEnd)
                    {
                        if (!_present)
                        {
                            values[filled..].Clear();
                            return values.Length;
                        }

                        throw new AutomergeFormatException("Column '" + _name + "' ended before the last row.");
                    }

                    _remaining = _reader.ReadUInt64();
                    if (_remaining > (ulong)_maxRows)
                    {
                        throw new AutomergeFormatException("Column '" + _name + "' has more than " + _maxRows + " rows.");
                    }

                    _value = !_value;
                    continue;
                }

                var room = _maxRows - _rows;
                if (room <= 0)
                {
                    throw new AutomergeFormatException("Column '" + _name + "' has more than " + _maxRows + " rows.");
                }

                var n = (int)Math.Min(Math.Min(_remaining, (ulong)(values.Length - filled)), (ulong)room);
                for (var k = filled; k < filled + n; k++)
                {
                    values[k] = _value; // not Span.Fill: see RleDecoder.Fill
                }

                filled += n;
                _remaining -= (ulong)n;
                _rows += n;
            }
        }
        catch (AutomergeFormatException e)
        {
            error = e;
        }

        return filled;
    }
}
