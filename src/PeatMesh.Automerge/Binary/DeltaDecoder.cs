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
}
