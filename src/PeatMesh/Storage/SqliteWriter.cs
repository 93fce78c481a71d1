using Microsoft.Data.Sqlite;

namespace PeatMesh.Storage;

/// <summary>
/// The single write connection of a <see cref="SqliteDocumentStore"/> with its prepared statements, reused
/// for every write (statements are compiled once per store). Transactions are driven with explicit
/// <c>BEGIN IMMEDIATE</c>/<c>SAVEPOINT</c>/<c>COMMIT</c> statements so the same commands serve every batch.
/// </summary>
/// <remarks>Not thread-safe: only the store's writer loop uses it.</remarks>
internal sealed class SqliteWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly int _maxDocumentBytes;
    private readonly List<SqliteCommand> _commands = [];

    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackToSavepoint;

    private readonly SqliteCommand _selectTombstone;
    private readonly SqliteCommand _selectDocument;
    private readonly SqliteCommand _insertDocument;
    private readonly SqliteCommand _updateDocument;
    private readonly SqliteCommand _insertChunk;
    private readonly SqliteCommand _deleteChunks;
    private readonly SqliteCommand _deleteDocument;
    private readonly SqliteCommand _upsertTombstone;
    private readonly SqliteCommand _deleteTombstone;
    private readonly SqliteCommand _purgeTombstones;
    private readonly SqliteCommand _upsertMeta;

    // Row-count changes of the open transaction (and as of its last savepoint), applied to the store's counts on commit.
    private long _documentDelta;
    private long _tombstoneDelta;
    private long _savedDocumentDelta;
    private long _savedTombstoneDelta;

    public SqliteWriter(SqliteConnection connection, int maxDocumentBytes)
    {
        _connection = connection;
        _maxDocumentBytes = maxDocumentBytes;

        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _savepoint = Prepare("SAVEPOINT write_op");
        _release = Prepare("RELEASE write_op");
        _rollbackToSavepoint = Prepare("ROLLBACK TO write_op");

        _selectTombstone = Prepare(
            "SELECT deleted_at_ms, lamport, deleted_by, reason, direction FROM tombstones WHERE collection = $c AND id = $i",
            "$c", "$i");
        _selectDocument = Prepare(
            "SELECT doc_id, total_bytes, chunk_count, revision FROM documents WHERE collection = $c AND id = $i",
            "$c", "$i");
        _insertDocument = Prepare(
            "INSERT INTO documents (collection, id, total_bytes, chunk_count, revision, updated_at_ms) VALUES ($c, $i, $total, $chunks, 1, $now) RETURNING doc_id",
            "$c", "$i", "$total", "$chunks", "$now");
        _updateDocument = Prepare(
            "UPDATE documents SET total_bytes = $total, chunk_count = $chunks, revision = revision + 1, updated_at_ms = $now WHERE doc_id = $doc",
            "$total", "$chunks", "$now", "$doc");
        _insertChunk = Prepare(
            "INSERT INTO chunks (doc_id, ordinal, bytes) VALUES ($doc, $ordinal, $bytes)",
            "$doc", "$ordinal", "$bytes");
        _deleteChunks = Prepare("DELETE FROM chunks WHERE doc_id = $doc", "$doc");
        _deleteDocument = Prepare("DELETE FROM documents WHERE collection = $c AND id = $i", "$c", "$i");
        _upsertTombstone = Prepare(
            """
            INSERT INTO tombstones (collection, id, deleted_at_ms, lamport, deleted_by, reason, direction)
            VALUES ($c, $i, $at, $lamport, $by, $reason, $direction)
            ON CONFLICT (collection, id) DO UPDATE SET
                deleted_at_ms = excluded.deleted_at_ms, lamport = excluded.lamport, deleted_by = excluded.deleted_by,
                reason = excluded.reason, direction = excluded.direction
            """,
            "$c", "$i", "$at", "$lamport", "$by", "$reason", "$direction");
        _deleteTombstone = Prepare("DELETE FROM tombstones WHERE collection = $c AND id = $i", "$c", "$i");
        _purgeTombstones = Prepare("DELETE FROM tombstones WHERE deleted_at_ms < $before", "$before");
        _upsertMeta = Prepare(
            "INSERT INTO node_meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            "$k", "$v");
    }

    public void Begin()
    {
        _begin.ExecuteNonQuery();
        (_documentDelta, _tombstoneDelta) = (0, 0);
    }

    /// <summary>Commits; returns how many documents and tombstones the transaction added (negative: removed).</summary>
    public StoreCounts Commit()
    {
        _commit.ExecuteNonQuery();
        var delta = new StoreCounts(_documentDelta, _tombstoneDelta);
        (_documentDelta, _tombstoneDelta) = (0, 0);
        return delta;
    }

    public void Savepoint()
    {
        _savepoint.ExecuteNonQuery();
        (_savedDocumentDelta, _savedTombstoneDelta) = (_documentDelta, _tombstoneDelta);
    }

    /// <summary>Counts the stored documents and tombstones (once, when the store opens).</summary>
    public StoreCounts Count()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM tombstones)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return new StoreCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    public void ReleaseSavepoint() => _release.ExecuteNonQuery();

    /// <summary>Undoes the current operation's changes; false when the transaction itself is gone.</summary>
    public bool TryRollbackToSavepoint()
    {
        try
        {
            _rollbackToSavepoint.ExecuteNonQuery();
            _release.ExecuteNonQuery();
            (_documentDelta, _tombstoneDelta) = (_savedDocumentDelta, _savedTombstoneDelta);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Rolls back the open transaction, if SQLite has not already done so.</summary>
    public void TryRollback()
    {
        (_documentDelta, _tombstoneDelta) = (0, 0);
        try
        {
            _rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // "cannot rollback - no transaction is active": SQLite already rolled it back.
        }
    }

    public StoreWriteResult Append(DocumentKey key, byte[] bytes, long nowMs)
    {
        if (HasTombstone(key))
        {
            return StoreWriteResult.Tombstoned;
        }

        var existing = FindDocument(key);
        if (existing is not { } document)
        {
            if (bytes.Length > _maxDocumentBytes)
            {
                return StoreWriteResult.DocumentTooLarge;
            }

            InsertDocument(key, bytes, nowMs);
            return StoreWriteResult.Written;
        }

        if (bytes.Length == 0)
        {
            return StoreWriteResult.Written;
        }

        if (document.TotalBytes + bytes.Length > _maxDocumentBytes)
        {
            return StoreWriteResult.DocumentTooLarge;
        }

        InsertChunk(document.DocId, document.ChunkCount, bytes);
        UpdateDocument(document.DocId, document.TotalBytes + bytes.Length, document.ChunkCount + 1, nowMs);
        return StoreWriteResult.Written;
    }

    public StoreWriteResult Replace(DocumentKey key, byte[] bytes, long? expectedRevision, long nowMs)
    {
        if (HasTombstone(key))
        {
            return StoreWriteResult.Tombstoned;
        }

        var existing = FindDocument(key);
        if (expectedRevision is { } expected && (existing?.Revision ?? 0) != expected)
        {
            return StoreWriteResult.RevisionMismatch;
        }

        if (bytes.Length > _maxDocumentBytes)
        {
            return StoreWriteResult.DocumentTooLarge;
        }

        if (existing is not { } document)
        {
            InsertDocument(key, bytes, nowMs);
            return StoreWriteResult.Written;
        }

        _deleteChunks.Parameters[0].Value = document.DocId;
        _deleteChunks.ExecuteNonQuery();
        if (bytes.Length > 0)
        {
            InsertChunk(document.DocId, 0, bytes);
        }

        UpdateDocument(document.DocId, bytes.Length, bytes.Length > 0 ? 1 : 0, nowMs);
        return StoreWriteResult.Written;
    }

    public TombstoneWriteResult PutTombstone(Tombstone tombstone)
    {
        var existing = FindTombstone(tombstone.Key);
        if (existing is not null && !tombstone.Supersedes(existing))
        {
            return TombstoneWriteResult.Superseded;
        }

        var p = _upsertTombstone.Parameters;
        p[0].Value = tombstone.Key.Collection;
        p[1].Value = tombstone.Key.Id;
        p[2].Value = tombstone.DeletedAt.ToUnixTimeMilliseconds();
        p[3].Value = unchecked((long)tombstone.Lamport);
        p[4].Value = tombstone.DeletedBy;
        p[5].Value = (object?)tombstone.Reason ?? DBNull.Value;
        p[6].Value = (long)tombstone.Direction;
        _upsertTombstone.ExecuteNonQuery();
        if (existing is null)
        {
            _tombstoneDelta++;
        }

        _deleteDocument.Parameters[0].Value = tombstone.Key.Collection;
        _deleteDocument.Parameters[1].Value = tombstone.Key.Id;
        _documentDelta -= _deleteDocument.ExecuteNonQuery();
        return TombstoneWriteResult.Stored;
    }

    public bool RemoveTombstone(DocumentKey key)
    {
        _deleteTombstone.Parameters[0].Value = key.Collection;
        _deleteTombstone.Parameters[1].Value = key.Id;
        var removed = _deleteTombstone.ExecuteNonQuery();
        _tombstoneDelta -= removed;
        return removed > 0;
    }

    public int PurgeTombstones(long deletedBeforeMs)
    {
        _purgeTombstones.Parameters[0].Value = deletedBeforeMs;
        var purged = _purgeTombstones.ExecuteNonQuery();
        _tombstoneDelta -= purged;
        return purged;
    }

    public void SetMeta(string key, byte[] value)
    {
        _upsertMeta.Parameters[0].Value = key;
        _upsertMeta.Parameters[1].Value = value;
        try
        {
            _upsertMeta.ExecuteNonQuery();
        }
        finally
        {
            _upsertMeta.Parameters[1].Value = DBNull.Value;
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private bool HasTombstone(DocumentKey key) => FindTombstone(key) is not null;

    private Tombstone? FindTombstone(DocumentKey key)
    {
        _selectTombstone.Parameters[0].Value = key.Collection;
        _selectTombstone.Parameters[1].Value = key.Id;
        using var reader = _selectTombstone.ExecuteReader();
        return reader.Read() ? StorageRows.ReadTombstone(reader, key, firstColumn: 0) : null;
    }

    private DocumentRow? FindDocument(DocumentKey key)
    {
        _selectDocument.Parameters[0].Value = key.Collection;
        _selectDocument.Parameters[1].Value = key.Id;
        using var reader = _selectDocument.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new DocumentRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt64(3));
    }

    private void InsertDocument(DocumentKey key, byte[] bytes, long nowMs)
    {
        var p = _insertDocument.Parameters;
        p[0].Value = key.Collection;
        p[1].Value = key.Id;
        p[2].Value = (long)bytes.Length;
        p[3].Value = bytes.Length > 0 ? 1L : 0L;
        p[4].Value = nowMs;
        var docId = Convert.ToInt64(_insertDocument.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        _documentDelta++;
        if (bytes.Length > 0)
        {
            InsertChunk(docId, 0, bytes);
        }
    }

    private void InsertChunk(long docId, int ordinal, byte[] bytes)
    {
        var p = _insertChunk.Parameters;
        p[0].Value = docId;
        p[1].Value = (long)ordinal;
        p[2].Value = bytes;
        try
        {
            _insertChunk.ExecuteNonQuery();
        }
        finally
        {
            p[2].Value = DBNull.Value; // do not keep the caller's buffer alive
        }
    }

    private void UpdateDocument(long docId, long totalBytes, int chunkCount, long nowMs)
    {
        var p = _updateDocument.Parameters;
        p[0].Value = totalBytes;
        p[1].Value = (long)chunkCount;
        p[2].Value = nowMs;
        p[3].Value = docId;
        _updateDocument.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        _commands.Add(command);
        return command;
    }

    private readonly record struct DocumentRow(long DocId, long TotalBytes, int ChunkCount, long Revision);
}
