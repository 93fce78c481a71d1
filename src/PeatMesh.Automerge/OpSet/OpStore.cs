using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// The materialised op set of a document (Automerge data model, spec §1): every object, the ops at each
/// map key, every sequence element in RGA order, visibility, conflicts and counters.
/// </summary>
/// <remarks>
/// Not thread-safe; owned by one <see cref="AutomergeDocument"/>. Ops are applied in causal order
/// (a change only after its dependencies), which is what makes RGA placement deterministic.
/// </remarks>
internal sealed partial class OpStore
{
    private readonly Dictionary<ObjId, ObjectState> _objects = new();

    // The op id -> record index. Loading a document (TryLoad) leaves it unbuilt, with the loaded records in
    // _unindexed, and the first lookup builds it: a load followed by reads or a save never pays one dictionary insert
    // per op (about 180k for the paper trace).
    private Dictionary<OpId, OpRecord>? _index = new();
    private OpRecord[]? _unindexed;

    // Sequence elements a load left as compact slots (ADR 0025): they have no record until their leaf is first read,
    // which registers them in the index (OnMaterialized). A lookup of an id the index lacks finds its leaf through
    // _compactLeafOf, built on the first such miss; only ids up to the loaded document's maxOp can be there.
    private List<CompactElements>? _compact;
    private Dictionary<OpId, SequenceLeaf>? _compactLeafOf;
    private ulong _compactMaxOp;

    public OpStore()
    {
        _objects.Add(ObjId.Root, new MapState(ObjId.Root, ObjType.Map));
    }

    /// <summary>The largest op counter applied so far (0 when empty).</summary>
    public ulong MaxOp { get; set; }

    /// <summary>Number of stored ops (records, and elements still held as compact slots).</summary>
    public int OpCount => (_index?.Count ?? _unindexed!.Length) + CompactCount;

    private int CompactCount
    {
        get
        {
            var count = 0;
            foreach (var compact in _compact ?? [])
            {
                count += compact.Count;
            }

            return count;
        }
    }

    /// <summary>Every object, the root included (no particular order).</summary>
    public IEnumerable<ObjectState> Objects => _objects.Values;

    /// <summary>The object with id <paramref name="obj"/>, or <see langword="null"/>.</summary>
    public ObjectState? GetObject(ObjId obj) => _objects.GetValueOrDefault(obj);

    /// <summary>The stored op with id <paramref name="id"/>, or <see langword="null"/>.</summary>
    public OpRecord? GetOp(OpId id) => TryGetRecord(id, out var record) ? record : null;

    /// <summary>The record of op <paramref name="id"/>, creating it (and its leaf's other elements) if it is a compact slot.</summary>
    private bool TryGetRecord(OpId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OpRecord? record)
    {
        if (Index.TryGetValue(id, out record))
        {
            return true;
        }

        if (CompactLeafOf(id) is not { IsCompact: true } leaf)
        {
            return false;
        }

        _ = leaf.Items; // creates the leaf's element objects, which registers them (OnMaterialized)
        return Index.TryGetValue(id, out record);
    }

    /// <summary>The record of op <paramref name="id"/>, which must exist.</summary>
    private OpRecord GetRecord(OpId id) =>
        TryGetRecord(id, out var record) ? record : throw new KeyNotFoundException("No op " + id + " in the op set.");

    /// <summary>Whether op <paramref name="id"/> is an element still held as a compact slot.</summary>
    private bool IsCompactSlot(OpId id) => CompactLeafOf(id) is { IsCompact: true };

    /// <summary>The leaf a compact element with id <paramref name="id"/> was loaded into, or null.</summary>
    private SequenceLeaf? CompactLeafOf(OpId id)
    {
        if (_compact is null || id.Counter > _compactMaxOp)
        {
            return null;
        }

        if (CompactCount == 0)
        {
            _compact = null; // every compact element has an object now
            _compactLeafOf = null;
            return null;
        }

        _compactLeafOf ??= BuildCompactLeafOf();
        return _compactLeafOf.GetValueOrDefault(id);
    }

    private Dictionary<OpId, SequenceLeaf> BuildCompactLeafOf()
    {
        var leafOf = new Dictionary<OpId, SequenceLeaf>(CompactCount);
        foreach (var compact in _compact!)
        {
            foreach (var leaf in compact.Leaves)
            {
                foreach (ref readonly var slot in leaf.Slots)
                {
                    leafOf.Add(compact.ToOpId(slot.Id), leaf);
                }
            }
        }

        return leafOf;
    }

    /// <summary>Registers an element a compact leaf just created.</summary>
    private void OnMaterialized(SequenceElement element) => Index.Add(element.Id, element);

    /// <summary>The id index, built from the loaded records on first use.</summary>
    private Dictionary<OpId, OpRecord> Index => _index ?? BuildIndex();

    /// <summary>
    /// Checks that every op of <paramref name="change"/> is consistent with this op set (objects and
    /// elements exist, keys match the object kind, actions are legal where they appear), so a change is
    /// either applied whole or rejected.
    /// </summary>
    /// <exception cref="AutomergeFormatException">The change is inconsistent with the document.</exception>
    public void Validate(Change change)
    {
        var count = (ulong)change.Ops.Count;
        if (change.StartOp > uint.MaxValue || count > uint.MaxValue || change.StartOp + count - 1 > uint.MaxValue)
        {
            throw new AutomergeFormatException("Change op counters exceed 2^32 - 1.");
        }

        Dictionary<ObjId, ObjType>? newObjects = null;
        Dictionary<OpId, ObjId>? newElements = null;
        for (var i = 0; i < change.Ops.Count; i++)
        {
            var op = change.Ops[i];
            var id = change.OpIdAt(i);
            if (Index.ContainsKey(id) || IsCompactSlot(id))
            {
                throw Invalid(change, i, "reuses the existing op id " + id);
            }

            ObjType type;
            if (_objects.TryGetValue(op.Obj, out var state))
            {
                type = state.Type;
            }
            else if (newObjects is null || !newObjects.TryGetValue(op.Obj, out type))
            {
                throw Invalid(change, i, "targets an unknown object " + op.Obj);
            }

            var isSequence = type is ObjType.List or ObjType.Text;
            if (!isSequence)
            {
                if (!op.Key.IsMapKey || op.Insert || op.Action == OpAction.Mark)
                {
                    throw Invalid(change, i, "is not a valid map op");
                }
            }
            else
            {
                if (op.Key.IsMapKey)
                {
                    throw Invalid(change, i, "uses a map key in a sequence");
                }

                if (op.Insert && op.Action is OpAction.Delete or OpAction.Increment)
                {
                    throw Invalid(change, i, "inserts a delete or increment");
                }

                if (!op.Insert && (op.Action == OpAction.Mark || op.Key.Elem.IsHead))
                {
                    throw Invalid(change, i, "does not insert but has no target element");
                }

                if (!op.Key.Elem.IsHead && !ElementExists(op.Obj, op.Key.Elem.Id, newElements))
                {
                    throw Invalid(change, i, "references an unknown element " + op.Key.Elem);
                }

                if (op.Insert)
                {
                    (newElements ??= new()).Add(id, op.Obj);
                }
            }

            if (op.Action == OpAction.Increment && op.Value.Kind is not (ScalarKind.Int or ScalarKind.Uint))
            {
                throw Invalid(change, i, "is an increment without an int/uint value");
            }

            if (OpRecord.ToObjType(op.Action) is { } made)
            {
                (newObjects ??= new()).Add(ObjId.FromOpId(id), made);
            }
        }
    }

    /// <summary>Applies all ops of a validated change.</summary>
    public void Apply(Change change)
    {
        for (var i = 0; i < change.Ops.Count; i++)
        {
            ApplyOp(change.OpIdAt(i), change.Ops[i], null);
        }
    }

    /// <summary>
    /// Applies one op whose target object/element is known to exist; records reversible effects in
    /// <paramref name="undo"/> when given.
    /// </summary>
    public void ApplyOp(OpId id, Op op, List<UndoEntry>? undo)
    {
        if (id.Counter > MaxOp)
        {
            MaxOp = id.Counter;
        }

        var state = _objects[op.Obj];
        switch (op.Action)
        {
            case OpAction.Delete:
                foreach (var p in op.Pred)
                {
                    Hide(state, p, undo);
                }

                return;
            case OpAction.Increment:
                var by = op.Value.AsInt64;
                foreach (var p in op.Pred)
                {
                    if (TryGetRecord(p, out var target) && target.Obj == op.Obj)
                    {
                        if (target.Action == OpAction.Set && target.Value.Kind == ScalarKind.Counter)
                        {
                            target.Increments = unchecked(target.Increments + by);
                            undo?.Add(new UndoEntry(UndoKind.Incremented, target, by));
                        }
                        else
                        {
                            Hide(state, p, undo);
                        }
                    }
                }

                return;
        }

        OpRecord record;
        SequenceElement? overwritten = null, reference = null;
        if (state is MapState)
        {
            record = OpRecord.ForMap(id, state, op.Key.MapKey!, op.Action, op.Value);
        }
        else if (!op.Insert)
        {
            overwritten = GetRecord(op.Key.Elem.Id).Element!;
            record = OpRecord.ForElement(id, state, overwritten, op.Action, op.Value);
        }
        else
        {
            reference = op.Key.Elem.IsHead ? null : GetRecord(op.Key.Elem.Id).Element;
            record = op.Action == OpAction.Mark
                ? new MarkOpRecord(id, state, reference, op.Value, op.MarkName, op.Expand)
                : SequenceElement.Create(id, state, reference, op.Action, op.Value);
        }

        if (IsCompactSlot(id) || !Index.TryAdd(id, record))
        {
            throw new AutomergeFormatException("Duplicate op id " + id + ".");
        }

        if (record.MadeType is { } type)
        {
            var objId = ObjId.FromOpId(id);
            _objects.Add(objId, type is ObjType.List or ObjType.Text
                ? new SequenceState(objId, type)
                : new MapState(objId, type));
        }

        undo?.Add(new UndoEntry(UndoKind.AddedOp, record));
        if (state is MapState map)
        {
            map.Add(record);
        }
        else if (overwritten is not null)
        {
            overwritten.AddOp(record);
            SequenceState.Refresh(overwritten);
        }
        else
        {
            var seq = (SequenceState)state;
            seq.Integrate(reference, (SequenceElement)record);
            if (record is MarkOpRecord)
            {
                seq.MarkCount++;
            }
        }

        foreach (var p in op.Pred)
        {
            Hide(state, p, undo);
        }
    }

    /// <summary>Reverts the recorded effects, newest first (transaction rollback).</summary>
    public void Undo(List<UndoEntry> undo, ulong maxOpBefore)
    {
        for (var i = undo.Count - 1; i >= 0; i--)
        {
            var entry = undo[i];
            var op = entry.Op;
            switch (entry.Kind)
            {
                case UndoKind.Hid:
                    op.Hiders--;
                    RefreshElementOf(op);
                    break;
                case UndoKind.Incremented:
                    op.Increments = unchecked(op.Increments - entry.Amount);
                    break;
                case UndoKind.AddedOp:
                    RemoveRecord(op);
                    break;
            }
        }

        MaxOp = maxOpBefore;
    }

    private void RemoveRecord(OpRecord op)
    {
        Index.Remove(op.Id);
        if (op.MadeType is not null)
        {
            _objects.Remove(ObjId.FromOpId(op.Id));
        }

        var state = _objects[op.Obj];
        if (state is MapState map)
        {
            map.Remove(op);
        }
        else if (op.Insert)
        {
            SequenceTree.Remove(op.Element!);
            if (op is MarkOpRecord)
            {
                ((SequenceState)state).MarkCount--;
            }
        }
        else
        {
            op.Element!.RemoveOp(op);
            SequenceState.Refresh(op.Element);
        }
    }

    private void Hide(ObjectState state, OpId pred, List<UndoEntry>? undo)
    {
        if (!TryGetRecord(pred, out var target) || target.Obj != state.Id)
        {
            return;
        }

        target.Hiders++;
        undo?.Add(new UndoEntry(UndoKind.Hid, target));
        if (target.Element is { } element)
        {
            SequenceState.Refresh(element);
        }
    }

    private static void RefreshElementOf(OpRecord op)
    {
        if (op.Element is { } element && element.Leaf is not null)
        {
            SequenceState.Refresh(element);
        }
    }

    private bool ElementExists(ObjId obj, OpId elem, Dictionary<OpId, ObjId>? newElements)
    {
        if (TryGetRecord(elem, out var record))
        {
            return record.Insert && record.Obj == obj;
        }

        return newElements is not null && newElements.TryGetValue(elem, out var owner) && owner == obj;
    }

    private Dictionary<OpId, OpRecord> BuildIndex()
    {
        var index = new Dictionary<OpId, OpRecord>(_unindexed!.Length);
        foreach (var record in _unindexed!)
        {
            index.Add(record.Id, record); // TryLoad's input has unique ids (DocumentChangeBuilder checks)
        }

        _unindexed = null;
        _index = index;
        return index;
    }

    private static AutomergeFormatException Invalid(Change change, int index, string what) =>
        new($"Op {index} of change {change.Actor} seq {change.Seq} {what}.");
}
