using PeatMesh.Automerge;
using PeatMesh.Automerge.Model;
using PeatMesh.Storage;

namespace PeatMesh.Sync;

/// <summary>A document held in memory, with what of it is already durable.</summary>
/// <remarks>Not thread-safe: use only under the document's lock.</remarks>
internal sealed class LoadedDocument(DocumentKey key, AutomergeDocument document, bool stored, int storedChunks = 0)
{
    /// <summary>How many chunks the store holds for this document (appends since the last compaction, plus one).</summary>
    public int StoredChunks { get; set; } = storedChunks;

    public DocumentKey Key { get; } = key;

    public AutomergeDocument Document { get; set; } = document;

    /// <summary>Heads of the durable state; changes after these still need persisting.</summary>
    public IReadOnlyList<ChangeHash> PersistedHeads { get; set; } = document.Heads;

    /// <summary>Whether the store holds this document (an empty in-memory document created by sync does not count).</summary>
    public bool Stored { get; set; } = stored;
}
