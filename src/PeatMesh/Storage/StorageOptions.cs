namespace PeatMesh.Storage;

/// <summary>Settings of the embedded SQLite document store (<see cref="SqliteDocumentStore"/>).</summary>
/// <remarks>
/// Plain mutable settings object for the Options pattern; validated by <see cref="StorageOptionsValidator"/>
/// (and again by <see cref="SqliteDocumentStore.OpenAsync(StorageOptions, Microsoft.Extensions.Logging.ILogger{SqliteDocumentStore}?, TimeProvider?, CancellationToken)"/>). Not thread-safe while being configured; treat
/// as read-only once a store is opened with it.
/// </remarks>
public sealed class StorageOptions
{
    /// <summary>Default <see cref="WriteQueueCapacity"/>: 1024 writes.</summary>
    public const int DefaultWriteQueueCapacity = 1024;

    /// <summary>Default <see cref="MaxBatchSize"/>: 256 writes per transaction.</summary>
    public const int DefaultMaxBatchSize = 256;

    /// <summary>Default <see cref="MaxDocumentBytes"/>: 64 MiB.</summary>
    public const int DefaultMaxDocumentBytes = 64 * 1024 * 1024;

    /// <summary>Largest allowed <see cref="MaxDocumentBytes"/>: 1 000 000 000 bytes, SQLite's default maximum blob length.</summary>
    public const int MaxDocumentBytesLimit = 1_000_000_000;

    /// <summary>
    /// Directory holding the database file <c>peat-mesh.db</c> (and its <c>-wal</c>/<c>-shm</c> companions);
    /// created if missing. Required, no default: the node sets it from <c>PEAT_DATA_DIR</c>.
    /// </summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>
    /// How many writes may wait for the writer (a bounded queue). When it is full, further writes wait
    /// asynchronously for space (backpressure; their cancellation token can end the wait). Defaults to 1024,
    /// enough to absorb a burst while one commit syncs; must be 1–1 000 000.
    /// </summary>
    public int WriteQueueCapacity { get; set; } = DefaultWriteQueueCapacity;

    /// <summary>
    /// Most writes committed in one transaction (group commit). The writer takes whatever is queued, up to
    /// this many, and commits them with one sync. Defaults to 256, which amortizes the sync while keeping a
    /// transaction's latency and memory modest; must be 1–100 000.
    /// </summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>
    /// SQLite <c>synchronous</c> level. Defaults to <see cref="StorageSynchronousMode.Full"/> (acknowledged
    /// writes survive power loss); <see cref="StorageSynchronousMode.Normal"/> survives process kill only.
    /// </summary>
    public StorageSynchronousMode Synchronous { get; set; } = StorageSynchronousMode.Full;

    /// <summary>
    /// Largest document, in bytes (the sum of its chunks), and largest node-meta value. Writes that would
    /// exceed it return <see cref="StoreWriteResult.DocumentTooLarge"/>; it also bounds what one read
    /// allocates. Defaults to 64 MiB; must be 1 byte to <see cref="MaxDocumentBytesLimit"/>.
    /// </summary>
    public int MaxDocumentBytes { get; set; } = DefaultMaxDocumentBytes;

    /// <summary>
    /// How long a connection waits for a lock held by another connection or process (SQLite busy timeout,
    /// and Microsoft.Data.Sqlite's own busy retry) before the operation fails with "database is locked".
    /// Defaults to 5 seconds; must be 1 second to 1 hour. Sub-second parts are rounded up to whole seconds,
    /// because the driver's retry counts whole seconds (and treats 0 as "wait forever").
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
