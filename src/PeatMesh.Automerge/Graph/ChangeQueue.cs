using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Graph;

/// <summary>
/// Changes received before their dependencies, each filed under the first dependency it still lacks
/// so it is reconsidered exactly when that dependency is applied.
/// </summary>
/// <remarks>Not thread-safe; owned by one <see cref="AutomergeDocument"/>.</remarks>
internal sealed class ChangeQueue
{
    private readonly Dictionary<ChangeHash, Change> _pending = [];
    private readonly Dictionary<ChangeHash, List<ChangeHash>> _waiting = [];

    /// <summary>Number of queued changes.</summary>
    public int Count => _pending.Count;

    /// <summary>The queued changes (no particular order).</summary>
    public IEnumerable<Change> Changes => _pending.Values;

    /// <summary>Whether the change is queued.</summary>
    public bool Contains(ChangeHash hash) => _pending.ContainsKey(hash);

    /// <summary>Queues <paramref name="change"/> until <paramref name="missingDep"/> is applied.</summary>
    public void Park(Change change, ChangeHash missingDep)
    {
        _pending[change.Hash] = change;
        if (!_waiting.TryGetValue(missingDep, out var list))
        {
            list = [];
            _waiting.Add(missingDep, list);
        }

        list.Add(change.Hash);
    }

    /// <summary>Removes and returns the changes that were waiting for <paramref name="applied"/>.</summary>
    public List<Change> Release(ChangeHash applied)
    {
        var released = new List<Change>();
        if (_waiting.Remove(applied, out var list))
        {
            foreach (var hash in list)
            {
                if (_pending.Remove(hash, out var change))
                {
                    released.Add(change);
                }
            }
        }

        return released;
    }
}
