namespace PeatMesh.Sync.Wire;

/// <summary>
/// A batch of sync entries for several documents, the payload of a <see cref="SyncMessageType.SyncBatch"/>
/// frame (reference digest §2.10.2): <c>[batch_id:u64 BE][created_at_ms:u64 BE][ttl:u8][entry_count:u32 BE][entries…]</c>.
/// </summary>
/// <remarks>Immutable; thread-safe. Encode and decode with <see cref="SyncBatchCodec"/>.</remarks>
public sealed class SyncBatch
{
    /// <summary>The reference's default hop limit, <c>DEFAULT_SYNC_BATCH_TTL</c> (5).</summary>
    public const byte DefaultTtl = 5;

    /// <summary>Creates a batch.</summary>
    /// <param name="batchId">Batch id (the reference counts from 1; channel batches use 0).</param>
    /// <param name="createdAt">Creation time; millisecond precision and not before 1970 on the wire.</param>
    /// <param name="ttl">Remaining hops; <see cref="DefaultTtl"/> for new batches.</param>
    /// <param name="entries">The entries (copied into a read-only list).</param>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> is null.</exception>
    public SyncBatch(ulong batchId, DateTimeOffset createdAt, byte ttl, IEnumerable<SyncEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        BatchId = batchId;
        CreatedAt = createdAt;
        Ttl = ttl;
        Entries = entries.ToArray();
    }

    /// <summary>Creates a batch that takes ownership of <paramref name="entries"/> (decoder use).</summary>
    internal SyncBatch(ulong batchId, DateTimeOffset createdAt, byte ttl, SyncEntry[] entries, bool takeOwnership)
    {
        System.Diagnostics.Debug.Assert(takeOwnership, "Only the owning overload exists.");
        BatchId = batchId;
        CreatedAt = createdAt;
        Ttl = ttl;
        Entries = entries;
    }

    /// <summary>The batch id.</summary>
    public ulong BatchId { get; }

    /// <summary>When the batch was created (UTC, millisecond precision after decoding).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Remaining hops for multi-hop forwarding; a batch at 0 is not forwarded.</summary>
    public byte Ttl { get; }

    /// <summary>The entries, in wire order.</summary>
    public IReadOnlyList<SyncEntry> Entries { get; }

    /// <summary>Describes the batch (id, ttl, entry count).</summary>
    public override string ToString() => $"SyncBatch(id={BatchId}, ttl={Ttl}, entries={Entries.Count})";
}
