using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PeatMesh.Storage;

/// <summary>
/// The on-disk schema of <see cref="SqliteDocumentStore"/> and the checks run when a database is opened:
/// <c>PRAGMA application_id</c> marks the file as PeatMesh's, <c>PRAGMA user_version</c> is the schema version.
/// </summary>
/// <remarks>Stateless; callers serialize use of the connection they pass.</remarks>
internal static class SqliteSchema
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary><c>PRAGMA application_id</c> of PeatMesh databases: the ASCII bytes "PEAT" (0x50454154).</summary>
    public const int ApplicationId = 0x50454154;

    private static readonly string[] Tables = ["documents", "chunks", "tombstones", "node_meta"];

    // Version 1. Documents are split into a per-document row and ordered chunks; the chunk rows of one
    // document are deleted with it (foreign key, ON DELETE CASCADE). Lamport clocks are u64 stored as the
    // same 64 bits in a signed INTEGER and compared in code, never in SQL.
    private const string CreateV1 = """
        CREATE TABLE documents (
            doc_id        INTEGER PRIMARY KEY,
            collection    TEXT    NOT NULL,
            id            TEXT    NOT NULL,
            total_bytes   INTEGER NOT NULL CHECK (total_bytes >= 0),
            chunk_count   INTEGER NOT NULL CHECK (chunk_count >= 0),
            revision      INTEGER NOT NULL CHECK (revision >= 1),
            updated_at_ms INTEGER NOT NULL,
            UNIQUE (collection, id)
        ) STRICT;
        CREATE TABLE chunks (
            doc_id  INTEGER NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
            bytes   BLOB    NOT NULL,
            PRIMARY KEY (doc_id, ordinal)
        ) STRICT;
        CREATE TABLE tombstones (
            collection    TEXT    NOT NULL,
            id            TEXT    NOT NULL,
            deleted_at_ms INTEGER NOT NULL,
            lamport       INTEGER NOT NULL,
            deleted_by    TEXT    NOT NULL,
            reason        TEXT,
            direction     INTEGER NOT NULL CHECK (direction BETWEEN 0 AND 3),
            PRIMARY KEY (collection, id)
        ) STRICT;
        CREATE INDEX tombstones_by_deleted_at ON tombstones (deleted_at_ms);
        CREATE TABLE node_meta (
            key   TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) STRICT;
        """;

    /// <summary>
    /// Switches the writer connection to WAL with the configured durability, then checks or creates the
    /// schema in one immediate transaction.
    /// </summary>
    /// <returns>Whether the schema was created (a fresh database).</returns>
    /// <exception cref="StorageException">The file is not a usable PeatMesh database.</exception>
    /// <exception cref="SqliteException">Another SQLite failure (the caller classifies it).</exception>
    public static bool Initialize(SqliteConnection connection, string databasePath, StorageOptions options)
    {
        var journalMode = ExecuteScalar(connection, "PRAGMA journal_mode = WAL") as string;
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageException(
                StorageErrorCode.WalUnavailable,
                $"SQLite could not enable write-ahead logging for '{databasePath}' (journal_mode is '{journalMode}').");
        }

        var synchronous = options.Synchronous == StorageSynchronousMode.Full ? "FULL" : "NORMAL";
        Execute(connection, "PRAGMA synchronous = " + synchronous);
        Execute(connection, "PRAGMA foreign_keys = ON");
        Execute(connection, "PRAGMA busy_timeout = " + ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));

        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            var created = CheckOrCreate(connection, databasePath);
            Execute(connection, "COMMIT");
            return created;
        }
        catch
        {
            TryExecute(connection, "ROLLBACK");
            throw;
        }
    }

    private static bool CheckOrCreate(SqliteConnection connection, string databasePath)
    {
        var applicationId = Convert.ToInt64(ExecuteScalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt64(ExecuteScalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        var tableCount = Convert.ToInt64(
            ExecuteScalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"),
            CultureInfo.InvariantCulture);

        if (applicationId == 0 && version == 0 && tableCount == 0)
        {
            Execute(connection, CreateV1);
            Execute(connection, "PRAGMA application_id = " + ApplicationId.ToString(CultureInfo.InvariantCulture));
            Execute(connection, "PRAGMA user_version = " + CurrentVersion.ToString(CultureInfo.InvariantCulture));
            return true;
        }

        if (applicationId != ApplicationId)
        {
            throw new StorageException(
                StorageErrorCode.NotPeatMeshDatabase,
                $"'{databasePath}' is an SQLite database not written by PeatMesh (application_id {applicationId}, user_version {version}, {tableCount} tables); refusing to use it.");
        }

        if (version > CurrentVersion)
        {
            throw new StorageException(
                StorageErrorCode.UnsupportedSchemaVersion,
                $"'{databasePath}' has schema version {version}, written by a newer PeatMesh; this build supports version {CurrentVersion} only. Upgrade PeatMesh or point it at another data directory.");
        }

        if (version < CurrentVersion)
        {
            throw new StorageException(
                StorageErrorCode.Corrupt,
                $"'{databasePath}' is marked as a PeatMesh database but has schema version {version}; expected {CurrentVersion}.");
        }

        var present = Convert.ToInt64(
            ExecuteScalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('" + string.Join("', '", Tables) + "')"),
            CultureInfo.InvariantCulture);
        if (present != Tables.Length)
        {
            throw new StorageException(
                StorageErrorCode.Corrupt,
                $"'{databasePath}' has schema version {version} but only {present} of its {Tables.Length} tables.");
        }

        return false;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? ExecuteScalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void TryExecute(SqliteConnection connection, string sql)
    {
        try
        {
            Execute(connection, sql);
        }
        catch (SqliteException)
        {
            // Best effort: the transaction may already be gone.
        }
    }
}
