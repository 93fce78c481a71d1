using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Reads document chunks (type 0) into the changes they contain (Automerge binary format §2.4 "Document chunk
/// body" and §3 "Doc → changes"), verifying that the rebuilt changes' heads equal the stored heads.
/// </summary>
/// <remarks>
/// <para>Body: actors (sorted), heads (sorted), change column metadata, op column metadata, change column data,
/// op column data, then an optional heads index (one uLEB per head). Columns may be raw-DEFLATE compressed
/// (inflating is bounded by <see cref="MaxInflatedLength"/> per chunk). Unknown columns are ignored, as 3.x does.</para>
/// <para>Rebuilding: pred lists are inverted from succ lists, deletes are synthesized from succ ids that are not op
/// rows, ops are assigned to changes by actor and counter range, startOp = maxOp − ops + 1, dependency indices
/// become hashes, and every change is re-encoded canonically to get its hash. Any mismatch is an
/// <see cref="AutomergeFormatException"/> ("mismatching heads" and the like).</para>
/// <para>Stateless; thread-safe.</para>
/// </remarks>
public static class DocumentChunk
{
    /// <summary>The most bytes that inflating one document chunk's columns may produce (256 MiB).</summary>
    public const int MaxInflatedLength = 256 * 1024 * 1024;

    /// <summary>Reads and verifies the document chunk at the start of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes beginning with a document chunk.</param>
    /// <param name="bytesConsumed">Receives the chunk's stored length.</param>
    /// <exception cref="AutomergeFormatException">Not a valid document chunk, or its changes do not reproduce its heads.</exception>
    public static DocumentChunkContents Decode(ReadOnlyMemory<byte> data, out int bytesConsumed) =>
        Decode(ChunkContainer.Read(data, out bytesConsumed));

    /// <summary>Decodes a document chunk already read by <see cref="ChunkContainer"/>.</summary>
    /// <exception cref="AutomergeFormatException">Not a document chunk, malformed, or its changes do not reproduce its heads.</exception>
    public static DocumentChunkContents Decode(Chunk chunk) => Decode(chunk, null);

    /// <summary>
    /// Rows allocated ahead of decoding per inflated column byte, at most (plus 1,024): see <c>Decode</c>. The paper
    /// trace's per-edit document holds ~0.9 op rows (and as many change rows) per inflated byte.
    /// </summary>
    internal const long SizingRowsPerByte = 8;

    /// <summary>Documents with at least this many ops (stored and synthesized) run <c>alongsideVerification</c> in parallel.</summary>
    internal const int ParallelVerificationOps = 16 * 1024;

    /// <summary>
    /// Decodes a document chunk; <paramref name="alongsideVerification"/> (when given) reads its ops. For documents of at
    /// least <see cref="ParallelVerificationOps"/> ops (on a machine with more than one processor) it runs on a pool
    /// thread from the start, following the rows as they are decoded (<see cref="DocumentOps.AwaitRows"/>) and then
    /// while the changes are rebuilt and re-hashed to check the heads (<see cref="OpsAlongside"/>); for smaller ones it
    /// runs after the check. It must only read the ops; its result must be discarded when this method throws.
    /// </summary>
    /// <exception cref="AutomergeFormatException">Not a document chunk, malformed, or its changes do not reproduce its heads.</exception>
    internal static DocumentChunkContents Decode(Chunk chunk, Action<DocumentOps>? alongsideVerification)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Type != ChunkType.Document)
        {
            throw new AutomergeFormatException("Expected a document chunk, found a " + chunk.Type + " chunk.");
        }

        var body = chunk.Body;
        var reader = new ByteReader(body.Span);
        var actorCount = reader.ReadCount(minItemSize: 2);
        var actors = new ActorId[actorCount];
        for (var i = 0; i < actorCount; i++)
        {
            var bytes = reader.ReadLengthPrefixedBytes();
            if (bytes.IsEmpty || bytes.Length > ActorId.MaxLength)
            {
                throw new AutomergeFormatException("Actor ids must be 1.." + ActorId.MaxLength + " bytes, found " + bytes.Length + ".");
            }

            actors[i] = ActorId.FromBytes(bytes);
        }

        var heads = reader.ReadChangeHashes();
        var changeMeta = ColumnMetadata.Read(ref reader, allowDeflate: true, out var changeLength);
        var opMeta = ColumnMetadata.Read(ref reader, allowDeflate: true, out var opLength);
        if ((long)changeLength + opLength > reader.Remaining)
        {
            throw new AutomergeFormatException("Document column data exceeds the chunk.");
        }

        var changeData = body.Slice(reader.Position, changeLength);
        reader.ReadBytes(changeLength);
        var opData = body.Slice(reader.Position, opLength);
        reader.ReadBytes(opLength);

        ulong[]? headsIndex = null;
        if (!reader.IsEnd)
        {
            headsIndex = new ulong[heads.Length];
            for (var i = 0; i < headsIndex.Length; i++)
            {
                headsIndex[i] = reader.ReadUInt64();
            }

            if (!reader.IsEnd)
            {
                throw new AutomergeFormatException("Trailing bytes after the document's heads index.");
            }
        }

        DocumentChangeColumns.ValidateLayout(changeMeta);
        DocumentOpReader.ValidateLayout(opMeta);
        var table = new DocumentActors(actors);
        long budget = MaxInflatedLength;
        var changeColumns = DocumentColumns.Create(changeMeta, changeData, ref budget);
        var opColumns = DocumentColumns.Create(opMeta, opData, ref budget);

        // Rows are run-length encoded, so a few bytes can claim millions of rows. Real documents hold fewer than one
        // op per inflated column byte; allow 16 per byte (at least ColumnLimits.MaxRows, at most 2^26) per column.
        var inflated = changeColumns.UncompressedLength + opColumns.UncompressedLength;
        var maxRows = (int)Math.Clamp(16 * inflated, ColumnLimits.MaxRows, 1L << 26);
        // Row counts come from run-length encoded columns: malformed input can claim millions of rows in a few bytes
        // without the other columns to back them. Arrays are sized for at most SizingRowsPerByte rows per inflated byte
        // (real documents hold fewer than one) and grow only as rows really decode.
        var sizeHint = (int)Math.Min(int.MaxValue, (SizingRowsPerByte * inflated) + 1024);
        var changeTable = DocumentChangeColumns.Decode(changeColumns, actors.Length, maxRows, sizeHint);
        var builder = new DocumentChangeBuilder(table, changeTable);
        var (storedRows, succEntries) = DocumentOpReader.Count(opColumns, maxRows);
        var expectedRows = (int)Math.Min((long)storedRows + succEntries, sizeHint);
        var ops = new DocumentOps(table, expectedRows, Math.Min(succEntries, expectedRows));
        var alongside = OpsAlongside.Start(ops, alongsideVerification, expectedRows, ParallelVerificationOps);
        try
        {
            DocumentOpReader.Read(opColumns, ops, builder, maxRows);
            ops.CompleteReading();
        }
        catch
        {
            ops.AbandonReading();
            alongside?.JoinQuietly();
            throw;
        }

        LoadedChanges changes;
        HashSet<ChangeHash> derivedHeads;
        int[] depStart, depIndex;
        if (alongside is not null)
        {
            // Plain locals, not a nullable tuple: Nullable<ValueTuple<...>> would be JIT-compiled on a process's first load.
            LoadedChanges? c = null;
            HashSet<ChangeHash>? h = null;
            int[]? s = null, i = null;
            alongside.JoinAfter(() => (c, h, s, i) = builder.Finish(ops));
            (changes, derivedHeads, depStart, depIndex) = (c!, h!, s!, i!);
        }
        else
        {
            (changes, derivedHeads, depStart, depIndex) = FinishThen(builder, ops, alongsideVerification);
        }

        if (derivedHeads.Count != heads.Length || !ContainsAll(derivedHeads, heads))
        {
            throw new AutomergeFormatException(
                "Mismatching heads: the document stores " + heads.Length + " heads, its changes give " + derivedHeads.Count + " different ones.");
        }

        var deflated = new List<DeflatedColumn>(changeColumns.Deflated.Count + opColumns.Deflated.Count);
        deflated.AddRange(changeColumns.Deflated);
        deflated.AddRange(opColumns.Deflated);
        return new DocumentChunkContents(actors, heads, headsIndex, changes, deflated)
        {
            Ops = ops,
            DepStart = depStart,
            DepIndex = depIndex,
        };
    }

    private static bool ContainsAll(HashSet<ChangeHash> set, ChangeHash[] items)
    {
        foreach (var item in items)
        {
            if (!set.Contains(item))
            {
                return false;
            }
        }

        return true;
    }

    private static (LoadedChanges Changes, HashSet<ChangeHash> Heads, int[] DepStart, int[] DepIndex) FinishThen(
        DocumentChangeBuilder builder, DocumentOps ops, Action<DocumentOps>? after)
    {
        var finished = builder.Finish(ops);
        after?.Invoke(ops);
        return finished;
    }

    /// <summary>
    /// Decodes every chunk of a saved file or sync payload into changes: document chunks and bundles are expanded into
    /// their changes, change chunks (plain or compressed) decoded, in stored order.
    /// </summary>
    /// <exception cref="AutomergeFormatException">Any chunk is malformed.</exception>
    public static IReadOnlyList<Change> ReadAllChanges(ReadOnlyMemory<byte> data) => ReadAllChanges(data, null);

    /// <summary>
    /// Like <see cref="ReadAllChanges(ReadOnlyMemory{byte})"/>; when the input held deflated columns in (verified)
    /// document chunks, they replace the previously loaded entries of <paramref name="cache"/>.
    /// </summary>
    /// <exception cref="AutomergeFormatException">Any chunk is malformed.</exception>
    internal static IReadOnlyList<Change> ReadAllChanges(ReadOnlyMemory<byte> data, DeflateColumnCache? cache) =>
        ReadAllChanges(data, cache, out _);

    /// <summary>
    /// Like <see cref="ReadAllChanges(ReadOnlyMemory{byte}, DeflateColumnCache?)"/>; when the first chunk is a document
    /// chunk, <paramref name="leadingDocument"/> receives its contents (whose changes start the returned list).
    /// </summary>
    /// <exception cref="AutomergeFormatException">Any chunk is malformed.</exception>
    internal static IReadOnlyList<Change> ReadAllChanges(ReadOnlyMemory<byte> data, DeflateColumnCache? cache, out DocumentChunkContents? leadingDocument) =>
        ReadAllChanges(data, cache, out leadingDocument, null);

    /// <summary>
    /// Like <see cref="ReadAllChanges(ReadOnlyMemory{byte}, DeflateColumnCache?, out DocumentChunkContents?)"/>; when
    /// the first chunk is a document chunk, <paramref name="alongsideLeading"/> reads its ops while its heads are checked
    /// (see <see cref="Decode(Chunk, Action{DocumentOps}?)"/>).
    /// </summary>
    /// <exception cref="AutomergeFormatException">Any chunk is malformed.</exception>
    internal static IReadOnlyList<Change> ReadAllChanges(ReadOnlyMemory<byte> data, DeflateColumnCache? cache,
        out DocumentChunkContents? leadingDocument, Action<DocumentOps>? alongsideLeading)
    {
        leadingDocument = null;
        var changes = new List<Change>(); // after the leading document's changes, which stay uncreated until read
        var deflated = new List<DeflatedColumn>();
        foreach (var chunk in ChunkContainer.ReadAll(data))
        {
            switch (chunk.Type)
            {
                case ChunkType.Document:
                    var leads = changes.Count == 0 && leadingDocument is null;
                    var contents = Decode(chunk, leads ? alongsideLeading : null);
                    if (leads)
                    {
                        leadingDocument = contents;
                    }
                    else
                    {
                        changes.AddRange(contents.Changes);
                    }

                    deflated.AddRange(contents.DeflatedColumns);
                    break;
                case ChunkType.Change or ChunkType.CompressedChange:
                    changes.Add(ChangeChunk.Decode(chunk));
                    break;
                default:
                    changes.AddRange(BundleChunk.Decode(chunk));
                    break;
            }
        }

        if (cache is not null && deflated.Count > 0)
        {
            cache.ReplaceLoaded(deflated);
        }

        if (leadingDocument is null)
        {
            return changes;
        }

        return changes.Count == 0 ? leadingDocument.Changes : new LeadingThenRest(leadingDocument.Changes, changes);
    }

    /// <summary>A leading document's changes followed by further changes, as one list (nothing is copied or created).</summary>
    private sealed class LeadingThenRest(IReadOnlyList<Change> leading, List<Change> rest) : IReadOnlyList<Change>
    {
        public int Count => leading.Count + rest.Count;

        public Change this[int index] => index < leading.Count ? leading[index] : rest[index - leading.Count];

        public IEnumerator<Change> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
