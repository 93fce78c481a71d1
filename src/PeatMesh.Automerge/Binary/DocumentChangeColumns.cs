namespace PeatMesh.Automerge.Binary;

/// <summary>Decodes a document chunk's change columns (Automerge binary format §2.5 "Document change columns").</summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class DocumentChangeColumns
{
    /// <summary>Validates the layout: the deps group holds only its index column.</summary>
    public static void ValidateLayout(RawColumn[] columns)
    {
        foreach (var column in columns)
        {
            var spec = new ColumnSpec(column.Spec.Normalized);
            if (spec.Id == DocumentColumnSpecs.DepsGroup.Id && spec != DocumentColumnSpecs.DepsGroup && spec != DocumentColumnSpecs.DepsIndex)
            {
                throw new AutomergeFormatException("Mismatching column " + spec + " in the deps group.");
            }
        }

        if (ChangeOpColumns.Contains(columns, DocumentColumnSpecs.DepsIndex) && !ChangeOpColumns.Contains(columns, DocumentColumnSpecs.DepsGroup))
        {
            throw new AutomergeFormatException("Deps index column without its group column.");
        }
    }

    /// <summary>Decodes every change row, with the deps of all rows in one array (no array per row).</summary>
    /// <exception cref="AutomergeFormatException">A column is malformed, a required value is null or negative, or columns disagree on the row count.</exception>
    /// <param name="columns">The document's change columns.</param>
    /// <param name="actorCount">The number of actors in the document's actor table.</param>
    /// <param name="maxRows">The most rows any column may hold.</param>
    /// <param name="sizeHint">
    /// The most rows to allocate for before they decode: the actor column is run-length encoded, so a few bytes can claim
    /// millions of rows that malformed input need not back with the other columns; the arrays grow past the hint as rows
    /// really decode.
    /// </param>
    public static DocumentChangeTable Decode(DocumentColumns columns, int actorCount, int maxRows, int sizeHint)
    {
        var actor = new RleDecoder<ulong, UInt64Codec>(columns.Get(DocumentColumnSpecs.Actor), "change actor", maxRows);
        var seq = new DeltaDecoder(columns.Get(DocumentColumnSpecs.Seq), "seq", maxRows);
        var maxOp = new DeltaDecoder(columns.Get(DocumentColumnSpecs.MaxOp), "maxOp", maxRows);
        var time = new DeltaDecoder(columns.Get(DocumentColumnSpecs.Time), "time", maxRows);
        var message = new RleDecoder<string, StringCodec>(columns.Get(DocumentColumnSpecs.Message), "message", maxRows);
        var depsCount = new RleDecoder<ulong, UInt64Codec>(columns.Get(DocumentColumnSpecs.DepsGroup), "deps group", maxRows);
        var deps = new DeltaDecoder(columns.Get(DocumentColumnSpecs.DepsIndex), "deps", maxRows);
        var extraMeta = new RleDecoder<ulong, UInt64Codec>(columns.Get(DocumentColumnSpecs.ExtraMetadata), "extra metadata", maxRows);
        var extraRaw = new ByteReader(columns.Get(DocumentColumnSpecs.ExtraRaw));

        // Counted first (one pass over the RLE actor column, usually a few runs) so that the rows are allocated once at
        // their final size (up to sizeHint): a 260k-change document has 14 MB of rows. A plain array, not a List of our
        // struct (which ReadyToRun cannot precompile: the first load of a process would JIT-compile it).
        var claimed = CountRows(actor);
        var rows = new DocumentChangeRow[Math.Min(claimed, Math.Max(sizeHint, 0))];
        var depStart = new int[rows.Length + 1];
        var depIndex = new int[rows.Length]; // grows when changes average more than one dep
        var depCount = 0;
        var rowCount = 0;
        while (!actor.IsDone)
        {
            if (!actor.TryNext(out var actorIndex))
            {
                throw new AutomergeFormatException("Unexpected null in the change actor column.");
            }

            if (actorIndex >= (ulong)actorCount)
            {
                throw new AutomergeFormatException("Change actor index " + actorIndex + " is not in the document's " + actorCount + " actors.");
            }

            var seqValue = Required(ref seq, "seq");
            var maxOpValue = Required(ref maxOp, "maxOp");
            if (!time.TryNext(out var timeValue))
            {
                throw new AutomergeFormatException("Unexpected null in the time column.");
            }

            var text = message.TryNext(out var m) && m.Length > 0 ? m : null;
            var count = depsCount.TryNext(out var c) ? c : 0;
            if (count > (ulong)maxRows)
            {
                throw new AutomergeFormatException("Deps count " + count + " is too large.");
            }

            for (ulong i = 0; i < count; i++)
            {
                var dep = Required(ref deps, "deps");
                if (dep > int.MaxValue)
                {
                    throw new AutomergeFormatException("Dependency index " + dep + " is out of range.");
                }

                if (depCount == depIndex.Length)
                {
                    Array.Resize(ref depIndex, Math.Max(16, depIndex.Length * 2)); // bounded: the deps column holds ≤ maxRows values
                }

                depIndex[depCount++] = (int)dep;
            }

            byte[] extra = [];
            if (extraMeta.TryNext(out var meta))
            {
                var length = meta >> 4;
                if (length > (ulong)extraRaw.Remaining)
                {
                    throw new AutomergeFormatException("Extra bytes length " + length + " exceeds the extra bytes column.");
                }

                extra = extraRaw.ReadBytes((int)length).ToArray();
            }

            if (rowCount == rows.Length)
            {
                // Past the size hint: these rows did decode, so growing (to at most the claimed count) is bounded by input.
                Array.Resize(ref rows, (int)Math.Min(claimed, (2L * rows.Length) + 16));
                Array.Resize(ref depStart, rows.Length + 1);
            }

            depStart[rowCount + 1] = depCount;
            rows[rowCount++] = new DocumentChangeRow((int)actorIndex, seqValue, maxOpValue, timeValue, text, extra);
        }

        if (!(seq.IsDone && maxOp.IsDone && time.IsDone && message.IsDone && depsCount.IsDone && deps.IsDone && extraMeta.IsDone && extraRaw.IsEnd))
        {
            throw new AutomergeFormatException("Change columns hold more rows than the actor column.");
        }

        if (depCount != depIndex.Length)
        {
            Array.Resize(ref depIndex, depCount);
        }

        return new DocumentChangeTable(rows, depStart, depIndex);
    }

    /// <summary>The number of rows of the actor column (a copy of the decoder is read to the end; nulls count as rows).</summary>
    /// <exception cref="AutomergeFormatException">The column is malformed or holds more than its row bound.</exception>
    private static int CountRows(RleDecoder<ulong, UInt64Codec> actor)
    {
        while (!actor.IsDone)
        {
            actor.TryNext(out _);
        }

        return actor.RowsRead;
    }

    private static ulong Required(ref DeltaDecoder column, string name)
    {
        if (!column.TryNext(out var value))
        {
            throw new AutomergeFormatException("Unexpected null in the " + name + " column.");
        }

        if (value < 0)
        {
            throw new AutomergeFormatException("Negative value " + value + " in the " + name + " column.");
        }

        return (ulong)value;
    }
}
