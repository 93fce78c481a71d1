namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Reads and writes column metadata: <c>uLEB count, (uLEB32 spec, uLEB length) × count</c>
/// (Automerge binary format §2.5 "Column metadata and specifications").
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class ColumnMetadata
{
    /// <summary>
    /// Reads a metadata block and checks it: specifications strictly ascending with the deflate bit masked
    /// (so no duplicates), no deflated column unless <paramref name="allowDeflate"/>, every value column directly
    /// after a value-metadata column with the same id, and total data no longer than what follows the block.
    /// </summary>
    /// <param name="reader">Positioned at the count; left after the metadata (at the column data).</param>
    /// <param name="allowDeflate">Whether deflated columns are allowed (document chunks) or not (change chunks).</param>
    /// <param name="totalLength">Receives the total column data length in bytes.</param>
    /// <param name="valueAfterGroup">Whether a value column may also follow a group column with the same id (bundle
    /// chunks store extra bytes as a group of lengths and a value column).</param>
    /// <exception cref="AutomergeFormatException">Any rule above is broken, or the block is malformed.</exception>
    public static RawColumn[] Read(ref ByteReader reader, bool allowDeflate, out int totalLength, bool valueAfterGroup = false)
    {
        var count = reader.ReadCount(minItemSize: 2);
        var columns = new RawColumn[count];
        long offset = 0;
        for (var i = 0; i < count; i++)
        {
            var spec = new ColumnSpec(reader.ReadUInt32());
            var length = reader.ReadUInt64();
            if (length > int.MaxValue)
            {
                throw new AutomergeFormatException("Column length " + length + " is too large.");
            }

            if (spec.IsDeflated && !allowDeflate)
            {
                throw new AutomergeFormatException("Change chunks must not contain deflated columns (" + spec + ").");
            }

            if (i > 0)
            {
                var previous = columns[i - 1].Spec;
                if (spec.Normalized < previous.Normalized)
                {
                    throw new AutomergeFormatException("Columns were not in normalized order (" + previous + " before " + spec + ").");
                }

                if (spec.Normalized == previous.Normalized)
                {
                    throw new AutomergeFormatException("Duplicate column specification " + spec + ".");
                }
            }

            if (spec.Type == ColumnType.Value
                && (i == 0 || columns[i - 1].Spec.Id != spec.Id
                    || !(columns[i - 1].Spec.Type == ColumnType.ValueMetadata || (valueAfterGroup && columns[i - 1].Spec.Type == ColumnType.Group))))
            {
                throw new AutomergeFormatException("Raw value column " + spec + " without its metadata column.");
            }

            columns[i] = new RawColumn(spec, (int)offset, (int)length);
            offset += (long)length;
            if (offset > reader.Remaining)
            {
                throw new AutomergeFormatException("Column data exceeds the chunk.");
            }
        }

        if (offset > reader.Remaining)
        {
            throw new AutomergeFormatException("Column data exceeds the chunk.");
        }

        totalLength = (int)offset;
        return columns;
    }

    /// <summary>Writes a metadata block for <paramref name="columns"/> (already in specification order).</summary>
    public static void Write(ByteWriter writer, IReadOnlyList<(ColumnSpec Spec, int Length)> columns)
    {
        writer.WriteUInt64((ulong)columns.Count);
        foreach (var (spec, length) in columns)
        {
            writer.WriteUInt64(spec.Raw);
            writer.WriteUInt64((ulong)length);
        }
    }

    /// <summary>The data of the column with specification <paramref name="spec"/> (deflate bit ignored), or empty.</summary>
    public static ReadOnlySpan<byte> Find(RawColumn[] columns, ReadOnlySpan<byte> data, ColumnSpec spec)
    {
        foreach (var column in columns)
        {
            if (column.Spec.Normalized == spec.Normalized)
            {
                return data.Slice(column.Offset, column.Length);
            }
        }

        return [];
    }
}
