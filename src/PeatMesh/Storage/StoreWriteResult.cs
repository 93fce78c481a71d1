namespace PeatMesh.Storage;

/// <summary>Outcome of <see cref="IDocumentStore.AppendAsync"/> and the <c>ReplaceAsync</c> overloads.</summary>
/// <remarks>
/// Every value other than <see cref="Written"/> is an expected outcome that leaves the store unchanged;
/// none of them is thrown. Failures of the database itself surface as exceptions on the returned task.
/// </remarks>
public enum StoreWriteResult
{
    /// <summary>The bytes were committed and synced (durable).</summary>
    Written = 0,

    /// <summary>
    /// The key has a tombstone, so the write was refused: a deleted document is never resurrected by a
    /// write. Remove the tombstone first (<see cref="IDocumentStore.RemoveTombstoneAsync"/>) to allow it.
    /// </summary>
    Tombstoned = 1,

    /// <summary>
    /// The document would exceed <see cref="StorageOptions.MaxDocumentBytes"/>; nothing was written.
    /// Compacting (replacing with a smaller snapshot) makes room.
    /// </summary>
    DocumentTooLarge = 2,

    /// <summary>
    /// A conditional replace found a different <see cref="StoredDocument.Revision"/> than expected
    /// (another write got there first, or the document is missing); nothing was written.
    /// </summary>
    RevisionMismatch = 3,
}
