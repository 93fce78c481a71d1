namespace PeatMesh.Sync;

/// <summary>Outcome of a document write through <see cref="DocumentService"/>.</summary>
public enum DocumentWriteStatus
{
    /// <summary>A new document was created (and is durable).</summary>
    Created,

    /// <summary>An existing document was updated (and the update is durable), or already held the content.</summary>
    Updated,

    /// <summary>The document does not exist (PATCH, DELETE).</summary>
    NotFound,

    /// <summary>The document was deleted; its tombstone prevents writes under this key.</summary>
    Deleted,

    /// <summary>The resulting document would exceed the size limit.</summary>
    TooLarge,
}
