using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Graph;

/// <summary>
/// The applied changes of a document in application (hence topological) order, with their
/// dependency edges, the current heads and per-actor sequence state.
/// </summary>
/// <remarks>Not thread-safe; owned by one <see cref="AutomergeDocument"/>.</remarks>
internal sealed class ChangeGraph
{
    private readonly ChangeList _changes = new();
    private readonly Int32Run _depStart = new(0);
    private readonly Int32Run _deps = new();
    private Dictionary<ChangeHash, int>? _index = [];
    private readonly HashSet<ChangeHash> _heads = [];
    private readonly Dictionary<ActorId, ActorState> _actors = [];
    private ChangeHash[]? _sortedHeads;

    /// <summary>Number of applied changes.</summary>
    public int Count => _changes.Count;

    /// <summary>The applied changes in topological order (a loaded document's are created as they are read).</summary>
    public IReadOnlyList<Change> Changes => _changes;

    /// <summary>The hash of the change at <paramref name="index"/> (creates no change object).</summary>
    public ChangeHash HashAt(int index) => _changes.HashAt(index);

    /// <summary>The heads (changes nothing depends on), sorted ascending.</summary>
    public IReadOnlyList<ChangeHash> Heads
    {
        get
        {
            if (_sortedHeads is null)
            {
                var heads = _heads.ToArray();
                Array.Sort(heads);
                _sortedHeads = heads;
            }

            return _sortedHeads;
        }
    }

    /// <summary>Whether a change with this hash was applied.</summary>
    public bool Contains(ChangeHash hash) => Index.ContainsKey(hash);

    /// <summary>The applied change with this hash, or <see langword="null"/>.</summary>
    public Change? Get(ChangeHash hash) => Index.TryGetValue(hash, out var i) ? _changes[i] : null;

    /// <summary>The position of an applied change in topological order, or -1.</summary>
    public int IndexOf(ChangeHash hash) => Index.TryGetValue(hash, out var i) ? i : -1;

    /// <summary>Hash → position; built on first use after <see cref="Load"/>.</summary>
    private Dictionary<ChangeHash, int> Index
    {
        get
        {
            if (_index is null)
            {
                var index = new Dictionary<ChangeHash, int>(_changes.Count);
                for (var i = 0; i < _changes.Count; i++)
                {
                    index.Add(_changes.HashAt(i), i);
                }

                _index = index;
            }

            return _index;
        }
    }

    /// <summary>The state of <paramref name="actor"/> (zeros when unknown).</summary>
    public ActorState GetActor(ActorId actor) => _actors.GetValueOrDefault(actor);

    /// <summary>
    /// Checks that <paramref name="change"/> may follow this actor's previous changes: seq is the next one
    /// and its op counters start after the actor's previous ones (so op ids stay unique).
    /// </summary>
    /// <exception cref="AutomergeFormatException">Out-of-order or duplicate seq, or overlapping op counters.</exception>
    public void CheckSequence(Change change)
    {
        var state = GetActor(change.Actor);
        if (change.Seq != state.LastSeq + 1)
        {
            throw new AutomergeFormatException(
                $"Change by {change.Actor} has seq {change.Seq}; expected {state.LastSeq + 1}.");
        }

        if (state.LastSeq != 0 && change.StartOp <= state.MaxOp)
        {
            throw new AutomergeFormatException(
                $"Change by {change.Actor} seq {change.Seq} starts at op {change.StartOp}, not after {state.MaxOp}.");
        }
    }

    /// <summary>Records an applied change whose dependencies are all present.</summary>
    public void Add(Change change)
    {
        var hash = change.Hash;
        var index = Index;
        for (var i = 0; i < change.Deps.Count; i++)
        {
            _deps.Add(index[change.Deps[i]]);
            _heads.Remove(change.Deps[i]);
        }

        index.Add(hash, _changes.Count);
        _changes.Add(change);
        _depStart.Add(_deps.Count);
        _heads.Add(hash);
        _sortedHeads = null;
        var state = GetActor(change.Actor);
        _actors[change.Actor] = new ActorState(change.Seq, Math.Max(state.MaxOp, change.MaxOp));
    }

    /// <summary>
    /// Records the changes of a loaded document at once (the graph must be empty): what <see cref="Add"/> would record
    /// for each in turn. The hash index is built on first use. The graph takes over <paramref name="depStart"/> and
    /// <paramref name="depIndex"/> without copying them: later changes only append past the loaded entries, which the
    /// loaded changes keep reading.
    /// </summary>
    /// <param name="changes">The changes in topological order, with distinct hashes.</param>
    /// <param name="depStart">Change c's dependency positions are <c>depIndex[depStart[c]..depStart[c + 1]]</c>.</param>
    /// <param name="depIndex">Dependency positions, per change in the order of its sorted deps.</param>
    /// <exception cref="InvalidOperationException">The graph is not empty.</exception>
    public void Load(LoadedChanges changes, int[] depStart, int[] depIndex)
    {
        if (_changes.Count != 0)
        {
            throw new InvalidOperationException("Only an empty change graph can be loaded.");
        }

        _changes.Load(changes);
        _depStart.Adopt(depStart, changes.Count + 1);
        _deps.Adopt(depIndex, depStart[changes.Count]);
        var dependedOn = new bool[changes.Count];
        foreach (var dep in depIndex)
        {
            dependedOn[dep] = true;
        }

        var actor = default(ActorId);
        var state = default(ActorState);
        for (var c = 0; c < changes.Count; c++)
        {
            if (!dependedOn[c])
            {
                _heads.Add(changes.HashAt(c));
            }

            var changeActor = changes.ActorAt(c);
            if (c == 0 || !changeActor.Equals(actor))
            {
                if (c > 0)
                {
                    _actors[actor] = state;
                }

                actor = changeActor;
                state = GetActor(actor);
            }

            state = new ActorState(changes.SeqAt(c), Math.Max(state.MaxOp, changes.MaxOpAt(c)));
        }

        if (changes.Count > 0)
        {
            _actors[actor] = state;
        }

        _index = null;
        _sortedHeads = null;
    }

    /// <summary>
    /// Marks every applied change that is an ancestor of, or equal to, one of <paramref name="heads"/>;
    /// hashes that are not applied are ignored.
    /// </summary>
    public bool[] AncestorMask(IEnumerable<ChangeHash> heads)
    {
        var mask = new bool[_changes.Count];
        var stack = new Stack<int>();
        foreach (var head in heads)
        {
            if (Index.TryGetValue(head, out var i) && !mask[i])
            {
                mask[i] = true;
                stack.Push(i);
            }
        }

        while (stack.Count > 0)
        {
            foreach (var d in DepsOf(stack.Pop()))
            {
                if (!mask[d])
                {
                    mask[d] = true;
                    stack.Push(d);
                }
            }
        }

        return mask;
    }

    /// <summary>The changes that are not ancestors-or-equal of <paramref name="have"/>, in topological order.</summary>
    public List<Change> ChangesSince(IEnumerable<ChangeHash> have)
    {
        var mask = AncestorMask(have);
        var result = new List<Change>();
        for (var i = 0; i < _changes.Count; i++)
        {
            if (!mask[i])
            {
                result.Add(_changes[i]);
            }
        }

        return result;
    }

    /// <summary>The dependency indices of the change at position <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> DepsOf(int index) =>
        _deps.Slice(_depStart[index], _depStart[index + 1]);
}
