using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PeatMesh.Automerge;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;
using PeatMesh.Storage;

namespace PeatMesh.Sync;

/// <summary>
/// The node's documents: JSON reads and writes for the broker (PUT replaces, PATCH is an RFC 7396 merge
/// patch, DELETE records a tombstone), backed by Automerge documents in memory and the durable store.
/// A write's task completes only after the change is durable. Every change and delete is announced on
/// <see cref="DocumentChanged"/>, which the <see cref="SyncCoordinator"/> turns into pushes to peers.
/// </summary>
/// <remarks>
/// Thread-safe. Work on one document is serialized; different documents proceed concurrently.
/// Documents are exposed as JSON the way the reference's broker does: the root map as an object with
/// <c>_id</c> added. Strings are stored as Automerge string scalars (last writer wins per field),
/// nested objects as maps (so concurrent edits of different fields merge).
/// </remarks>
public sealed partial class DocumentService
{
    private readonly IDocumentStore _store;
    private readonly ActorId _actor;
    private readonly string _nodeId;
    private readonly LamportClock _clock;
    private readonly SyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DocumentLocks _locks = new();
    private readonly DocumentCache _cache;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DocumentKey, Tombstone> _tombstones = new();

    /// <summary>Creates the service.</summary>
    /// <param name="store">Durable storage.</param>
    /// <param name="actor">The Automerge actor id for this node's changes (stable across restarts).</param>
    /// <param name="nodeId">This node's id (recorded in tombstones as <c>deleted_by</c>).</param>
    /// <param name="clock">The node's Lamport clock (stamped on tombstones).</param>
    /// <param name="options">Sync options (validated).</param>
    /// <param name="timeProvider">Clock for timestamps.</param>
    /// <param name="logger">Logger (category <c>PeatMesh.Sync</c>).</param>
    public DocumentService(IDocumentStore store, ActorId actor, string nodeId, LamportClock clock, SyncOptions options,
        TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _store = store;
        _actor = actor;
        _nodeId = nodeId;
        _clock = clock;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _cache = new DocumentCache(options.DocumentCacheCapacity);
    }

    /// <summary>Loads the tombstone index from the store. Call once before use.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var tombstone in _store.ListTombstonesAsync(cancellationToken).ConfigureAwait(false))
        {
            _tombstones[tombstone.Key] = tombstone;
            _clock.Observe(tombstone.Lamport);
        }
    }

    /// <summary>Raised after a change or delete is durable. Handlers must not block.</summary>
    public event Action<DocumentEvent>? DocumentChanged;

    /// <summary>The document as JSON (with <c>_id</c>), or <see langword="null"/> when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(DocumentKey key, CancellationToken cancellationToken = default)
    {
        using (await _locks.AcquireAsync(key, cancellationToken).ConfigureAwait(false))
        {
            var loaded = await LoadAsync(key, cancellationToken).ConfigureAwait(false);
            return loaded is { Stored: true } ? ToJson(loaded) : null;
        }
    }

    /// <summary>Every document of <paramref name="collection"/> as JSON, ordered by id.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string collection, CancellationToken cancellationToken = default)
    {
        var result = new List<JsonObject>();
        await foreach (var stored in _store.ListAsync(collection, cancellationToken).ConfigureAwait(false))
        {
            var json = await GetAsync(stored.Key, cancellationToken).ConfigureAwait(false);
            if (json is not null)
            {
                result.Add(json);
            }
        }

        return result;
    }

    /// <summary>
    /// Creates or replaces a document with the JSON object <paramref name="body"/> (keys absent from the
    /// body are removed; unchanged values produce no Automerge ops).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="body"/> is not a JSON object, or nests too deeply.</exception>
    public Task<DocumentWriteResult> PutAsync(DocumentKey key, JsonElement body, CancellationToken cancellationToken = default)
    {
        var target = ToTarget(body);
        return WriteAsync(key, _ => target, createIfMissing: true, cancellationToken);
    }

    /// <summary>Applies an RFC 7396 JSON merge patch to an existing document.</summary>
    /// <exception cref="ArgumentException"><paramref name="patch"/> is not a JSON object, or nests too deeply.</exception>
    public Task<DocumentWriteResult> PatchAsync(DocumentKey key, JsonElement patch, CancellationToken cancellationToken = default)
    {
        var patchNode = ToTarget(patch);
        return WriteAsync(key, current => JsonMergePatch.Apply(current, patchNode), createIfMissing: false, cancellationToken);
    }

    /// <summary>Deletes a document, recording a tombstone that is replicated to peers.</summary>
    /// <returns><see cref="DocumentWriteStatus.Updated"/> when deleted, <see cref="DocumentWriteStatus.NotFound"/> or <see cref="DocumentWriteStatus.Deleted"/> otherwise.</returns>
    public async Task<DocumentWriteStatus> DeleteAsync(DocumentKey key, string? reason = null, CancellationToken cancellationToken = default)
    {
        Tombstone tombstone;
        using (await _locks.AcquireAsync(key, cancellationToken).ConfigureAwait(false))
        {
            if (_tombstones.ContainsKey(key))
            {
                return DocumentWriteStatus.Deleted;
            }

            var loaded = await LoadAsync(key, cancellationToken).ConfigureAwait(false);
            if (loaded is not { Stored: true })
            {
                return DocumentWriteStatus.NotFound;
            }

            tombstone = new Tombstone(key, _time.GetUtcNow(), _clock.Tick(), _nodeId, reason);
            await _store.DeleteAsync(tombstone, cancellationToken).ConfigureAwait(false);
            _tombstones[key] = tombstone;
            _cache.Remove(key);
        }

        SyncLog.DocumentDeleted(_logger, key, "local");
        Raise(new DocumentEvent(key, DocumentEventKind.Deleted, null, tombstone));
        return DocumentWriteStatus.Updated;
    }

    private async Task<DocumentWriteResult> WriteAsync(DocumentKey key, Func<JsonObject, JsonObject> target, bool createIfMissing,
        CancellationToken cancellationToken)
    {
        DocumentWriteResult result;
        using (await _locks.AcquireAsync(key, cancellationToken).ConfigureAwait(false))
        {
            if (_tombstones.ContainsKey(key))
            {
                return new DocumentWriteResult(DocumentWriteStatus.Deleted, null);
            }

            var loaded = await LoadAsync(key, cancellationToken).ConfigureAwait(false);
            var existed = loaded is { Stored: true };
            if (!existed && !createIfMissing)
            {
                return new DocumentWriteResult(DocumentWriteStatus.NotFound, null);
            }

            loaded ??= new LoadedDocument(key, new AutomergeDocument(_actor), stored: false);
            var current = existed ? ToJson(loaded, withId: false) : [];
            var desired = target(current);
            if (JsonSerializer.SerializeToUtf8Bytes(desired).Length > _options.MaxDocumentBytes)
            {
                return new DocumentWriteResult(DocumentWriteStatus.TooLarge, null);
            }

            using (var transaction = loaded.Document.BeginTransaction())
            {
                using var json = JsonDocument.Parse(desired.ToJsonString());
                AutomergeJson.Update(transaction, ObjId.Root, json.RootElement);
                transaction.Commit(time: _time.GetUtcNow().ToUnixTimeSeconds());
            }

            switch (await PersistAsync(loaded, cancellationToken).ConfigureAwait(false))
            {
                case StoreWriteResult.Written:
                    break;
                case StoreWriteResult.Tombstoned:
                    return new DocumentWriteResult(DocumentWriteStatus.Deleted, null);
                default:
                    return new DocumentWriteResult(DocumentWriteStatus.TooLarge, null);
            }

            result = new DocumentWriteResult(existed ? DocumentWriteStatus.Updated : DocumentWriteStatus.Created, ToJson(loaded));
        }

        Raise(new DocumentEvent(key, DocumentEventKind.Changed, null));
        return result;
    }

    private static JsonObject ToTarget(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("A document must be a JSON object.", nameof(body));
        }

        var node = JsonObject.Create(body.Clone()) ?? [];
        node.Remove("_id");
        return node;
    }

    private static JsonObject ToJson(LoadedDocument loaded, bool withId = true)
    {
        var node = AutomergeJson.ToJsonNode(loaded.Document) as JsonObject ?? [];
        if (withId)
        {
            node["_id"] = loaded.Key.Id;
        }

        return node;
    }

    private void Raise(DocumentEvent documentEvent) =>
        Internal.EventHandlers.Raise(DocumentChanged, documentEvent, e => SyncLog.HandlerFailed(_logger, e));
}
