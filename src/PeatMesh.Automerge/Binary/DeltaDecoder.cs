namespace PeatMesh.Automerge.Binary;

/// <summary>Delta column decoder (Automerge binary format §2.6): running sum of RLE sLEB deltas.</summary>
/// <remarks>Mutable <see langword="ref struct"/>; not thread-safe.</remarks>
internal ref struct DeltaDecoder
{
    private RleDecoder<long, Int64Codec> _rle;
    private long _absolute;

    /// <summary>Creates a decoder over a column's data (empty = absent column, nulls forever).</summary>
    public DeltaDecoder(ReadOnlySpan<byte> data, string name, int maxRows = ColumnLimits.MaxRows)
    {
        _rle = new RleDecoder<long, Int64Codec>(data, name, maxRows);
    }

    /// <summary>Whether the column has data.</summary>
    public readonly bool IsPresent => _rle.IsPresent;

    /// <summary>Whether every encoded row has been read.</summary>
    public readonly bool IsDone => _rle.IsDone;

    /// <summary>Reads the next row; <see langword="false"/> for a null.</summary>
    /// <exception cref="AutomergeFormatException">Malformed, ended early, or the running value overflows 64 bits.</exception>
    public bool TryNext(out long value)
    {
        if (!_rle.TryNext(out var delta))
        {
            value = 0;
            return false;
        }

        try
        {
            _absolute = checked(_absolute + delta);
        }
        catch (OverflowException e)
        {
            throw new AutomergeFormatException("Delta column value overflows 64 bits.", e);
        }

        value = _absolute;
        return true;
    }

    /// <summary>
    /// Reads the next rows in bulk (nulls read as 0 with <paramref name="present"/> false), exactly as that many
    /// <see cref="TryNext"/> calls would; see <see cref="RleDecoder{T, TCodec}.Fill"/>.
    /// </summary>
    /// <param name="values">Receives the absolute values; its length is the most rows read.</param>
    /// <param name="present">Receives whether each row is non-null.</param>
    /// <param name="error">Receives the error met at the row after the last one returned, or null.</param>
    /// <returns>The rows read: all of <paramref name="values"/> unless <paramref name="error"/> is set.</returns>
    public int Fill(Span<long> values, Span<bool> present, out AutomergeFormatException? error)
    {
        var n = _rle.Fill(values, present, stopAtEnd: false, out error);
        var absolute = _absolute;
        for (var i = 0; i < n; i++)
        {
            if (!present[i])
            {
                continue;
            }

            var delta = values[i];
            var sum = unchecked(absolute + delta);
            if (((absolute ^ sum) & (delta ^ sum)) < 0)
            {
                _absolute = absolute;
                error = new AutomergeFormatException("Delta column value overflows 64 bits.", new OverflowException());
                return i;
            }

            absolute = sum;
            values[i] = sum;
        }

        _absolute = absolute;
        return n;
    }
}
