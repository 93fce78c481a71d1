using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace PeatMesh.Storage;

/// <content>Reads, on pooled read-only connections (WAL lets them run beside the writer).</content>
public sealed partial class SqliteDocumentStore
{
    private const int DocumentPageSize = 64;
    private const int KeyPageSize = 1000;

    private const string SelectDocumentSql = """
        SELECT d.doc_id, d.id, d.total_bytes, d.chunk_count, d.revision, d.updated_at_ms, c.bytes
        FROM documents AS d LEFT JOIN chunks AS c ON c.doc_id = d.doc_id
        WHERE d.collection = $c AND d.id = $i
        ORDER BY c.ordinal
        """;

    // One statement per page, so each page (and each document in it) is one consistent snapshot.
    private const string SelectDocumentPageSql = """
        SELECT d.doc_id, d.id, d.total_bytes, d.chunk_count, d.revision, d.updated_at_ms, c.bytes
        FROM (SELECT doc_id, id, total_bytes, chunk_count, revision, updated_at_ms FROM documents
              WHERE collection = $c AND id > $after ORDER BY id LIMIT $limit) AS d
        LEFT JOIN chunks AS c ON c.doc_id = d.doc_id
        ORDER BY d.id, c.ordinal
        """;

    /// <inheritdoc/>
    public async ValueTask<StoredDocument?> GetAsync(DocumentKey key, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateKey(key, nameof(key));
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = SelectDocumentSql;
            command.Parameters.AddWithValue("$c", key.Collection);
            command.Parameters.AddWithValue("$i", key.Id);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var (document, _) = await ReadDocumentAsync(reader, key.Collection, cancellationToken).ConfigureAwait(false);
                return document;
            }
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredDocument> ListAsync(string collection, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (!DocumentKey.IsValidCollection(collection))
        {
            throw new ArgumentException("Invalid collection name: 1-64 characters of [A-Za-z0-9_.-].", nameof(collection));
        }

        return ListCoreAsync(collection, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<DocumentKey> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return ListKeysCoreAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<StoreCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM tombstones)";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new StoreCounts(reader.GetInt64(0), reader.GetInt64(1));
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<Tombstone?> GetTombstoneAsync(DocumentKey key, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateKey(key, nameof(key));
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT deleted_at_ms, lamport, deleted_by, reason, direction FROM tombstones WHERE collection = $c AND id = $i";
            command.Parameters.AddWithValue("$c", key.Collection);
            command.Parameters.AddWithValue("$i", key.Id);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? StorageRows.ReadTombstone(reader, key, firstColumn: 0)
                    : null;
            }
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<Tombstone> ListTombstonesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return ListTombstonesCoreAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<byte[]?> GetMetaAsync(string key, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateMetaKey(key);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM node_meta WHERE key = $k";
            command.Parameters.AddWithValue("$k", key);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var length = reader.GetBytes(0, 0, null, 0, 0);
                if (length > StorageOptions.MaxDocumentBytesLimit)
                {
                    throw new InvalidDataException($"The meta value '{key}' is {length} bytes, more than any store writes; the file is damaged.");
                }

                var value = new byte[length];
                reader.GetBytes(0, 0, value, 0, (int)length);
                return value;
            }
        }
    }

    private async IAsyncEnumerable<StoredDocument> ListCoreAsync(
        string collection,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            ThrowIfClosed();
            var count = 0;
            var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = connection.CreateCommand();
                command.CommandText = SelectDocumentPageSql;
                command.Parameters.AddWithValue("$c", collection);
                command.Parameters.AddWithValue("$after", after);
                command.Parameters.AddWithValue("$limit", DocumentPageSize);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var hasRow = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    while (hasRow)
                    {
                        var (document, more) = await ReadDocumentAsync(reader, collection, cancellationToken).ConfigureAwait(false);
                        hasRow = more;
                        count++;
                        after = document.Key.Id;
                        yield return document;
                    }
                }
            }

            if (count < DocumentPageSize)
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerable<DocumentKey> ListKeysCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string Sql = "SELECT collection, id FROM documents WHERE (collection, id) > ($c, $i) ORDER BY collection, id LIMIT $limit";
        await foreach (var row in ReadKeyPagesAsync(Sql, static (reader, key) => key, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    private async IAsyncEnumerable<Tombstone> ListTombstonesCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT collection, id, deleted_at_ms, lamport, deleted_by, reason, direction FROM tombstones
            WHERE (collection, id) > ($c, $i) ORDER BY collection, id LIMIT $limit
            """;
        await foreach (var row in ReadKeyPagesAsync(Sql, static (reader, key) => StorageRows.ReadTombstone(reader, key, firstColumn: 2), cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    /// <summary>Keyset pagination over rows whose first two columns are <c>collection, id</c>.</summary>
    private async IAsyncEnumerable<T> ReadKeyPagesAsync<T>(
        string sql,
        Func<SqliteDataReader, DocumentKey, T> project,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var afterCollection = string.Empty;
        var afterId = string.Empty;
        while (true)
        {
            ThrowIfClosed();
            var page = new List<T>(KeyPageSize);
            var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.AddWithValue("$c", afterCollection);
                command.Parameters.AddWithValue("$i", afterId);
                command.Parameters.AddWithValue("$limit", KeyPageSize);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var key = StorageRows.ReadKey(reader, 0, 1);
                        page.Add(project(reader, key));
                        afterCollection = key.Collection;
                        afterId = key.Id;
                    }
                }
            }

            // The page is buffered (keys and tombstones are small) so no connection is held while the caller works.
            foreach (var item in page)
            {
                yield return item;
            }

            if (page.Count < KeyPageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Reads the rows of one document (the reader is on its first row) into one buffer sized from the
    /// document row, checking every length before copying.
    /// </summary>
    /// <returns>The document, and whether the reader is on a row of a further document.</returns>
    private static async ValueTask<(StoredDocument Document, bool MoreRows)> ReadDocumentAsync(
        SqliteDataReader reader,
        string collection,
        CancellationToken cancellationToken)
    {
        var docId = reader.GetInt64(0);
        if (!DocumentKey.TryCreate(collection, reader.GetString(1), out var key))
        {
            throw new InvalidDataException("The database holds an invalid document id; the file is damaged.");
        }

        var totalBytes = reader.GetInt64(2);
        var chunkCount = reader.GetInt64(3);
        var revision = reader.GetInt64(4);
        var updatedAt = StorageRows.FromUnixMilliseconds(reader.GetInt64(5), key);
        if (totalBytes is < 0 or > StorageOptions.MaxDocumentBytesLimit || chunkCount is < 0 or > int.MaxValue || revision < 1)
        {
            throw new InvalidDataException($"The stored header of {key} is out of range; the file is damaged.");
        }

        var buffer = totalBytes == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)totalBytes);
        var offset = 0;
        var chunks = 0;
        bool more;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!reader.IsDBNull(6))
            {
                var length = reader.GetBytes(6, 0, null, 0, 0);
                if (length > buffer.Length - offset)
                {
                    throw new InvalidDataException($"The chunks of {key} hold more bytes than its header says; the file is damaged.");
                }

                reader.GetBytes(6, 0, buffer, offset, (int)length);
                offset += (int)length;
                chunks++;
            }

            more = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        while (more && reader.GetInt64(0) == docId);

        if (offset != buffer.Length || chunks != chunkCount)
        {
            throw new InvalidDataException($"The chunks of {key} do not match its header ({chunks} of {chunkCount} chunks, {offset} of {totalBytes} bytes); the file is damaged.");
        }

        return (new StoredDocument(key, buffer, updatedAt, revision, chunks), more);
    }

    private async ValueTask<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
