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
    /// Loads a document from concatenated change chunks (the output of <see cref="Save"/>,
    /// <see cref="SaveIncremental"/> or Automerge <c>getChanges</c>). Changes with missing dependencies stay queued.
    /// </summary>
    /// <param name="data">The bytes; empty gives an empty document.</param>
    /// <param name="actor">The loaded document's actor; random when null.</param>
    /// <exception cref="AutomergeFormatException">
    /// Malformed, truncated or unsupported chunks (document chunks are not supported yet), or a change
    /// inconsistent with the others.
    /// </exception>
    public static AutomergeDocument Load(ReadOnlySpan<byte> data, ActorId? actor = null)
    {
        var doc = new AutomergeDocument(actor);
        doc.LoadIncremental(data);
        doc._savedCount = doc._graph.Count;
        return doc;
    }

    /// <summary>
    /// Applies the change chunks in <paramref name="data"/> (concatenated, any order) like
    /// <c>loadIncremental</c>: known changes are ignored, early ones queued.
    /// </summary>
    /// <returns>The number of changes applied.</returns>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    /// <exception cref="AutomergeFormatException">Malformed input (nothing is applied) or an inconsistent change.</exception>
    public int LoadIncremental(ReadOnlySpan<byte> data)
    {
        EnsureNoTransaction();
        return ApplyChanges(DecodeChanges(data));
    }

    /// <summary>Parses concatenated change chunks; every chunk is bounded by the input length.</summary>
    /// <exception cref="AutomergeFormatException">Malformed, truncated or unsupported chunk.</exception>
    internal static List<Change> DecodeChanges(ReadOnlySpan<byte> data)
    {
        var changes = new List<Change>();
        while (!data.IsEmpty)
        {
            Change change;
            int consumed;
            try
            {
                change = ChangeChunk.Decode(data, out consumed);
            }
            catch (ArgumentException e)
            {
                throw new AutomergeFormatException("Invalid change chunk: " + e.Message, e);
            }

            if (consumed <= 0 || consumed > data.Length)
            {
                throw new AutomergeFormatException("Chunk decoder made no progress.");
            }

            changes.Add(change);
            data = data[consumed..];
        }

        return changes;
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
