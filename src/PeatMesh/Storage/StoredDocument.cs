namespace PeatMesh.Storage;

/// <summary>
/// One document as stored: the concatenation, in append order, of every chunk stored for its key (an
/// Automerge byte stream the store treats as opaque), with its bookkeeping.
/// </summary>
/// <remarks>
/// Immutable and thread-safe; <see cref="Bytes"/> is the document's own copy and is never changed by the
/// store. Equality is reference equality (the bytes are not compared).
/// </remarks>
public sealed class StoredDocument
{
    /// <summary>Creates a stored document view (used by <see cref="IDocumentStore"/> implementations).</summary>
    /// <param name="key">The document's key.</param>
    /// <param name="bytes">All stored bytes, concatenated in order.</param>
    /// <param name="updatedAt">When the document was last written (millisecond precision, UTC).</param>
    /// <param name="revision">Write counter of this document; see <see cref="Revision"/>.</param>
    /// <param name="chunkCount">How many chunks were concatenated; see <see cref="ChunkCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is below 1 or <paramref name="chunkCount"/> is negative.</exception>
    public StoredDocument(DocumentKey key, ReadOnlyMemory<byte> bytes, DateTimeOffset updatedAt, long revision, int chunkCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(chunkCount);
        Key = key;
        Bytes = bytes;
        UpdatedAt = updatedAt;
        Revision = revision;
        ChunkCount = chunkCount;
    }

    /// <summary>The document's key.</summary>
    public DocumentKey Key { get; }

    /// <summary>Everything stored for the key, concatenated in append order (may be empty).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>When the document was last written, from the store's <see cref="TimeProvider"/> (millisecond precision, UTC).</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>
    /// Starts at 1 when the document is created and grows by 1 with every write that changes it (append of
    /// a non-empty chunk, or replace). Pass it to the conditional replace to compact without losing a
    /// concurrent append.
    /// </summary>
    public long Revision { get; }

    /// <summary>How many chunks are stored (1 after a replace with non-empty bytes; grows with each append). A compaction hint.</summary>
    public int ChunkCount { get; }

    /// <summary>A short description for logs: key, size, revision and chunk count (never the bytes).</summary>
    public override string ToString() =>
        $"{Key} ({Bytes.Length} bytes, revision {Revision}, {ChunkCount} chunks)";
}
