namespace PeatMesh.Storage;

/// <summary>
/// The record that a document was deleted, kept and replicated so that a peer that missed the
/// delete does not resurrect the document (the reference's <c>Tombstone</c> /
/// <c>TombstoneSyncMessage</c>, §2.12 of the reference digest).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Key">The deleted document.</param>
/// <param name="DeletedAt">When it was deleted (millisecond precision on the wire).</param>
/// <param name="Lamport">The deleting node's Lamport clock at the delete.</param>
/// <param name="DeletedBy">Node id of the deleting node.</param>
/// <param name="Reason">Optional reason, or <see langword="null"/>.</param>
/// <param name="Direction">Propagation direction; defaults to <see cref="TombstoneDirection.Bidirectional"/>.</param>
public sealed record Tombstone(
    DocumentKey Key,
    DateTimeOffset DeletedAt,
    ulong Lamport,
    string DeletedBy,
    string? Reason = null,
    TombstoneDirection Direction = TombstoneDirection.Bidirectional)
{
    /// <summary>
    /// Whether this tombstone is newer than <paramref name="other"/> and should replace it: the higher
    /// <see cref="Lamport"/> wins; on equal clocks the ordinally greater <see cref="DeletedBy"/> wins
    /// (a deterministic tie-break every node computes alike). Equal on both is not newer, so replaying a
    /// tombstone changes nothing. <see cref="DeletedAt"/>, <see cref="Reason"/> and <see cref="Direction"/>
    /// do not take part: wall clocks are not comparable across nodes.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public bool Supersedes(Tombstone other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Lamport != other.Lamport
            ? Lamport > other.Lamport
            : string.CompareOrdinal(DeletedBy, other.DeletedBy) > 0;
    }
}
