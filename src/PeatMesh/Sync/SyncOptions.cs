namespace PeatMesh.Sync;

/// <summary>Options of document sync and the document service.</summary>
/// <remarks>Set before start; not thread-safe to mutate afterwards.</remarks>
public sealed class SyncOptions
{
    /// <summary>
    /// Largest document accepted from a local write, measured as its JSON size in bytes. Defaults to
    /// 1 MiB (<c>PEAT_MAX_DOCUMENT_BYTES</c>). Larger writes are refused with <see cref="DocumentWriteStatus.TooLarge"/>.
    /// </summary>
    public int MaxDocumentBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Interval of the anti-entropy pass, which re-offers to each peer the documents it was never offered
    /// and those whose sync round has waited for an answer since the previous pass, so that anything a push
    /// missed still converges. Defaults to 30 seconds. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan AntiEntropyInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Documents kept loaded in memory (least recently used beyond this are unloaded). Defaults to 20,000.</summary>
    public int DocumentCacheCapacity { get; set; } = 20_000;

    /// <summary>Target size of one sync message (several sync frames packed together), in bytes. Defaults to 64 KiB.</summary>
    public int TargetMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Largest sync frame payload accepted from a peer, in bytes. Defaults to 16 MiB.</summary>
    public int MaxFramePayloadBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Stored chunks per document after which the document is compacted: its chunks are replaced by one
    /// <c>Save()</c> (an Automerge document chunk, much smaller than the individual change chunks and faster to
    /// load). Defaults to 32. Each write appends one chunk; compaction costs one full save, so the default keeps
    /// the amortised cost low while bounding how many chunks a load must read.
    /// </summary>
    public int CompactAfterChunks { get; set; } = 32;

    /// <summary>Tombstones per tombstone-batch frame. Defaults to 1,000 (the reference's GC batch size).</summary>
    public int TombstoneBatchSize { get; set; } = 1000;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDocumentBytes, 2, nameof(MaxDocumentBytes));
        if (AntiEntropyInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AntiEntropyInterval, TimeSpan.Zero, nameof(AntiEntropyInterval));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(DocumentCacheCapacity, 16, nameof(DocumentCacheCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(TargetMessageBytes, 1024, nameof(TargetMessageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFramePayloadBytes, 1024, nameof(MaxFramePayloadBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(TombstoneBatchSize, 1, nameof(TombstoneBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CompactAfterChunks, 2, nameof(CompactAfterChunks));
    }
}
