using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PeatMesh.Diagnostics;

namespace PeatMesh.Storage;

/// <summary>
/// The default <see cref="IDocumentStore"/>: an embedded SQLite database <c>peat-mesh.db</c> in
/// <see cref="StorageOptions.DataDirectory"/>, in WAL mode, with one writer that group-commits queued writes
/// (PeatMesh decision 5; data model of reference digest §2.11–2.12).
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Writes are validated on the caller's thread, then queued in a bounded queue
/// (<see cref="StorageOptions.WriteQueueCapacity"/>; when full, writers wait). One writer loop takes up to
/// <see cref="StorageOptions.MaxBatchSize"/> queued writes, runs each inside its own savepoint of one
/// <c>BEGIN IMMEDIATE</c> transaction and commits them together (group commit: one sync for the batch).
/// Each write's task completes after that commit, so a completed write is durable. A write that fails is
/// rolled back to its savepoint and faulted alone; if the commit itself fails, the batch is retried write by
/// write so only the failing write is faulted.
/// </para>
/// <para>
/// Reads use separate pooled read-only connections and run concurrently with the writer (WAL); each read
/// sees committed data only.
/// </para>
/// <para>
/// <see cref="DisposeAsync"/> stops accepting writes, lets the writer commit everything already queued,
/// then closes the database; it is idempotent.
/// </para>
/// </remarks>
public sealed partial class SqliteDocumentStore : IDocumentStore, IAsyncDisposable
{
    /// <summary>File name of the database inside <see cref="StorageOptions.DataDirectory"/>.</summary>
    public const string DatabaseFileName = "peat-mesh.db";

    /// <summary>Schema version (SQLite <c>user_version</c>) this build reads and writes.</summary>
    public const int SchemaVersion = SqliteSchema.CurrentVersion;

    /// <summary>Longest node-meta key, in characters (256).</summary>
    public const int MaxMetaKeyLength = 256;

    /// <summary>Longest <see cref="Tombstone.DeletedBy"/> or <see cref="Tombstone.Reason"/> in UTF-8 bytes (65 535: the wire's u16 length).</summary>
    public const int MaxTombstoneTextBytes = ushort.MaxValue;

    private readonly StorageOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _readConnectionString;
    private readonly SqliteWriter _writer;
    private readonly Channel<WriteOperation> _queue;
    private readonly Task _writerLoop;
    private readonly Lock _disposeLock = new();
    private Task? _disposeTask;
    private volatile bool _closed;

    private readonly MeshMetrics? _metrics;
    private long _documentCount;
    private long _tombstoneCount;
    private long _committedTransactions;
    private long _committedWrites;
    private long _failedWrites;
    private long _failedTransactions;
    private long _backpressureWaits;
    private int _largestBatch;

    private SqliteDocumentStore(
        StorageOptions options,
        string databasePath,
        string readConnectionString,
        SqliteWriter writer,
        StoreCounts counts,
        ILogger logger,
        TimeProvider timeProvider,
        MeshMetrics? metrics)
    {
        _options = options;
        _documentCount = counts.Documents;
        _tombstoneCount = counts.Tombstones;
        _metrics = metrics;
        DatabasePath = databasePath;
        _readConnectionString = readConnectionString;
        _writer = writer;
        _logger = logger;
        _timeProvider = timeProvider;
        _queue = Channel.CreateBounded<WriteOperation>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _writerLoop = Task.Run(RunWriterLoopAsync);
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// How many documents and tombstones the store holds as of its last commit, without a query: counted once when
    /// the store opens, then maintained by the writer from the rows each committed transaction inserted and deleted.
    /// Feeds the <c>peat_documents</c> and <c>peat_tombstones</c> gauges; <see cref="CountAsync"/> is the queried equivalent.
    /// </summary>
    public StoreCounts Counts => new(Interlocked.Read(ref _documentCount), Interlocked.Read(ref _tombstoneCount));

    /// <summary>A snapshot of the writer's counters (group commits, writes, failures, queue length).</summary>
    public StoreStatistics Statistics => new(
        Interlocked.Read(ref _committedTransactions),
        Interlocked.Read(ref _committedWrites),
        Interlocked.Read(ref _failedWrites),
        Interlocked.Read(ref _failedTransactions),
        Volatile.Read(ref _largestBatch),
        Interlocked.Read(ref _backpressureWaits),
        _queue.Reader.Count);

    /// <summary>
    /// Opens (creating if needed) the store in <see cref="StorageOptions.DataDirectory"/>: creates the directory,
    /// enables WAL, <c>synchronous</c>, foreign keys and the busy timeout, checks or creates the schema, and
    /// starts the writer loop.
    /// </summary>
    /// <param name="options">Validated with <see cref="StorageOptionsValidator"/>; copied, so later changes have no effect.</param>
    /// <param name="logger">Logger; <see langword="null"/> logs nothing.</param>
    /// <param name="timeProvider">Clock for <see cref="StoredDocument.UpdatedAt"/>; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels before the database is opened.</param>
    /// <returns>The open store; dispose it with <see cref="DisposeAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="StorageException">
    /// The database cannot be opened (<see cref="StorageErrorCode.CannotOpen"/>), is damaged or not SQLite
    /// (<see cref="StorageErrorCode.Corrupt"/>), belongs to another application
    /// (<see cref="StorageErrorCode.NotPeatMeshDatabase"/>), has a newer schema
    /// (<see cref="StorageErrorCode.UnsupportedSchemaVersion"/>) or cannot use WAL
    /// (<see cref="StorageErrorCode.WalUnavailable"/>).
    /// </exception>
    public static Task<SqliteDocumentStore> OpenAsync(
        StorageOptions options,
        ILogger<SqliteDocumentStore>? logger = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) =>
        OpenAsync(options, logger, timeProvider, metrics: null, cancellationToken);

    /// <summary>
    /// Opens the store like the public overload and records durable write latency and group-commit sizes into
    /// <paramref name="metrics"/>.
    /// </summary>
    internal static Task<SqliteDocumentStore> OpenAsync(
        StorageOptions options,
        ILogger<SqliteDocumentStore>? logger,
        TimeProvider? timeProvider,
        MeshMetrics? metrics,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new StorageOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(StorageOptions), validation.Failures);
        }

        var snapshot = new StorageOptions
        {
            DataDirectory = Path.GetFullPath(options.DataDirectory),
            WriteQueueCapacity = options.WriteQueueCapacity,
            MaxBatchSize = options.MaxBatchSize,
            Synchronous = options.Synchronous,
            MaxDocumentBytes = options.MaxDocumentBytes,
            BusyTimeout = options.BusyTimeout,
        };
        return Task.Run(
            () => Open(snapshot, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System, metrics),
            cancellationToken);
    }

    private static SqliteDocumentStore Open(StorageOptions options, ILogger logger, TimeProvider timeProvider, MeshMetrics? metrics)
    {
        var path = Path.Combine(options.DataDirectory, DatabaseFileName);
        try
        {
            Directory.CreateDirectory(options.DataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new StorageException(StorageErrorCode.CannotOpen, $"Cannot create the data directory '{options.DataDirectory}': {ex.Message}", ex);
        }

        var timeoutSeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        var writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        var readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        var connection = new SqliteConnection(writeConnectionString);
        try
        {
            connection.Open();
            var created = SqliteSchema.Initialize(connection, path, options);
            var writer = new SqliteWriter(connection, options.MaxDocumentBytes);
            if (created)
            {
                logger.SchemaCreated(path, SqliteSchema.CurrentVersion);
            }

            logger.Opened(path, SqliteSchema.CurrentVersion, options.Synchronous, options.WriteQueueCapacity, options.MaxBatchSize, options.MaxDocumentBytes);
            return new SqliteDocumentStore(options, path, readConnectionString, writer, writer.Count(), logger, timeProvider, metrics);
        }
        catch (StorageException)
        {
            connection.Dispose();
            throw;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Classify(ex, path);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static StorageException Classify(SqliteException ex, string path)
    {
        const int SqliteCorrupt = 11;
        const int SqliteCantOpen = 14;
        const int SqliteNotADatabase = 26;
        return ex.SqliteErrorCode switch
        {
            SqliteNotADatabase => new StorageException(StorageErrorCode.Corrupt, $"'{path}' is not an SQLite database or its header is damaged: {ex.Message}", ex),
            SqliteCorrupt => new StorageException(StorageErrorCode.Corrupt, $"'{path}' is damaged: {ex.Message}", ex),
            SqliteCantOpen => new StorageException(StorageErrorCode.CannotOpen, $"Cannot open '{path}': {ex.Message}", ex),
            _ => new StorageException(StorageErrorCode.CannotOpen, $"Cannot open '{path}' (SQLite error {ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture)}): {ex.Message}", ex),
        };
    }

    /// <summary>
    /// Stops accepting writes (later writes throw <see cref="ObjectDisposedException"/>), waits until every write
    /// already queued is committed and its task completed, then closes the database. Idempotent: every call
    /// returns the same completion.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeLock)
        {
            _disposeTask ??= DisposeCoreAsync();
            return new ValueTask(_disposeTask);
        }
    }

    private async Task DisposeCoreAsync()
    {
        _closed = true;
        _logger.Closing(DatabasePath, _queue.Reader.Count);
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        try
        {
            _writer.Dispose();
            using var pooled = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        catch (SqliteException ex)
        {
            _logger.CloseFailed(DatabasePath, ex);
        }

        var statistics = Statistics;
        _logger.Closed(DatabasePath, statistics.CommittedWrites, statistics.CommittedTransactions);
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    private static void ValidateKey(DocumentKey key, string parameterName)
    {
        if (!DocumentKey.IsValidCollection(key.Collection) || !DocumentKey.IsValidId(key.Id))
        {
            throw new ArgumentException("The document key is default or invalid; create keys with DocumentKey.Create.", parameterName);
        }
    }

    private static void ValidateMetaKey(string key)
    {
        if (key is not { Length: > 0 and <= MaxMetaKeyLength })
        {
            throw new ArgumentException($"Meta keys are 1-{MaxMetaKeyLength} characters.", nameof(key));
        }
    }

    private static void ValidateTombstone(Tombstone tombstone)
    {
        ArgumentNullException.ThrowIfNull(tombstone);
        ValidateKey(tombstone.Key, nameof(tombstone));
        if (tombstone.DeletedBy is null)
        {
            throw new ArgumentException("Tombstone.DeletedBy is required.", nameof(tombstone));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(tombstone.DeletedBy) > MaxTombstoneTextBytes)
        {
            throw new ArgumentException($"Tombstone.DeletedBy is longer than {MaxTombstoneTextBytes} UTF-8 bytes.", nameof(tombstone));
        }

        if (tombstone.Reason is not null && System.Text.Encoding.UTF8.GetByteCount(tombstone.Reason) > MaxTombstoneTextBytes)
        {
            throw new ArgumentException($"Tombstone.Reason is longer than {MaxTombstoneTextBytes} UTF-8 bytes.", nameof(tombstone));
        }

        if (!Enum.IsDefined(tombstone.Direction))
        {
            throw new ArgumentException($"Tombstone.Direction {(byte)tombstone.Direction} is not defined.", nameof(tombstone));
        }
    }

    /// <summary>The bytes as an array the writer may hold: the caller's own array when it is exactly that, else a copy.</summary>
    private static byte[] AsArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
