namespace PeatMesh.Sync;

/// <summary>What happened to a document.</summary>
public enum DocumentEventKind
{
    /// <summary>The document was created or changed (locally or by a peer).</summary>
    Changed,

    /// <summary>The document was deleted (a tombstone was recorded).</summary>
    Deleted,
}
