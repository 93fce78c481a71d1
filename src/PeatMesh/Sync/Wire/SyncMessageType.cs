namespace PeatMesh.Sync.Wire;

/// <summary>
/// The <c>msg_type</c> byte of a sync frame and the <c>sync_type</c> byte of a batch entry
/// (reference digest §2.10.1; names as the reference's <c>SyncMessageType</c>).
/// </summary>
public enum SyncMessageType : byte
{
    /// <summary>An Automerge sync message (<c>automerge::sync::Message::encode()</c>); doc_key <c>collection:id</c>.</summary>
    DeltaSync = 0x00,

    /// <summary>A whole Automerge document (<c>Automerge::save()</c>); doc_key <c>collection:id</c>.</summary>
    StateSnapshot = 0x01,

    /// <summary>Reserved by the reference ("Phase 2"); rejected in frames, tolerated in batch entries as the reference does.</summary>
    WindowedHistory = 0x02,

    /// <summary>Reserved; never valid on the wire.</summary>
    Reserved = 0x03,

    /// <summary>One tombstone (<see cref="TombstoneCodec"/>); doc_key <c>tombstones:collection:id</c>.</summary>
    Tombstone = 0x04,

    /// <summary>A tombstone batch (<see cref="TombstoneCodec"/>); doc_key <c>tombstones:batch</c>.</summary>
    TombstoneBatch = 0x05,

    /// <summary>Tombstone acknowledgement; the reference ignores it (treats it as an empty batch).</summary>
    TombstoneAck = 0x06,

    /// <summary>A batch of entries for several documents (<see cref="SyncBatchCodec"/>); doc_key <c>batch</c>.</summary>
    SyncBatch = 0x07,

    /// <summary>Negentropy set-reconciliation initiation; doc_key <c>_negentropy</c>.</summary>
    NegentropyInit = 0x08,

    /// <summary>Negentropy set-reconciliation response; doc_key <c>_negentropy</c>.</summary>
    NegentropyResponse = 0x09,

    /// <summary>Negentropy request for missing documents; defined by the reference but never sent or decoded there.</summary>
    NegentropyRequest = 0x0A,

    /// <summary>
    /// PeatMesh extension (not in the reference): the W3C trace context (<see cref="TraceContextCodec"/>) of the frames
    /// for the same doc_key that follow it in the same message; doc_key <c>collection:id</c>. Sent only by a node that
    /// traces; a receiver that does not trace ignores it. Never valid inside a batch.
    /// </summary>
    TraceContext = 0x20,
}
