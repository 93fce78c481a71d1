using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge;

/// <summary>
/// A set of local edits to an <see cref="AutomergeDocument"/> that becomes one <see cref="Change"/> on
/// <see cref="Commit"/>. Ops are applied to the document immediately (reads see them) and are built as
/// Automerge builds them: op ids <c>startOp, startOp+1, …</c> with <c>startOp = maxOp + 1</c>,
/// <c>pred</c> = the visible ops at the key, inserts referencing the preceding visible element.
/// </summary>
/// <remarks>
/// Not thread-safe. Disposing without committing rolls back. Writing a scalar equal to the single visible
/// value at a key, and deleting an absent key, produce no op (as Automerge does). Inserts next to rich-text
/// marks pick their reference element by the marks' expand flags, as Automerge does.
/// </remarks>
public sealed partial class Transaction : IDisposable
{
    private readonly AutomergeDocument _doc;
    private readonly OpStore _store;
    private readonly ulong _seq;
    private readonly ulong _startOp;
    private readonly ulong _maxOpBefore;
    private readonly IReadOnlyList<ChangeHash> _deps;
    private readonly List<Op> _ops = [];
    private readonly List<UndoEntry> _undo = [];
    private bool _finished;

    internal Transaction(AutomergeDocument doc, ulong seq, ulong startOp, IReadOnlyList<ChangeHash> deps)
    {
        _doc = doc;
        _store = doc.Store;
        _seq = seq;
        _startOp = startOp;
        _maxOpBefore = startOp - 1;
        _deps = deps;
    }

    /// <summary>The document being edited (reads through it see this transaction's ops).</summary>
    public AutomergeDocument Document => _doc;

    /// <summary>Number of ops made so far.</summary>
    public int PendingOps => _ops.Count;

    /// <summary>Sets map key <paramref name="key"/> of <paramref name="obj"/> to a scalar (a counter when <paramref name="value"/> is one).</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a map.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void Put(ObjId obj, string key, ScalarValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureOpen();
        var visible = _doc.RequireMap(obj).VisibleOps(key);
        if (IsNoop(visible, value))
        {
            return;
        }

        AddOp(new Op(obj, Key.Map(key), false, OpAction.Set, value, Ids(visible)));
    }

    /// <summary>Creates a new, empty object at map key <paramref name="key"/>.</summary>
    /// <returns>The new object's id.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a map.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public ObjId PutObject(ObjId obj, string key, ObjType type)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureOpen();
        var visible = _doc.RequireMap(obj).VisibleOps(key);
        var id = AddOp(new Op(obj, Key.Map(key), false, OpRecord.ToMakeAction(type), ScalarValue.Null, Ids(visible)));
        return ObjId.FromOpId(id);
    }

    /// <summary>Inserts a scalar into a list before position <paramref name="index"/> (0 ≤ index ≤ length).</summary>
    /// <exception cref="ArgumentException"><paramref name="list"/> is unknown or not a list.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..length.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void Insert(ObjId list, int index, ScalarValue value)
    {
        EnsureOpen();
        AddOp(new Op(list, InsertKey(RequireList(list), index), true, OpAction.Set, value, null));
    }

    /// <summary>Inserts a new, empty object into a list before position <paramref name="index"/>.</summary>
    /// <returns>The new object's id.</returns>
    /// <exception cref="ArgumentException"><paramref name="list"/> is unknown or not a list.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..length.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public ObjId InsertObject(ObjId list, int index, ObjType type)
    {
        EnsureOpen();
        var key = InsertKey(RequireList(list), index);
        return ObjId.FromOpId(AddOp(new Op(list, key, true, OpRecord.ToMakeAction(type), ScalarValue.Null, null)));
    }

    /// <summary>Overwrites list element <paramref name="index"/> with a scalar.</summary>
    /// <exception cref="ArgumentException"><paramref name="list"/> is unknown or not a list.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..length-1.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void Set(ObjId list, int index, ScalarValue value)
    {
        EnsureOpen();
        var element = ElementAt(RequireList(list), index);
        var visible = VisibleOps(element);
        if (IsNoop(visible, value))
        {
            return;
        }

        AddOp(new Op(list, Key.Seq(ElemId.FromOpId(element.Id)), false, OpAction.Set, value, Ids(visible)));
    }

    /// <summary>Replaces list element <paramref name="index"/> with a new, empty object.</summary>
    /// <returns>The new object's id.</returns>
    /// <exception cref="ArgumentException"><paramref name="list"/> is unknown or not a list.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..length-1.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public ObjId SetObject(ObjId list, int index, ObjType type)
    {
        EnsureOpen();
        var element = ElementAt(RequireList(list), index);
        var pred = Ids(VisibleOps(element));
        var key = Key.Seq(ElemId.FromOpId(element.Id));
        return ObjId.FromOpId(AddOp(new Op(list, key, false, OpRecord.ToMakeAction(type), ScalarValue.Null, pred)));
    }

    /// <summary>Deletes map key <paramref name="key"/> (no op when absent).</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a map.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void Delete(ObjId obj, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureOpen();
        var visible = _doc.RequireMap(obj).VisibleOps(key);
        if (visible.Count == 0)
        {
            return;
        }

        AddOp(new Op(obj, Key.Map(key), false, OpAction.Delete, ScalarValue.Null, Ids(visible)));
    }

    /// <summary>Deletes list element <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="list"/> is unknown or not a list.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..length-1.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void Delete(ObjId list, int index)
    {
        EnsureOpen();
        DeleteElement(list, ElementAt(RequireList(list), index));
    }

    /// <summary>Adds <paramref name="by"/> to the counter at map key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a map.</exception>
    /// <exception cref="InvalidOperationException">No visible counter at the key, or the transaction is finished.</exception>
    public void Increment(ObjId obj, string key, long by)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureOpen();
        var visible = _doc.RequireMap(obj).VisibleOps(key);
        RequireCounter(visible);
        AddOp(new Op(obj, Key.Map(key), false, OpAction.Increment, ScalarValue.Int(by), Ids(visible)));
    }

    /// <summary>Adds <paramref name="by"/> to the counter at list position <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="list"/> is unknown or not a list.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..length-1.</exception>
    /// <exception cref="InvalidOperationException">No counter at the position, or the transaction is finished.</exception>
    public void Increment(ObjId list, int index, long by)
    {
        EnsureOpen();
        var element = ElementAt(RequireList(list), index);
        var visible = VisibleOps(element);
        RequireCounter(visible);
        var key = Key.Seq(ElemId.FromOpId(element.Id));
        AddOp(new Op(list, key, false, OpAction.Increment, ScalarValue.Int(by), Ids(visible)));
    }

    /// <summary>
    /// Ends the transaction and records its ops as one change (seq = this actor's last seq + 1,
    /// deps = the heads when the transaction began).
    /// </summary>
    /// <param name="message">Optional commit message.</param>
    /// <param name="time">Commit time in seconds since the Unix epoch; defaults to now (as Automerge JS writes it).</param>
    /// <returns>The new change, or <see langword="null"/> when the transaction made no ops.</returns>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public Change? Commit(string? message = null, long? time = null)
    {
        EnsureOpen();
        _finished = true;
        _doc.EndTransaction(this);
        if (_ops.Count == 0)
        {
            return null;
        }

        var change = new Change(_doc.Actor, _seq, _startOp, time ?? _doc.CurrentTimeSeconds(),
            string.IsNullOrEmpty(message) ? null : message, _deps, _ops);
        _doc.RecordLocalChange(change);
        return change;
    }

    /// <summary>Discards every op of the transaction and restores the document.</summary>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void Rollback()
    {
        EnsureOpen();
        _finished = true;
        _store.Undo(_undo, _maxOpBefore);
        _doc.EndTransaction(this);
    }

    /// <summary>Rolls back when neither <see cref="Commit"/> nor <see cref="Rollback"/> was called; otherwise does nothing.</summary>
    public void Dispose()
    {
        if (!_finished)
        {
            Rollback();
        }
    }

    private OpId AddOp(Op op)
    {
        var counter = _startOp + (ulong)_ops.Count;
        if (counter > uint.MaxValue)
        {
            throw new InvalidOperationException("Op counters would exceed 2^32 - 1, which Automerge rejects.");
        }

        var id = new OpId(counter, _doc.Actor);
        _store.ApplyOp(id, op, _undo);
        _ops.Add(op);
        return id;
    }

    private void DeleteElement(ObjId obj, SequenceElement element)
    {
        var key = Key.Seq(ElemId.FromOpId(element.Id));
        AddOp(new Op(obj, key, false, OpAction.Delete, ScalarValue.Null, Ids(VisibleOps(element))));
    }

    private void EnsureOpen()
    {
        if (_finished)
        {
            throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        }
    }

    private SequenceState RequireList(ObjId list)
    {
        var seq = _doc.RequireSequence(list);
        if (seq.Type != ObjType.List)
        {
            throw new ArgumentException("Object " + list + " is a text; use SpliceText.", nameof(list));
        }

        return seq;
    }

    private static Key InsertKey(SequenceState seq, int index)
    {
        if (index < 0 || index > seq.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Index must be within 0..{seq.Length}.");
        }

        return ReferenceKey(SequenceInsertion.FindReference(seq, index, TextEncoding.Utf16CodeUnit));
    }

    private static Key ReferenceKey(SequenceElement? reference) =>
        Key.Seq(reference is null ? ElemId.Head : ElemId.FromOpId(reference.Id));

    private static SequenceElement ElementAt(SequenceState seq, int index) =>
        seq.Tree.FindVisible(index)
        ?? throw new ArgumentOutOfRangeException(nameof(index), index, $"Index must be within 0..{seq.Length - 1}.");

    private static List<OpRecord> VisibleOps(SequenceElement element)
    {
        var result = new List<OpRecord>(1);
        foreach (var op in element.Ops)
        {
            if (op.Visible)
            {
                result.Add(op);
            }
        }

        return result;
    }

    private static OpId[] Ids(List<OpRecord> ops)
    {
        var ids = new OpId[ops.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = ops[i].Id;
        }

        return ids;
    }

    private static bool IsNoop(List<OpRecord> visible, ScalarValue value) =>
        visible.Count == 1 && visible[0].Action == OpAction.Set && visible[0].Value.Kind != ScalarKind.Counter
        && visible[0].Value == value;

    private static void RequireCounter(List<OpRecord> visible)
    {
        if (!visible.Exists(op => op.Action == OpAction.Set && op.Value.Kind == ScalarKind.Counter))
        {
            throw new InvalidOperationException("Only counters can be incremented.");
        }
    }
}
