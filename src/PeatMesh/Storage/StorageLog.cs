using Microsoft.Extensions.Logging;

namespace PeatMesh.Storage;

/// <summary>Source-generated log messages of the storage subsystem (event ids 3000–3099).</summary>
/// <remarks>Thread-safe. Messages carry keys, counts and paths, never document bytes or metadata values.</remarks>
internal static partial class StorageLog
{
    /// <summary>First event id of the storage range.</summary>
    public const int FirstEventId = 3000;

    /// <summary>Last event id of the storage range.</summary>
    public const int LastEventId = 3099;

    [LoggerMessage(EventId = 3000, EventName = "StorageOpened", Level = LogLevel.Information,
        Message = "Storage opened path={DatabasePath} schema_version={SchemaVersion} synchronous={Synchronous} write_queue_capacity={WriteQueueCapacity} max_batch_size={MaxBatchSize} max_document_bytes={MaxDocumentBytes}")]
    public static partial void Opened(
        this ILogger logger,
        string databasePath,
        int schemaVersion,
        StorageSynchronousMode synchronous,
        int writeQueueCapacity,
        int maxBatchSize,
        int maxDocumentBytes);

    [LoggerMessage(EventId = 3001, EventName = "StorageSchemaCreated", Level = LogLevel.Information,
        Message = "Storage schema created path={DatabasePath} schema_version={SchemaVersion}")]
    public static partial void SchemaCreated(this ILogger logger, string databasePath, int schemaVersion);

    [LoggerMessage(EventId = 3002, EventName = "StorageBatchCommitted", Level = LogLevel.Debug,
        Message = "Storage batch committed writes={Count} duration_ms={DurationMs:0.###}")]
    public static partial void BatchCommitted(this ILogger logger, int count, double durationMs);

    [LoggerMessage(EventId = 3003, EventName = "StorageWriteFailed", Level = LogLevel.Warning,
        Message = "Storage write failed operation={Operation} target={Target}")]
    public static partial void WriteFailed(this ILogger logger, string operation, string target, Exception exception);

    [LoggerMessage(EventId = 3004, EventName = "StorageTransactionFailed", Level = LogLevel.Error,
        Message = "Storage transaction failed writes={Count}; retrying each write in its own transaction")]
    public static partial void TransactionFailed(this ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3005, EventName = "StorageBeginFailed", Level = LogLevel.Error,
        Message = "Storage could not begin a write transaction; failing writes={Count}")]
    public static partial void BeginFailed(this ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3006, EventName = "StorageClosing", Level = LogLevel.Debug,
        Message = "Storage closing path={DatabasePath} queued_writes={QueuedWrites}")]
    public static partial void Closing(this ILogger logger, string databasePath, int queuedWrites);

    [LoggerMessage(EventId = 3007, EventName = "StorageClosed", Level = LogLevel.Information,
        Message = "Storage closed path={DatabasePath} committed_writes={CommittedWrites} committed_transactions={CommittedTransactions}")]
    public static partial void Closed(this ILogger logger, string databasePath, long committedWrites, long committedTransactions);

    [LoggerMessage(EventId = 3008, EventName = "StorageWriterCrashed", Level = LogLevel.Critical,
        Message = "Storage writer loop failed unexpectedly; pending writes were failed")]
    public static partial void WriterCrashed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3009, EventName = "StorageCloseFailed", Level = LogLevel.Warning,
        Message = "Storage close failed path={DatabasePath}")]
    public static partial void CloseFailed(this ILogger logger, string databasePath, Exception exception);
}
