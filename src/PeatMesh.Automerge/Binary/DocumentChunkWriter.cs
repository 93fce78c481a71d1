using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Writes a set of changes as one document chunk (type 0) the way Automerge 3.x <c>save()</c> does (Automerge binary
/// format §2.4 "Document chunk body", §2.5 columns, §3 "Changes → doc").
/// </summary>
/// <remarks>
/// <para>Body: the authors' actor ids sorted bytewise; the heads sorted; change column metadata; op column metadata;
/// change column data; op column data; the heads index (for each head, the position of its change). Changes keep the
/// given (topological) order, their deps become indices; ops are in document op order with succ lists instead of
/// pred lists and without delete ops (see <see cref="DocumentOpOrder"/>).</para>
/// <para>With deflate on, every column whose encoded data is at least <see cref="DeflateThreshold"/> bytes is stored
/// raw-DEFLATE compressed (spec bit 8), as 3.x does. DEFLATE output is not canonical; the column contents are, so two
/// writers agree byte for byte on undeflated documents and on the inflated columns of deflated ones.</para>
/// <para>Stateless; thread-safe.</para>
/// </remarks>
public static class DocumentChunkWriter
{
    /// <summary>Columns with at least this many bytes of data are deflated (256, Automerge's <c>DEFLATE_MIN_SIZE</c>).</summary>
    public const int DeflateThreshold = 256;

    /// <summary>Writes <paramref name="changes"/> as a document chunk.</summary>
    /// <param name="changes">
    /// A causally complete history in topological order (every dependency before its dependents, every op a
    /// predecessor or object names among these changes), e.g. <see cref="AutomergeDocument.GetAllChanges"/>.
    /// </param>
    /// <param name="deflate">Whether to deflate columns of <see cref="DeflateThreshold"/> bytes or more (JS <c>save</c>),
    /// or never (JS <c>saveNoCompress</c>). Defaults to true.</param>
    /// <returns>The chunk bytes (header included). No changes give the 14-byte empty document.</returns>
    /// <exception cref="ArgumentException">
    /// The changes do not form such a history (a duplicate change, a dependency missing or later in the list, or ops
    /// that a document cannot represent: see <see cref="DocumentOpOrder"/>).
    /// </exception>
    public static byte[] Write(IReadOnlyList<Change> changes, bool deflate = true) => Write(changes, deflate, null);

    /// <summary>Histories of at least this many changes encode their change columns beside the op columns.</summary>
    internal const int ParallelChangeColumns = 4096;

    /// <summary>Writes a document chunk, reusing the remembered compressed bytes of unchanged deflated columns.</summary>
    /// <param name="changes">See <see cref="Write(IReadOnlyList{Change}, bool)"/>.</param>
    /// <param name="deflate">See <see cref="Write(IReadOnlyList{Change}, bool)"/>.</param>
    /// <param name="cache">Compressed columns to reuse, or null.</param>
    /// <param name="depsOf">
    /// When the caller already knows them (the change graph), the positions of each change's dependencies in sorted-deps
    /// order, all earlier than the change; null to resolve (and check) them here.
    /// </param>
    /// <exception cref="ArgumentException">See <see cref="Write(IReadOnlyList{Change}, bool)"/>.</exception>
    internal static byte[] Write(IReadOnlyList<Change> changes, bool deflate, DeflateColumnCache? cache, ChangeDepsLookup? depsOf = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        depsOf ??= ResolveDeps(changes);
        var authors = new HashSet<ActorId>();
        var lastAuthor = default(ActorId);
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i] ?? throw new ArgumentException("Change " + i + " is null.", nameof(changes));
            if (i == 0 || !change.Actor.Equals(lastAuthor))
            {
                lastAuthor = change.Actor;
                authors.Add(lastAuthor);
            }
        }

        var actors = authors.ToArray();
        Array.Sort(actors);
        var actorIndex = new Dictionary<ActorId, int>(actors.Length);
        for (var i = 0; i < actors.Length; i++)
        {
            actorIndex.Add(actors[i], i);
        }

        List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)>? changeColumns = null, opColumns = null;
        void EncodeChanges() => changeColumns = DocumentChangeColumnWriter.Encode(changes, actorIndex, depsOf);
        void EncodeOps() => opColumns = DocumentOpColumnWriter.Encode(DocumentOpOrder.Build(changes, actorIndex));
        if (changes.Count >= ParallelChangeColumns && Environment.ProcessorCount > 1)
        {
            // The change columns (one row per change) do not depend on the op order: for a history of many changes
            // they are encoded on a second thread. Parallel.Invoke runs one action here and the other here too if no
            // pool thread has taken it.
            try
            {
                Parallel.Invoke(EncodeChanges, EncodeOps);
            }
            catch (AggregateException e)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(
                    e.InnerExceptions.OfType<ArgumentException>().FirstOrDefault() ?? e.InnerExceptions[0]).Throw();
            }
        }
        else
        {
            EncodeChanges();
            EncodeOps();
        }

        var heads = Heads(changes, depsOf);

        var storedChanges = Store(changeColumns!, deflate, cache);
        var storedOps = Store(opColumns!, deflate, cache);
        var dataLength = storedChanges.Sum(c => (long)c.Data.Length) + storedOps.Sum(c => (long)c.Data.Length);
        var writer = new ByteWriter((int)Math.Min(Array.MaxLength, 64 + dataLength + (actors.Length * 17L) + (heads.Count * 40L)));
        writer.WriteUInt64((ulong)actors.Length);
        foreach (var actor in actors)
        {
            writer.WriteLengthPrefixed(actor.Span);
        }

        writer.WriteUInt64((ulong)heads.Count);
        foreach (var (hash, _) in heads)
        {
            writer.WriteChangeHash(hash);
        }

        ColumnMetadata.Write(writer, storedChanges.ConvertAll(c => (c.Spec, c.Data.Length)));
        ColumnMetadata.Write(writer, storedOps.ConvertAll(c => (c.Spec, c.Data.Length)));
        foreach (var (_, data) in storedChanges)
        {
            writer.Write(data.Span);
        }

        foreach (var (_, data) in storedOps)
        {
            writer.Write(data.Span);
        }

        foreach (var (_, index) in heads)
        {
            writer.WriteUInt64((ulong)index);
        }

        return ChunkContainer.Write(ChunkType.Document, writer.WrittenSpan, out _);
    }

    /// <summary>Maps every change's deps to positions, checking that each dependency is an earlier change.</summary>
    /// <exception cref="ArgumentException">A change appears twice, or a dependency is missing or later in the list.</exception>
    private static ChangeDepsLookup ResolveDeps(IReadOnlyList<Change> changes)
    {
        var indexOf = new Dictionary<ChangeHash, int>(changes.Count);
        var deps = new int[changes.Count][];
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i] ?? throw new ArgumentException("Change " + i + " is null.", nameof(changes));
            var positions = new int[change.Deps.Count];
            for (var d = 0; d < positions.Length; d++)
            {
                if (!indexOf.TryGetValue(change.Deps[d], out positions[d]))
                {
                    throw new ArgumentException(
                        "Change " + i + " depends on " + change.Deps[d] + ", which is not an earlier change in the list.", nameof(changes));
                }
            }

            if (!indexOf.TryAdd(change.Hash, i))
            {
                throw new ArgumentException("Change " + change.Hash + " appears twice.", nameof(changes));
            }

            deps[i] = positions;
        }

        return i => deps[i];
    }

    /// <summary>The changes no other change in the list depends on, sorted by hash, with their positions.</summary>
    private static List<(ChangeHash Hash, int Index)> Heads(IReadOnlyList<Change> changes, ChangeDepsLookup depsOf)
    {
        var dependedOn = new bool[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            foreach (var dep in depsOf(i))
            {
                dependedOn[dep] = true;
            }
        }

        var heads = new List<(ChangeHash Hash, int Index)>();
        for (var i = 0; i < changes.Count; i++)
        {
            if (!dependedOn[i])
            {
                heads.Add((changes[i].Hash, i));
            }
        }

        heads.Sort((a, b) => a.Hash.CompareTo(b.Hash));
        return heads;
    }

    /// <summary>The columns as stored: deflated (spec bit 8) when large enough and <paramref name="deflate"/> is on.</summary>
    private static List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)> Store(
        List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)> columns, bool deflate, DeflateColumnCache? cache)
    {
        if (!deflate)
        {
            return columns;
        }

        var stored = new List<(ColumnSpec, ReadOnlyMemory<byte>)>(columns.Count);
        foreach (var (spec, data) in columns)
        {
            if (data.Length < DeflateThreshold)
            {
                stored.Add((spec, data));
                continue;
            }

            if (cache is null || !cache.TryGet(data.Span, out var compressed))
            {
                compressed = Deflate.Compress(data.Span);
            }

            stored.Add((ColumnSpec.Create(spec.Id, spec.Type, deflate: true), compressed));
        }

        return stored;
    }
}
