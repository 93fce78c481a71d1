using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge;

public sealed partial class AutomergeDocument
{
    /// <summary>
    /// Applies changes from another replica. Changes already known are ignored; changes whose
    /// dependencies are missing are queued and applied as soon as those dependencies arrive (in this or
    /// a later call). Each change is applied atomically: a change inconsistent with the document is
    /// rejected whole; the other changes of the batch are still applied.
    /// </summary>
    /// <param name="changes">The changes, in any order.</param>
    /// <returns>The number of changes applied by this call (including queued ones it released).</returns>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    /// <exception cref="AutomergeFormatException">
    /// At least one change was rejected (not encodable, bad seq, overlapping op counters, an op on an unknown
    /// object or element, an illegal action, a change a document chunk could not record, such as
    /// a predecessor that is not an op at the same key of the same object or a delete without predecessors);
    /// thrown after the rest of the batch was applied.
    /// </exception>
    public int ApplyChanges(IEnumerable<Change> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        EnsureNoTransaction();
        var seen = new HashSet<ChangeHash>();
        var ready = new Queue<Change>();
        var applied = 0;
        AutomergeFormatException? firstError = null;
        foreach (var change in changes)
        {
            ArgumentNullException.ThrowIfNull(change, nameof(changes));
            ChangeHash hash;
            try
            {
                hash = change.Hash;
            }
            catch (ArgumentException e)
            {
                // An in-memory change the canonical encoder refuses (e.g. an increment by a string).
                firstError ??= new AutomergeFormatException("Change cannot be encoded: " + e.Message, e);
                continue;
            }

            if (_graph.Contains(hash) || _queue.Contains(hash) || !seen.Add(hash))
            {
                continue;
            }

            // Apply in input order whenever the dependencies are present, so a topologically ordered
            // input (Save output, GetChanges) keeps its order; release queued dependents right away.
            Schedule(change, ready);
            while (ready.Count > 0)
            {
                var next = ready.Dequeue();
                try
                {
                    _graph.CheckSequence(next);
                    _store.Validate(next);
                    StorableChangeCheck.Check(_store, next);
                }
                catch (AutomergeFormatException e)
                {
                    firstError ??= e;
                    continue;
                }

                _store.Apply(next);
                _graph.Add(next);
                applied++;
                foreach (var released in _queue.Release(next.Hash))
                {
                    Schedule(released, ready);
                }
            }
        }

        if (firstError is not null)
        {
            throw firstError;
        }

        return applied;
    }

    /// <summary>
    /// The changes that are not ancestors of (or equal to) <paramref name="haveHeads"/>, in topological
    /// order; unknown hashes in <paramref name="haveHeads"/> are ignored. An empty list gives every change.
    /// </summary>
    public IReadOnlyList<Change> GetChanges(IReadOnlyList<ChangeHash> haveHeads)
    {
        ArgumentNullException.ThrowIfNull(haveHeads);
        return _graph.ChangesSince(haveHeads);
    }

    /// <summary>Every applied change in topological order.</summary>
    public IReadOnlyList<Change> GetAllChanges() => [.. _graph.Changes];

    /// <summary>The applied change with this hash, or <see langword="null"/>.</summary>
    public Change? GetChangeByHash(ChangeHash hash) => _graph.Get(hash);

    /// <summary>
    /// The hashes this document lacks: dependencies of queued changes, and any of <paramref name="heads"/>,
    /// that are neither applied nor queued; sorted ascending.
    /// </summary>
    public IReadOnlyList<ChangeHash> GetMissingDeps(IReadOnlyList<ChangeHash> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var missing = new SortedSet<ChangeHash>();
        foreach (var queued in _queue.Changes)
        {
            foreach (var dep in queued.Deps)
            {
                if (!_graph.Contains(dep) && !_queue.Contains(dep))
                {
                    missing.Add(dep);
                }
            }
        }

        foreach (var head in heads)
        {
            if (!_graph.Contains(head) && !_queue.Contains(head))
            {
                missing.Add(head);
            }
        }

        return [.. missing];
    }

    /// <summary>Whether a change with this hash has been applied.</summary>
    public bool HasChange(ChangeHash hash) => _graph.Contains(hash);

    private void Schedule(Change change, Queue<Change> ready)
    {
        foreach (var dep in change.Deps)
        {
            if (!_graph.Contains(dep))
            {
                _queue.Park(change, dep);
                return;
            }
        }

        ready.Enqueue(change);
    }
}
