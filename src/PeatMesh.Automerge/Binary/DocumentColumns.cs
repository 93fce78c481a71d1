namespace PeatMesh.Automerge.Binary;

/// <summary>
/// One column block of a document chunk with deflated columns inflated (Automerge binary format §2.4–2.5;
/// document columns may be raw-DEFLATE compressed, change-chunk columns may not).
/// </summary>
/// <remarks>Immutable after creation; thread-safe for reading.</remarks>
internal sealed class DocumentColumns
{
    private readonly Dictionary<uint, ReadOnlyMemory<byte>> _data;

    private DocumentColumns(RawColumn[] columns, Dictionary<uint, ReadOnlyMemory<byte>> data, long length,
        List<(ReadOnlyMemory<byte> Inflated, ReadOnlyMemory<byte> Compressed)> deflated)
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
    public List<(ReadOnlyMemory<byte> Inflated, ReadOnlyMemory<byte> Compressed)> Deflated { get; }

    /// <summary>Slices (and inflates) each column of <paramref name="block"/>.</summary>
    /// <param name="columns">The metadata.</param>
    /// <param name="block">The column data block.</param>
    /// <param name="inflateBudget">Bytes that inflating may still produce; reduced by what is inflated.</param>
    /// <exception cref="AutomergeFormatException">Invalid DEFLATE data, or inflating beyond the budget.</exception>
    public static DocumentColumns Create(RawColumn[] columns, ReadOnlyMemory<byte> block, ref long inflateBudget)
    {
        var data = new Dictionary<uint, ReadOnlyMemory<byte>>(columns.Length);
        long length = 0;
        var deflated = new List<(ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)>();
        foreach (var column in columns)
        {
            var slice = block.Slice(column.Offset, column.Length);
            if (column.Spec.IsDeflated)
            {
                var inflated = Deflate.Inflate(slice, (int)Math.Min(inflateBudget, int.MaxValue - 1));
                inflateBudget -= inflated.Length;
                deflated.Add((inflated, slice));
                slice = inflated;
            }

            data[column.Spec.Normalized] = slice;
            length += slice.Length;
        }

        return new DocumentColumns(columns, data, length, deflated);
    }

    /// <summary>The (inflated) data of a column, or empty when absent.</summary>
    public ReadOnlySpan<byte> Get(ColumnSpec spec) => _data.TryGetValue(spec.Normalized, out var data) ? data.Span : [];
}
