using PeatMesh.Automerge;
using PeatMesh.Automerge.Model;
using PeatMesh.Storage;

namespace PeatMesh.Sync;

public sealed partial class DocumentService
{
    /// <summary>The node's Lamport clock.</summary>
    internal LamportClock Clock => _clock;

    /// <summary>Runs <paramref name="action"/> with exclusive access to the document (loaded, or a new empty one).</summary>
    internal async Task<T> WithDocumentAsync<T>(DocumentKey key, Func<LoadedDocument, Task<T>> action, CancellationToken cancellationToken)
    {
        using (await _locks.AcquireAsync(key, cancellationToken).ConfigureAwait(false))
        {
            var loaded = await LoadAsync(key, cancellationToken).ConfigureAwait(false)
                ?? new LoadedDocument(key, new AutomergeDocument(_actor), stored: false);
            if (!loaded.Stored)
            {
                _cache.Put(loaded);
            }

            return await action(loaded).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Persists the changes of <paramref name="loaded"/> made since its last persist (durable on return)
    /// and raises <see cref="DocumentChanged"/> for remote origins.
    /// </summary>
    /// <returns>
    /// <see cref="StoreWriteResult.Written"/>, or why the store refused (a tombstone, or the size limit); on
    /// refusal the in-memory copy is dropped so that the next access reloads the durable state.
    /// </returns>
    internal async Task<StoreWriteResult> PersistAsync(LoadedDocument loaded, CancellationToken cancellationToken, string? remoteOrigin = null)
    {
        var heads = loaded.Document.Heads;
        if (heads.SequenceEqual(loaded.PersistedHeads))
        {
            return StoreWriteResult.Written;
        }

        var changes = loaded.Document.GetChanges(loaded.PersistedHeads);
        var compact = loaded.Stored && loaded.StoredChunks + 1 >= _options.CompactAfterChunks;
        var result = compact
            ? await _store.ReplaceAsync(loaded.Key, loaded.Document.Save(), cancellationToken).ConfigureAwait(false)
            : await _store.AppendAsync(loaded.Key, Concatenate(changes), cancellationToken).ConfigureAwait(false);
        if (result != StoreWriteResult.Written)
        {
            _cache.Remove(loaded.Key);
            return result;
        }

        loaded.StoredChunks = compact ? 1 : loaded.StoredChunks + 1;
        loaded.PersistedHeads = heads;
        loaded.Stored = true;
        _cache.Put(loaded);
        if (remoteOrigin is not null)
        {
            SyncLog.DocumentReceived(_logger, loaded.Key, remoteOrigin, changes.Count);
            Raise(new DocumentEvent(loaded.Key, DocumentEventKind.Changed, remoteOrigin));
        }

        return StoreWriteResult.Written;
    }

    private static byte[] Concatenate(IReadOnlyList<Change> changes)
    {
        var bytes = new byte[changes.Sum(c => c.RawBytes.Length)];
        var offset = 0;
        foreach (var change in changes)
        {
            change.RawBytes.Span.CopyTo(bytes.AsSpan(offset));
            offset += change.RawBytes.Length;
        }

        return bytes;
    }

    /// <summary>Every stored document key.</summary>
    internal async Task<IReadOnlyList<DocumentKey>> ListKeysAsync(CancellationToken cancellationToken)
    {
        var keys = new List<DocumentKey>();
        await foreach (var key in _store.ListKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>Every tombstone (from the in-memory index, which mirrors the store).</summary>
    internal IReadOnlyList<Tombstone> Tombstones => [.. _tombstones.Values];

    /// <summary>The tombstone for <paramref name="key"/>, if the document was deleted.</summary>
    internal Tombstone? GetTombstone(DocumentKey key) => _tombstones.GetValueOrDefault(key);

    /// <summary>
    /// Applies a tombstone received from a peer: deletes the document and records the tombstone.
    /// </summary>
    /// <returns><see langword="true"/> when the tombstone was new to this node (so it should be forwarded).</returns>
    internal async Task<bool> ApplyRemoteTombstoneAsync(Tombstone tombstone, string origin, CancellationToken cancellationToken)
    {
        _clock.Observe(tombstone.Lamport);
        using (await _locks.AcquireAsync(tombstone.Key, cancellationToken).ConfigureAwait(false))
        {
            if (_tombstones.ContainsKey(tombstone.Key))
            {
                return false;
            }

            await _store.DeleteAsync(tombstone, cancellationToken).ConfigureAwait(false);
            _tombstones[tombstone.Key] = tombstone;
            _cache.Remove(tombstone.Key);
        }

        SyncLog.DocumentDeleted(_logger, tombstone.Key, origin);
        Raise(new DocumentEvent(tombstone.Key, DocumentEventKind.Deleted, origin, tombstone));
        return true;
    }

    /// <summary>Loads from the cache, else from the store; null when neither has it.</summary>
    private async Task<LoadedDocument?> LoadAsync(DocumentKey key, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var stored = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var document = AutomergeDocument.Load(stored.Bytes.Span, _actor);
        var loaded = new LoadedDocument(key, document, stored: true, stored.ChunkCount);
        _cache.Put(loaded);
        return loaded;
    }
}
