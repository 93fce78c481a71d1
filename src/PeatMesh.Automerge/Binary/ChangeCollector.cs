using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Rebuilds the changes of a document chunk (Automerge binary format §3 "Doc → changes"): assigns each op
/// (stored or synthesized delete) to the change of its actor whose counter range contains it, then builds the
/// changes in column order, resolving dependency indices to hashes and deriving startOp from maxOp.
/// </summary>
/// <remarks>Not thread-safe; used once per document.</remarks>
internal sealed class ChangeCollector
{
    private readonly IReadOnlyList<ActorId> _actors;
    private readonly Dictionary<ActorId, int> _actorIndex;
    private readonly List<DocumentChangeRow> _rows;
    private readonly List<int>[] _changesByActor;
    private readonly List<(ulong Counter, Op Op)>[] _ops;

    /// <summary>Groups the change rows by actor, checking that maxOp never decreases within an actor.</summary>
    /// <exception cref="AutomergeFormatException">Changes out of order.</exception>
    public ChangeCollector(IReadOnlyList<ActorId> actors, List<DocumentChangeRow> rows)
    {
        _actors = actors;
        _rows = rows;
        _actorIndex = new Dictionary<ActorId, int>(actors.Count);
        for (var i = 0; i < actors.Count; i++)
        {
            _actorIndex.TryAdd(actors[i], i);
        }

        _changesByActor = new List<int>[actors.Count];
        for (var i = 0; i < actors.Count; i++)
        {
            _changesByActor[i] = [];
        }

        _ops = new List<(ulong, Op)>[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var list = _changesByActor[rows[i].Actor];
            if (list.Count > 0 && rows[list[^1]].MaxOp > rows[i].MaxOp)
            {
                throw new AutomergeFormatException("Changes out of order: maxOp decreases for actor " + actors[rows[i].Actor] + ".");
            }

            list.Add(i);
            _ops[i] = [];
        }
    }

    /// <summary>Assigns an op with id <paramref name="id"/> to its change.</summary>
    /// <exception cref="AutomergeFormatException">No change of that actor covers the counter.</exception>
    public void Add(OpId id, Op op)
    {
        if (!_actorIndex.TryGetValue(id.Actor, out var actor))
        {
            throw new AutomergeFormatException("Op " + id + " references a missing actor.");
        }

        var changes = _changesByActor[actor];
        int lo = 0, hi = changes.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_rows[changes[mid]].MaxOp < id.Counter)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        if (lo == changes.Count)
        {
            throw new AutomergeFormatException("Op " + id + " belongs to no change (missing change).");
        }

        _ops[changes[lo]].Add((id.Counter, op));
    }

    /// <summary>Builds the changes in column order and computes the heads.</summary>
    /// <exception cref="AutomergeFormatException">Per-actor seq not 1, 2, 3, …; ops not contiguous up to maxOp; a dependency on a later or missing change.</exception>
    public (List<Change> Changes, HashSet<ChangeHash> Heads) Finish()
    {
        foreach (var list in _changesByActor)
        {
            for (var k = 0; k < list.Count; k++)
            {
                if (_rows[list[k]].Seq != (ulong)k + 1)
                {
                    throw new AutomergeFormatException("Changes out of order: actor " + _actors[_rows[list[k]].Actor] + " has seq " + _rows[list[k]].Seq + " at position " + (k + 1) + ".");
                }
            }
        }

        var changes = new List<Change>(_rows.Count);
        var heads = new HashSet<ChangeHash>();
        for (var i = 0; i < _rows.Count; i++)
        {
            var row = _rows[i];
            var ops = _ops[i];
            ops.Sort((a, b) => a.Counter.CompareTo(b.Counter));
            var count = (ulong)ops.Count;
            if (count > row.MaxOp)
            {
                throw new AutomergeFormatException("Incorrect max op: change " + i + " has " + count + " ops but maxOp " + row.MaxOp + ".");
            }

            var startOp = row.MaxOp - count + 1;
            for (var k = 0; k < ops.Count; k++)
            {
                if (ops[k].Counter != startOp + (ulong)k)
                {
                    throw new AutomergeFormatException("Missing ops in change " + i + ": ops are not contiguous up to maxOp " + row.MaxOp + ".");
                }
            }

            if (startOp > ChangeOpColumns.MaxCounter)
            {
                throw new AutomergeFormatException("Change startOp too large (counter too large).");
            }

            var deps = new ChangeHash[row.Deps.Length];
            for (var d = 0; d < deps.Length; d++)
            {
                if (row.Deps[d] >= i)
                {
                    throw new AutomergeFormatException("Change " + i + " depends on change " + row.Deps[d] + ", which does not precede it (missing change).");
                }

                deps[d] = changes[row.Deps[d]].Hash;
            }

            Change change;
            try
            {
                change = new Change(_actors[row.Actor], row.Seq, startOp, row.Time, row.Message, deps, ops.ConvertAll(o => o.Op), row.Extra);
                _ = change.Hash;
            }
            catch (ArgumentException e)
            {
                throw new AutomergeFormatException("Change " + i + " cannot be rebuilt: " + e.Message, e);
            }

            foreach (var dep in change.Deps)
            {
                heads.Remove(dep);
            }

            heads.Add(change.Hash);
            changes.Add(change);
            ops.Clear();
        }

        return (changes, heads);
    }
}
