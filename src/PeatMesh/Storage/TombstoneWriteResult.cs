namespace PeatMesh.Storage;

/// <summary>Outcome of <see cref="IDocumentStore.DeleteAsync"/> and <see cref="IDocumentStore.PutTombstoneAsync"/>.</summary>
/// <remarks>
/// "Newer" is decided by <see cref="Tombstone.Supersedes"/>: the higher <see cref="Tombstone.Lamport"/> wins, and on
/// equal clocks the ordinally greater <see cref="Tombstone.DeletedBy"/> wins. A tombstone equal on both keeps
/// the stored one, so replaying the same tombstone reports <see cref="Superseded"/> (callers use that to stop
/// re-forwarding it, reference digest §2.10.4).
/// </remarks>
public enum TombstoneWriteResult
{
    /// <summary>The tombstone was new or newer than the stored one: it was stored, and the document's bytes (if any) were removed, in one committed transaction.</summary>
    Stored = 0,

    /// <summary>A tombstone at least as new was already stored; it was kept and nothing changed.</summary>
    Superseded = 1,
}
