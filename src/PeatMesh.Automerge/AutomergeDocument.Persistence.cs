using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge;

public sealed partial class AutomergeDocument
{
    /// <summary>
    /// Serialises the whole document as Automerge 3.x <c>save()</c> does: one document chunk (columns of 256 bytes or
    /// more raw-DEFLATEd), followed by the queued changes still waiting for dependencies ("orphans") as change chunks
    /// (3.x <c>retain_orphans</c>). Marks everything as saved for <see cref="SaveIncremental"/>.
    /// </summary>
    /// <remarks>
    /// Deterministic. A deflated column whose contents equal a column of a document chunk this document loaded (or
    /// received by sync) is written with the compressed bytes it was read with, so saving an unchanged document
    /// reproduces the loaded bytes exactly; other columns are compressed with .NET's DEFLATE (spec <c>automerge.md</c>
    /// §0, §2.4, §3; ADR "Reusing deflated columns").
    /// </remarks>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    public byte[] Save()
    {
        EnsureNoTransaction();
        var document = DocumentChunkWriter.Write(_graph.Changes, deflate: true, _deflateCache, _graph.DepsOf);
        _deflateCache.RetainUsed();
        var bytes = AppendOrphans(document);
        _savedCount = _graph.Count;
        return bytes;
    }

    /// <summary>
    /// Like <see cref="Save"/> but never deflates a column (JS <c>saveNoCompress</c>): larger, and byte-identical to
    /// what Automerge writes for the same history. Marks everything as saved for <see cref="SaveIncremental"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    public byte[] SaveNoCompress()
    {
        EnsureNoTransaction();
        var bytes = AppendOrphans(DocumentChunkWriter.Write(_graph.Changes, deflate: false, null, _graph.DepsOf));
        _savedCount = _graph.Count;
        return bytes;
    }

    /// <summary>
    /// The change chunks applied since the last <see cref="Save"/> or <see cref="SaveIncremental"/>
    /// (all of them the first time), concatenated in topological order; empty when nothing changed.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    public byte[] SaveIncremental()
    {
        EnsureNoTransaction();
        var bytes = Concat(_graph.Changes, _savedCount, []);
        _savedCount = _graph.Count;
        return bytes;
    }

    /// <summary>
    /// The change chunks of every change that is not an ancestor of (or equal to) <paramref name="heads"/>,
    /// concatenated in topological order (JS <c>saveSince</c>); unknown hashes in <paramref name="heads"/> are ignored,
    /// and an empty list gives every change. Does not affect <see cref="SaveIncremental"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    public byte[] SaveSince(IReadOnlyList<ChangeHash> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        EnsureNoTransaction();
        return Concat(_graph.ChangesSince(heads), 0, []);
    }

    /// <summary>
    /// Loads a document from concatenated chunks: the output of <see cref="Save"/>, <see cref="SaveIncremental"/>,
    /// Automerge <c>save()</c> (a document chunk, optionally followed by change chunks), <c>getChanges</c> or
    /// <c>saveBundle</c> (bundle chunks).
    /// Changes with missing dependencies stay queued.
    /// </summary>
    /// <param name="data">The bytes; empty gives an empty document.</param>
    /// <param name="actor">The loaded document's actor; random when null.</param>
    /// <exception cref="AutomergeFormatException">
    /// Malformed or truncated chunks, a document chunk whose changes do not reproduce its heads, or a change
    /// inconsistent with the others.
    /// </exception>
    public static AutomergeDocument Load(ReadOnlySpan<byte> data, ActorId? actor = null) => Load(data, actor, TimeProvider.System);

    /// <summary>
    /// Like <see cref="Load(ReadOnlySpan{byte}, ActorId?)"/>, with the clock that stamps the loaded document's later
    /// commits (<see cref="AutomergeDocument(ActorId?, TimeProvider)"/>).
    /// </summary>
    /// <param name="data">The bytes; empty gives an empty document.</param>
    /// <param name="actor">The loaded document's actor; random when null.</param>
    /// <param name="timeProvider">The clock for commit times.</param>
    /// <exception cref="AutomergeFormatException">As for <see cref="Load(ReadOnlySpan{byte}, ActorId?)"/>.</exception>
    public static AutomergeDocument Load(ReadOnlySpan<byte> data, ActorId? actor, TimeProvider timeProvider)
    {
        var doc = new AutomergeDocument(actor, timeProvider);
        bool? storeLoaded = null;

        // The op set is built from the leading document chunk's rows while its heads are checked.
        var changes = DecodeChanges(data.ToArray(), doc._deflateCache, out var leading, ops => storeLoaded = doc._store.TryLoad(ops));
        doc.ApplyLoaded(changes, leading, storeLoaded);
        if (leading?.Ops is { AllChangesEncoded: true } ops)
        {
            ops.Release(); // the op set is built and no change reads the rows: their arrays go back to the pool
        }

        doc._savedCount = doc._graph.Count;
        return doc;
    }

    /// <summary>
    /// Applies the chunks in <paramref name="data"/> (document, change and bundle chunks, concatenated, any order) like
    /// <c>loadIncremental</c>: known changes are ignored, early ones queued.
    /// </summary>
    /// <returns>The number of changes applied.</returns>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    /// <exception cref="AutomergeFormatException">Malformed input (nothing is applied) or an inconsistent change.</exception>
    public int LoadIncremental(ReadOnlySpan<byte> data)
    {
        EnsureNoTransaction();
        var changes = DecodeChanges(data.ToArray(), _deflateCache, out var leading);
        return ApplyLoaded(changes, leading, storeLoaded: null);
    }

    /// <summary>
    /// Parses concatenated chunks: document chunks (expanded into their changes, heads verified), bundles and change
    /// chunks (plain or compressed); every length is bounded by the input.
    /// </summary>
    /// <exception cref="AutomergeFormatException">Malformed or truncated chunk.</exception>
    internal static IReadOnlyList<Change> DecodeChanges(ReadOnlyMemory<byte> data, DeflateColumnCache? cache = null) =>
        DecodeChanges(data, cache, out _);

    /// <summary>
    /// Like <see cref="DecodeChanges(ReadOnlyMemory{byte}, DeflateColumnCache?)"/>, also returning the contents of a
    /// leading document chunk (whose changes start the list) for <see cref="ApplyLoaded"/>.
    /// </summary>
    /// <exception cref="AutomergeFormatException">Malformed or truncated chunk.</exception>
    internal static IReadOnlyList<Change> DecodeChanges(ReadOnlyMemory<byte> data, DeflateColumnCache? cache, out DocumentChunkContents? leadingDocument) =>
        DecodeChanges(data, cache, out leadingDocument, null);

    /// <summary>
    /// Like <see cref="DecodeChanges(ReadOnlyMemory{byte}, DeflateColumnCache?, out DocumentChunkContents?)"/>; a leading
    /// document chunk's ops are also handed to <paramref name="alongsideLeading"/> while its heads are checked
    /// (<see cref="DocumentChunk.ReadAllChanges(ReadOnlyMemory{byte}, DeflateColumnCache?, out DocumentChunkContents?, Action{DocumentOps}?)"/>).
    /// </summary>
    /// <exception cref="AutomergeFormatException">Malformed or truncated chunk.</exception>
    internal static IReadOnlyList<Change> DecodeChanges(ReadOnlyMemory<byte> data, DeflateColumnCache? cache,
        out DocumentChunkContents? leadingDocument, Action<DocumentOps>? alongsideLeading)
    {
        try
        {
            return DocumentChunk.ReadAllChanges(data, cache, out leadingDocument, alongsideLeading);
        }
        catch (ArgumentException e)
        {
            throw new AutomergeFormatException("Invalid chunk: " + e.Message, e);
        }
    }

    /// <summary>
    /// Applies decoded changes like <see cref="ApplyChanges"/>; when this document is still empty and the input began
    /// with a document chunk, that chunk's op set and change graph are built directly from its rows instead of
    /// replaying its changes one by one (same result, see <see cref="OpStore.TryLoad"/>; it falls back to replaying when
    /// the rows are not in the canonical form).
    /// </summary>
    /// <param name="changes">The decoded changes.</param>
    /// <param name="leadingDocument">The contents of the leading document chunk, or null.</param>
    /// <param name="storeLoaded">
    /// Whether the (empty) op store was already built from the leading document chunk's rows while they were decoded:
    /// true when built, false when <see cref="OpStore.TryLoad"/> declined (the changes are replayed), null when not tried.
    /// </param>
    /// <returns>The number of changes applied.</returns>
    /// <exception cref="AutomergeFormatException">A change was rejected (after the others were applied).</exception>
    internal int ApplyLoaded(IReadOnlyList<Change> changes, DocumentChunkContents? leadingDocument, bool? storeLoaded)
    {
        if (leadingDocument is { Ops: { } ops, DepStart: { } depStart, DepIndex: { } depIndex, Changes: LoadedChanges leading }
            && _graph.Count == 0 && _queue.Count == 0 && (storeLoaded ?? _store.TryLoad(ops)))
        {
            _graph.Load(leading, depStart, depIndex);
            return leading.Count + (changes.Count == leading.Count ? 0 : ApplyChanges(From(changes, leading.Count)));
        }

        return ApplyChanges(changes);
    }

    // By index: skipping with an enumerator would create every change of the leading document.
    private static IEnumerable<Change> From(IReadOnlyList<Change> changes, int start)
    {
        for (var i = start; i < changes.Count; i++)
        {
            yield return changes[i];
        }
    }

    private byte[] AppendOrphans(byte[] document)
    {
        if (_queue.Count == 0)
        {
            return document;
        }

        var orphans = Concat([], 0, _queue.Changes);
        return [.. document, .. orphans];
    }

    private static byte[] Concat(IReadOnlyList<Change> changes, int start, IEnumerable<Change> extra)
    {
        long total = 0;
        for (var i = start; i < changes.Count; i++)
        {
            total += changes[i].RawBytes.Length;
        }

        var extraList = extra.ToList();
        foreach (var change in extraList)
        {
            total += change.RawBytes.Length;
        }

        if (total > Array.MaxLength)
        {
            throw new InvalidOperationException("The document is too large to save into one array.");
        }

        var result = new byte[total];
        var offset = 0;
        for (var i = start; i < changes.Count; i++)
        {
            var raw = changes[i].RawBytes.Span;
            raw.CopyTo(result.AsSpan(offset));
            offset += raw.Length;
        }

        foreach (var change in extraList)
        {
            var raw = change.RawBytes.Span;
            raw.CopyTo(result.AsSpan(offset));
            offset += raw.Length;
        }

        return result;
    }
}
