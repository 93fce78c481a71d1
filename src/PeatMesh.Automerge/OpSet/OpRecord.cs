using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// One stored op (set, make, or mark) with its visibility state. Deletes and increments are not
/// stored: they only change the state of the ops they name as predecessors.
/// </summary>
/// <remarks>Not thread-safe; owned by one <see cref="OpStore"/>. Mark ops are <see cref="MarkOpRecord"/>s.</remarks>
internal class OpRecord
{
    // The key in one reference (a record exists per op, so its size matters): the map key (string) of a map op; the
    // element a sequence op overwrites, or (SequenceElement, or ElementReference when it has no object) the one an
    // insert follows; null for an insert at _head.
    private readonly object? _key;

    /// <summary>Creates the record of a map op.</summary>
    public OpRecord(OpId id, ObjectState owner, string mapKey, OpAction action, ScalarValue value)
        : this(id, owner, (object)mapKey, action, value, insert: false)
    {
    }

    /// <summary>Creates the record of a sequence op that overwrites (or marks up) <paramref name="target"/>.</summary>
    public OpRecord(OpId id, ObjectState owner, SequenceElement target, OpAction action, ScalarValue value)
        : this(id, owner, (object)target, action, value, insert: false)
    {
    }

    /// <summary>Creates a record; <paramref name="key"/> as <c>_key</c> holds it.</summary>
    protected OpRecord(OpId id, ObjectState owner, object? key, OpAction action, ScalarValue value, bool insert)
    {
        Id = id;
        Owner = owner;
        _key = key;
        Action = action;
        Value = value;
        Insert = insert;
    }

    /// <summary>The op id.</summary>
    public OpId Id { get; }

    /// <summary>The state of the object the op belongs to (a reference: half the size of an <see cref="ObjId"/>).</summary>
    public ObjectState Owner { get; }

    /// <summary>The object the op belongs to.</summary>
    public ObjId Obj => Owner.Id;

    /// <summary>The key (map key, or reference/target element).</summary>
    public Key Key => _key switch
    {
        string mapKey => Key.Map(mapKey),
        OpRecord element => Key.Seq(ElemId.FromOpId(element.Id)),
        ElementReference reference => Key.Seq(ElemId.FromOpId(reference.Id)),
        _ => Key.Seq(ElemId.Head),
    };

    /// <summary>The map key of a map op; <see langword="null"/> in a sequence.</summary>
    public string? MapKey => _key as string;

    /// <summary>Set, a make action, or Mark.</summary>
    public OpAction Action { get; }

    /// <summary>The scalar value (counters: the initial value).</summary>
    public ScalarValue Value { get; }

    /// <summary>Whether the op inserted a sequence element.</summary>
    public bool Insert { get; }

    /// <summary>Number of successors that hide this op (anything but increments of a counter).</summary>
    public int Hiders { get; set; }

    /// <summary>Sum of the increments applied to this counter op (always 0 for other ops, which have no storage for it).</summary>
    /// <exception cref="InvalidOperationException">Set on an op that is not a counter set (see <see cref="IsCounter"/>).</exception>
    public virtual long Increments
    {
        get => 0;
        set => throw new InvalidOperationException("Only a counter set op takes increments.");
    }

    /// <summary>Whether the op sets a counter (only those records store <see cref="Increments"/>).</summary>
    public bool IsCounter => Action == OpAction.Set && Value.Kind == ScalarKind.Counter;

    /// <summary>Creates the record of a map op (a <see cref="CounterOpRecord"/> for a counter).</summary>
    public static OpRecord ForMap(OpId id, ObjectState owner, string mapKey, OpAction action, ScalarValue value) =>
        action == OpAction.Set && value.Kind == ScalarKind.Counter
            ? new CounterOpRecord(id, owner, mapKey, value)
            : new OpRecord(id, owner, mapKey, action, value);

    /// <summary>Creates the record of an op overwriting or marking up <paramref name="target"/> (a <see cref="CounterOpRecord"/> for a counter).</summary>
    public static OpRecord ForElement(OpId id, ObjectState owner, SequenceElement target, OpAction action, ScalarValue value) =>
        action == OpAction.Set && value.Kind == ScalarKind.Counter
            ? new CounterOpRecord(id, owner, target, value)
            : new OpRecord(id, owner, target, action, value);

    /// <summary>For ops in a sequence: the element they belong to (an insert's is itself).</summary>
    public virtual SequenceElement? Element => _key as SequenceElement;

    /// <summary>Whether the op carries a value (set or make; marks, deletes and increments do not).</summary>
    public bool IsValueOp => Action is not (OpAction.Mark or OpAction.Delete or OpAction.Increment);

    /// <summary>Visible ⇔ a value op with no hiding successor (spec §1: "no successor except increments").</summary>
    public bool Visible => Hiders == 0 && IsValueOp;

    /// <summary>The object type a make op creates, or <see langword="null"/>.</summary>
    public ObjType? MadeType => ToObjType(Action);

    /// <summary>The value as the read API returns it.</summary>
    public AutomergeValue ToValue()
    {
        if (MadeType is { } type)
        {
            return AutomergeValue.FromObject(Id, type);
        }

        return Value.Kind == ScalarKind.Counter
            ? AutomergeValue.FromScalar(Id, ScalarValue.Counter(unchecked(Value.AsInt64 + Increments)))
            : AutomergeValue.FromScalar(Id, Value);
    }

    /// <summary>Maps a make action to its object type.</summary>
    public static ObjType? ToObjType(OpAction action) => action switch
    {
        OpAction.MakeMap => ObjType.Map,
        OpAction.MakeList => ObjType.List,
        OpAction.MakeText => ObjType.Text,
        OpAction.MakeTable => ObjType.Table,
        _ => null,
    };

    /// <summary>Maps an object type to its make action.</summary>
    public static OpAction ToMakeAction(ObjType type) => type switch
    {
        ObjType.Map => OpAction.MakeMap,
        ObjType.List => OpAction.MakeList,
        ObjType.Text => OpAction.MakeText,
        ObjType.Table => OpAction.MakeTable,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown object type."),
    };
}
