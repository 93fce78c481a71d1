namespace PeatMesh.Storage;

/// <summary>
/// Durable storage of documents (opaque Automerge byte streams kept as ordered chunks), their tombstones
/// and small node metadata (reference digest §2.11–2.12; PeatMesh decision 5).
/// </summary>
/// <remarks>
/// <para>Implementations are thread-safe: any number of callers may read and write concurrently.</para>
/// <para>
/// Durability: a write's task completes only after its transaction is committed (and, for
/// <see cref="SqliteDocumentStore"/>, synced per <see cref="StorageOptions.Synchronous"/>), so a completed
/// write is visible to every later read and survives a restart.
/// </para>
/// <para>
/// Tombstone invariant: a key with a tombstone has no stored bytes. Storing a tombstone removes the
/// document; appends and replaces on a tombstoned key return <see cref="StoreWriteResult.Tombstoned"/>.
/// </para>
/// <para>
/// Cancellation: a write's token ends its wait for queue space; a write cancelled before it was executed
/// is not written and its task is cancelled; once executed, the task reports the committed outcome.
/// Reads honour the token between rows.
/// </para>
/// </remarks>
public interface IDocumentStore
{
    /// <summary>Reads one document: all its chunks, concatenated in append order.</summary>
    /// <returns>The document, or <see langword="null"/> when none is stored (including when it is tombstoned).</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="default"/> (not created through <see cref="DocumentKey.Create"/>).</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    ValueTask<StoredDocument?> GetAsync(DocumentKey key, CancellationToken cancellationToken = default);

    /// <summary>Streams the documents of one collection, ordered by id (ordinal).</summary>
    /// <remarks>
    /// Each document is read consistently; the listing as a whole is read page by page, so documents written
    /// while it runs may or may not appear. One document is held in memory at a time.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="collection"/> is not a valid collection name (thrown at the call).</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    IAsyncEnumerable<StoredDocument> ListAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>Streams the keys of every stored document, ordered by collection then id (ordinal). Read page by page, like <see cref="ListAsync"/>.</summary>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    IAsyncEnumerable<DocumentKey> ListKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts stored documents and tombstones in one consistent read.</summary>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    ValueTask<StoreCounts> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a chunk (incremental Automerge bytes) to a document, creating the document if it is missing.
    /// Empty bytes create an empty document if missing and otherwise change nothing.
    /// </summary>
    /// <param name="key">The document.</param>
    /// <param name="chunkBytes">The bytes to append; must not be modified until the returned task completes.</param>
    /// <param name="cancellationToken">Ends the wait for queue space; see the type's remarks.</param>
    /// <returns>
    /// <see cref="StoreWriteResult.Written"/> once durable; <see cref="StoreWriteResult.Tombstoned"/> if the key
    /// is deleted; <see cref="StoreWriteResult.DocumentTooLarge"/> if the document would exceed the size limit.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="default"/>.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write was executed; nothing was written.</exception>
    ValueTask<StoreWriteResult> AppendAsync(DocumentKey key, ReadOnlyMemory<byte> chunkBytes, CancellationToken cancellationToken = default);

    /// <summary>Atomically replaces everything stored for a document with <paramref name="fullBytes"/> (a snapshot, e.g. after compaction), creating it if missing.</summary>
    /// <param name="key">The document.</param>
    /// <param name="fullBytes">The document's complete new bytes; must not be modified until the returned task completes.</param>
    /// <param name="cancellationToken">Ends the wait for queue space; see the type's remarks.</param>
    /// <returns>As <see cref="AppendAsync"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="default"/>.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write was executed; nothing was written.</exception>
    ValueTask<StoreWriteResult> ReplaceAsync(DocumentKey key, ReadOnlyMemory<byte> fullBytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces everything stored for a document only if its <see cref="StoredDocument.Revision"/> still equals
    /// <paramref name="expectedRevision"/> (0 means "only if no document is stored"): compaction that cannot
    /// lose a concurrent append.
    /// </summary>
    /// <returns>As <see cref="AppendAsync"/>, plus <see cref="StoreWriteResult.RevisionMismatch"/> when the revision differs.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="default"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedRevision"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write was executed; nothing was written.</exception>
    ValueTask<StoreWriteResult> ReplaceAsync(DocumentKey key, ReadOnlyMemory<byte> fullBytes, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a document locally: in one transaction removes its bytes and stores <paramref name="tombstone"/>,
    /// unless a stored tombstone supersedes it (<see cref="Tombstone.Supersedes"/>), in which case nothing changes.
    /// </summary>
    /// <returns><see cref="TombstoneWriteResult.Stored"/> or <see cref="TombstoneWriteResult.Superseded"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tombstone"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The tombstone's key is <see langword="default"/>, its <see cref="Tombstone.DeletedBy"/> is null or its text fields are longer than the wire allows (65 535 UTF-8 bytes), or its direction is undefined.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write was executed; nothing was written.</exception>
    ValueTask<TombstoneWriteResult> DeleteAsync(Tombstone tombstone, CancellationToken cancellationToken = default);

    /// <summary>Reads the tombstone stored for a key.</summary>
    /// <returns>The tombstone (its <see cref="Tombstone.DeletedAt"/> at millisecond precision, UTC), or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="default"/>.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    ValueTask<Tombstone?> GetTombstoneAsync(DocumentKey key, CancellationToken cancellationToken = default);

    /// <summary>Streams every stored tombstone, ordered by collection then id (ordinal); read page by page.</summary>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    IAsyncEnumerable<Tombstone> ListTombstonesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a tombstone received from a peer, with the same newer-wins rule and the same effect as
    /// <see cref="DeleteAsync"/> (the document's bytes are removed when it is stored). The two names keep
    /// call sites and logs clear about where a delete came from.
    /// </summary>
    /// <returns><see cref="TombstoneWriteResult.Stored"/> (new: apply and forward it) or <see cref="TombstoneWriteResult.Superseded"/> (already known: drop it).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tombstone"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">As <see cref="DeleteAsync"/>.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write was executed; nothing was written.</exception>
    ValueTask<TombstoneWriteResult> PutTombstoneAsync(Tombstone tombstone, CancellationToken cancellationToken = default);

    /// <summary>Removes a key's tombstone (allowing the document to be written again, e.g. a resurrection policy of "allow").</summary>
    /// <returns>Whether a tombstone was removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="default"/>.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write was executed; nothing was written.</exception>
    ValueTask<bool> RemoveTombstoneAsync(DocumentKey key, CancellationToken cancellationToken = default);

    /// <summary>Removes every tombstone whose <see cref="Tombstone.DeletedAt"/> is strictly before <paramref name="deletedBefore"/> (tombstone garbage collection, reference digest §2.12).</summary>
    /// <returns>How many tombstones were removed.</returns>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write was executed; nothing was written.</exception>
    ValueTask<int> PurgeTombstonesAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default);

    /// <summary>Reads a node metadata value.</summary>
    /// <returns>A copy of the value, or <see langword="null"/> when the key is not set.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or longer than 256 characters.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    ValueTask<byte[]?> GetMetaAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sets (inserts or overwrites) a node metadata value durably.</summary>
    /// <param name="key">1–256 characters.</param>
    /// <param name="value">The value, at most <see cref="StorageOptions.MaxDocumentBytes"/> bytes; must not be modified until the returned task completes.</param>
    /// <param name="cancellationToken">Ends the wait for queue space; see the type's remarks.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or too long, or <paramref name="value"/> is too large.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write was executed; nothing was written.</exception>
    ValueTask SetMetaAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);
}
