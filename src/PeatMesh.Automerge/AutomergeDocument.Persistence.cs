using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge;

public sealed partial class AutomergeDocument
{
    /// <summary>
    /// Serialises the whole document as its change chunks concatenated in topological order, followed by
    /// any queued changes (a valid Automerge byte stream: "any concatenation of chunks", spec §0/§2.2).
    /// Marks everything as saved for <see cref="SaveIncremental"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    public byte[] Save()
    {
        EnsureNoTransaction();
        var bytes = Concat(_graph.Changes, 0, _queue.Changes);
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
    /// Loads a document from concatenated chunks: the output of <see cref="Save"/>, <see cref="SaveIncremental"/>,
    /// Automerge <c>save()</c> (a document chunk, optionally followed by change chunks) or <c>getChanges</c>.
    /// Changes with missing dependencies stay queued.
    /// </summary>
    /// <param name="data">The bytes; empty gives an empty document.</param>
    /// <param name="actor">The loaded document's actor; random when null.</param>
    /// <exception cref="AutomergeFormatException">
    /// Malformed, truncated or unsupported (bundle) chunks, a document chunk whose changes do not reproduce
    /// its heads, or a change inconsistent with the others.
    /// </exception>
    public static AutomergeDocument Load(ReadOnlySpan<byte> data, ActorId? actor = null)
    {
        var doc = new AutomergeDocument(actor);
        doc.ApplyChanges(DecodeChanges(data.ToArray()));
        doc._savedCount = doc._graph.Count;
        return doc;
    }

    /// <summary>
    /// Applies the chunks in <paramref name="data"/> (document and change chunks, concatenated, any order) like
    /// <c>loadIncremental</c>: known changes are ignored, early ones queued.
    /// </summary>
    /// <returns>The number of changes applied.</returns>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    /// <exception cref="AutomergeFormatException">Malformed input (nothing is applied) or an inconsistent change.</exception>
    public int LoadIncremental(ReadOnlySpan<byte> data)
    {
        EnsureNoTransaction();
        return ApplyChanges(DecodeChanges(data.ToArray()));
    }

    /// <summary>
    /// Parses concatenated chunks: document chunks (expanded into their changes, heads verified) and change
    /// chunks (plain or compressed); every length is bounded by the input.
    /// </summary>
    /// <exception cref="AutomergeFormatException">Malformed, truncated or unsupported (bundle) chunk.</exception>
    internal static IReadOnlyList<Change> DecodeChanges(ReadOnlyMemory<byte> data)
    {
        try
        {
            return DocumentChunk.ReadAllChanges(data);
        }
        catch (ArgumentException e)
        {
            throw new AutomergeFormatException("Invalid chunk: " + e.Message, e);
        }
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
