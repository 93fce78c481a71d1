using PeatMesh.Storage;

namespace PeatMesh.Sync;

/// <summary>
/// Loaded documents, least recently used evicted beyond a capacity. Entries are only mutated while the
/// document's lock (<see cref="DocumentLocks"/>) is held; the cache's own lock guards the index.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class DocumentCache(int capacity)
{
    private readonly object _gate = new();
    private readonly Dictionary<DocumentKey, LinkedListNode<LoadedDocument>> _index = [];
    private readonly LinkedList<LoadedDocument> _lru = new();

    public bool TryGet(DocumentKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LoadedDocument? document)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                document = node.Value;
                return true;
            }
        }

        document = null;
        return false;
    }

    public void Put(LoadedDocument document)
    {
        lock (_gate)
        {
            if (_index.Remove(document.Key, out var old))
            {
                _lru.Remove(old);
            }

            _index[document.Key] = _lru.AddFirst(document);
            while (_index.Count > capacity)
            {
                var last = _lru.Last!;
                _lru.RemoveLast();
                _index.Remove(last.Value.Key);
            }
        }
    }

    public void Remove(DocumentKey key)
    {
        lock (_gate)
        {
            if (_index.Remove(key, out var node))
            {
                _lru.Remove(node);
            }
        }
    }
}
