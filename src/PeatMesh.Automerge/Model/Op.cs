namespace PeatMesh.Automerge.Model;

/// <summary>
/// One operation inside a <see cref="Change"/>, as the change chunk's op columns describe it
/// (Automerge binary format, "Change chunk" op columns). The op's own id is implicit:
/// <c>(change.StartOp + index)@change.Actor</c>.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed class Op : IEquatable<Op>
{
    private static readonly OpId[] NoPred = [];
    private readonly OpId[] _pred;

    /// <summary>Creates an op.</summary>
    /// <param name="obj">The object the op acts on.</param>
    /// <param name="key">The map key or sequence element.</param>
    /// <param name="insert">For sequences: whether this op inserts a new element after <paramref name="key"/>.</param>
    /// <param name="action">The action.</param>
    /// <param name="value">The scalar value (Set, Increment, Mark begin); <see cref="ScalarValue.Null"/> otherwise.</param>
    /// <param name="pred">The ops this op overwrites, deletes or increments, ascending by OpId.</param>
    /// <param name="expand">For marks: the expand flag (begin = "before", end = "after").</param>
    /// <param name="markName">For mark begin ops: the mark's name; <see langword="null"/> otherwise.</param>
    public Op(ObjId obj, Key key, bool insert, OpAction action, ScalarValue value, IReadOnlyList<OpId>? pred,
        bool expand = false, string? markName = null)
    {
        Obj = obj;
        Key = key;
        Insert = insert;
        Action = action;
        Value = value;
        _pred = pred is null || pred.Count == 0 ? NoPred : pred.ToArray();
        Expand = expand;
        MarkName = markName;
    }

    /// <summary>Creates an op that takes ownership of <paramref name="pred"/> (already ascending) instead of copying it.</summary>
    internal Op(ObjId obj, Key key, bool insert, OpAction action, ScalarValue value, OpId[] pred, bool expand, string? markName, bool copyPred)
    {
        Obj = obj;
        Key = key;
        Insert = insert;
        Action = action;
        Value = value;
        _pred = copyPred ? [.. pred] : pred.Length == 0 ? NoPred : pred;
        Expand = expand;
        MarkName = markName;
    }

    /// <summary>The object the op acts on.</summary>
    public ObjId Obj { get; }

    /// <summary>The map key or sequence element.</summary>
    public Key Key { get; }

    /// <summary>Whether the op inserts a new sequence element after <see cref="Key"/>.</summary>
    public bool Insert { get; }

    /// <summary>The action.</summary>
    public OpAction Action { get; }

    /// <summary>The scalar value, or <see cref="ScalarValue.Null"/>.</summary>
    public ScalarValue Value { get; }

    /// <summary>Predecessor ops (overwritten, deleted or incremented), ascending by OpId.</summary>
    public IReadOnlyList<OpId> Pred => _pred;

    /// <summary>The predecessors as a span (same as <see cref="Pred"/>, without interface calls).</summary>
    internal ReadOnlySpan<OpId> PredSpan => _pred;

    /// <summary>For marks: the expand flag.</summary>
    public bool Expand { get; }

    /// <summary>For mark begin ops: the name; <see langword="null"/> otherwise.</summary>
    public string? MarkName { get; }

    /// <summary>Whether the op creates an object (makeMap, makeList, makeText, makeTable).</summary>
    public bool IsMake => Action is OpAction.MakeMap or OpAction.MakeList or OpAction.MakeText or OpAction.MakeTable;

    /// <inheritdoc />
    public bool Equals(Op? other) => other is not null
        && Obj == other.Obj && Key == other.Key && Insert == other.Insert && Action == other.Action
        && Value == other.Value && Expand == other.Expand
        && string.Equals(MarkName, other.MarkName, StringComparison.Ordinal)
        && Pred.SequenceEqual(other.Pred);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Op);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Obj, Key, Insert, Action, Value, Pred.Count);

    /// <summary>A debugging representation.</summary>
    public override string ToString() =>
        $"{Action} obj={Obj} key={Key}{(Insert ? " insert" : string.Empty)} value={Value} pred=[{string.Join(",", Pred)}]";
}
