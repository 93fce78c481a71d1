namespace PeatMesh.Automerge.Binary;

/// <summary>
/// One column block of a document chunk with deflated columns inflated (Automerge binary format §2.4–2.5;
/// document columns may be raw-DEFLATE compressed, change-chunk columns may not).
/// </summary>
/// <remarks>Immutable after creation; thread-safe for reading.</remarks>
internal sealed class DocumentColumns
{
    // Each column's (inflated) data, by position in Columns: a document has a dozen or two columns, so Get searches
    // (a dictionary keyed by spec would be one more framework generic the first load of a process JIT-compiles).
    private readonly ReadOnlyMemory<byte>[] _data;

    private DocumentColumns(RawColumn[] columns, ReadOnlyMemory<byte>[] data, long length,
        List<DeflatedColumn> deflated)
    {
        Columns = columns;
        _data = data;
        UncompressedLength = length;
        Deflated = deflated;
    }

    /// <summary>The columns as listed in the metadata.</summary>
    public RawColumn[] Columns { get; }

    /// <summary>Total data length after inflating, in bytes.</summary>
    public long UncompressedLength { get; }

    /// <summary>The deflated columns: each one's inflated data and its data as stored (for <see cref="DeflateColumnCache"/>).</summary>
    public List<DeflatedColumn> Deflated { get; }

    /// <summary>Slices (and inflates) each column of <paramref name="block"/>.</summary>
    /// <param name="columns">The metadata.</param>
    /// <param name="block">The column data block.</param>
    /// <param name="inflateBudget">Bytes that inflating may still produce; reduced by what is inflated.</param>
    /// <exception cref="AutomergeFormatException">Invalid DEFLATE data, or inflating beyond the budget.</exception>
    public static DocumentColumns Create(RawColumn[] columns, ReadOnlyMemory<byte> block, ref long inflateBudget)
    {
        var data = new ReadOnlyMemory<byte>[columns.Length];
        long length = 0;
        var deflated = new List<DeflatedColumn>();
        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            var slice = block.Slice(column.Offset, column.Length);
            if (column.Spec.IsDeflated)
            {
                var inflated = Deflate.Inflate(slice, (int)Math.Min(inflateBudget, int.MaxValue - 1));
                inflateBudget -= inflated.Length;
                deflated.Add(new DeflatedColumn(inflated, slice));
                slice = inflated;
            }

            data[i] = slice;
            length += slice.Length;
        }

        return new DocumentColumns(columns, data, length, deflated);
    }

    /// <summary>The (inflated) data of a column, or empty when absent.</summary>
    public ReadOnlySpan<byte> Get(ColumnSpec spec)
    {
        // The last column with the spec wins, as it did when each column overwrote an earlier one in a map.
        for (var i = Columns.Length - 1; i >= 0; i--)
        {
            if (Columns[i].Spec.Normalized == spec.Normalized)
            {
                return _data[i].Span;
            }
        }

        return [];
    }
}
