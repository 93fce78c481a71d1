using System.Runtime.CompilerServices;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// The ops of one document chunk as decoded rows (Automerge binary format §2.5 "Document op columns", §3 "Doc →
/// changes"): stored rows in document order, each followed — at the end of its (object, key) group — by the deletes
/// synthesized from succ entries; predecessors as row indices; every op assigned to its change. The changes rebuilt
/// from it materialise their <see cref="Op"/>s from these rows only when asked (<see cref="IChangeOpSource"/>).
/// </summary>
/// <remarks>
/// <para>Filled by <see cref="DocumentOpReader"/> and <see cref="DocumentChangeBuilder"/>; immutable afterwards and
/// then thread-safe for reading. While the reader adds rows, one other thread may read the rows it has published
/// (<see cref="Publish"/>, <see cref="AwaitRows"/>): the op set is built that way alongside the decoding.</para>
/// <para>The row array comes from <see cref="DocumentRowPool"/> and the predecessor array from
/// <see cref="System.Buffers.ArrayPool{T}"/>: a document of many ops would otherwise fault in megabytes of fresh memory on
/// every load. When every change carries its own encoded bytes
/// (<see cref="AllChangesEncoded"/>), the loader hands the arrays back with <see cref="Release"/>; otherwise the
/// changes keep the rows to build their ops from, and the arrays are simply collected with them.</para>
/// </remarks>
internal sealed class DocumentOps : IChangeOpSource
{
    private DocumentOpRow[] _rows;
    private int[] _predRows;
    private int _predCount;
    private Dictionary<int, string>? _markNames;

    /// <summary>Creates an empty row set.</summary>
    /// <param name="actors">The document's actors.</param>
    /// <param name="capacity">Expected number of rows (stored plus synthesized); the arrays grow beyond it if needed.</param>
    /// <param name="predCapacity">Expected number of predecessor entries.</param>
    public DocumentOps(DocumentActors actors, int capacity = 64, int predCapacity = 64)
    {
        Actors = actors;
        ExpectedCount = Math.Max(capacity, 16);
        _rows = DocumentRowPool.Shared.Rent(ExpectedCount);
        _predRows = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(predCapacity, 16));
    }

    /// <summary>
    /// Whether every change built from these rows carries its encoded bytes and builds its ops from them
    /// (set by <see cref="DocumentChangeBuilder.Finish"/>), so nothing needs the rows once the op set is built.
    /// </summary>
    public bool AllChangesEncoded { get; set; }

    // Rows [0, _published) are final and may be read by another thread while the reader goes on (AwaitRows).
    private int _published;

    // NotShared until BeginSharedReading; then Reading until the reader completes or abandons the rows.
    private int _readState;
    private const int NotShared = 0, Reading = 1, Complete = 2, Abandoned = 3;

    /// <summary>
    /// Announces that another thread will read rows while they are still being added (through
    /// <see cref="AwaitRows"/>): call before starting that thread, then end with <see cref="CompleteReading"/> or
    /// <see cref="AbandonReading"/>.
    /// </summary>
    public void BeginSharedReading() => Volatile.Write(ref _readState, Reading);

    /// <summary>
    /// Makes the rows added so far visible to a thread waiting in <see cref="AwaitRows"/> (a release write: every row
    /// below <see cref="Count"/> is final). Called by <see cref="DocumentOpReader"/> after each block of rows.
    /// </summary>
    public void Publish() => Volatile.Write(ref _published, Count);

    /// <summary>Marks the rows complete: <see cref="AwaitRows"/> returns <see cref="Count"/> from now on.</summary>
    public void CompleteReading()
    {
        Volatile.Write(ref _published, Count);
        Volatile.Write(ref _readState, Complete);
    }

    /// <summary>Marks reading failed: <see cref="AwaitRows"/> returns -1 from now on.</summary>
    public void AbandonReading() => Volatile.Write(ref _readState, Abandoned);

    /// <summary>
    /// Waits until more than <paramref name="seen"/> rows are published or reading has ended (spinning, then
    /// yielding); returns at once unless <see cref="BeginSharedReading"/> announced a reader still adding rows.
    /// </summary>
    /// <param name="seen">How many rows the caller has already read.</param>
    /// <returns>
    /// How many rows are final: more than <paramref name="seen"/>, or <see cref="Count"/> once reading has completed
    /// (or was never shared); -1 when reading failed (<see cref="AbandonReading"/>).
    /// </returns>
    public int AwaitRows(int seen)
    {
        var spin = new SpinWait();
        while (true)
        {
            switch (Volatile.Read(ref _readState))
            {
                case NotShared or Complete:
                    return Count;
                case Abandoned:
                    return -1;
            }

            var published = Volatile.Read(ref _published);
            if (published > seen)
            {
                return published;
            }

            spin.SpinOnce();
        }
    }

    /// <summary>Like <see cref="AwaitRows"/>, until reading has ended: whether every row is in (not abandoned).</summary>
    public bool AwaitComplete() => AwaitRows(int.MaxValue) >= 0; // no count of published rows exceeds int.MaxValue

    /// <summary>The number of rows the constructor was asked to hold.</summary>
    public int ExpectedCount { get; }

    /// <summary>Whether <see cref="Release"/> has run.</summary>
    public bool IsReleased { get; private set; }

    /// <summary>
    /// Returns the row and predecessor arrays to their pools (rows cleared first, so the pool keeps no values alive;
    /// the clearing — about 2 ms for the 16.6 MB of the paper trace — runs on a thread-pool thread, off the caller's
    /// load). Only when nothing reads the rows any more: the op set is built and <see cref="AllChangesEncoded"/>.
    /// Afterwards the rows are empty.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some change still builds its ops from the rows.</exception>
    public void Release()
    {
        if (!AllChangesEncoded)
        {
            throw new InvalidOperationException("The changes still build their ops from these rows.");
        }

        if (IsReleased)
        {
            return;
        }

        IsReleased = true;
        var rows = _rows;
        var preds = _predRows;
        _rows = [];
        _predRows = [];
        ChangeOps = [];
        DocumentRowPool.Shared.Return(rows, Count);
        System.Buffers.ArrayPool<int>.Shared.Return(preds);
        Count = 0;
        _predCount = 0;
    }

    private DocumentOpRow[] GrowRows(DocumentOpRow[] rows, int used)
    {
        var larger = new DocumentOpRow[rows.Length * 2];
        Array.Copy(rows, larger, used);
        if (Volatile.Read(ref _readState) == NotShared)
        {
            // While another thread may be reading this array, the GC frees it instead of the pool.
            DocumentRowPool.Shared.Return(rows, used);
        }

        return larger;
    }

    private static int[] Grow(int[] array, int used)
    {
        var larger = System.Buffers.ArrayPool<int>.Shared.Rent(array.Length * 2);
        array.AsSpan(0, used).CopyTo(larger);
        System.Buffers.ArrayPool<int>.Shared.Return(array);
        return larger;
    }

    /// <summary>The document's actors (ids in rows are packed with their ranks).</summary>
    public DocumentActors Actors { get; }

    /// <summary>Number of rows (stored and synthesized).</summary>
    public int Count { get; private set; }

    /// <summary>Number of stored rows.</summary>
    public int StoredCount { get; private set; }

    /// <summary>Whether a stored row has the delete action (a layout canonical writers never produce).</summary>
    public bool HasStoredDelete { get; private set; }

    /// <summary>The rows; the first <see cref="Count"/> are used.</summary>
    public DocumentOpRow[] Rows => _rows;

    /// <summary>Predecessor row indices (see <see cref="DocumentOpRow.PredStart"/>).</summary>
    public int[] PredRows => _predRows;

    /// <summary>For change c, its rows in counter order are <c>ChangeOps[ChangeOpStart[c]..ChangeOpStart[c + 1]]</c>.</summary>
    public int[] ChangeOpStart { get; set; } = [0];

    /// <summary>Row indices grouped by change (see <see cref="ChangeOpStart"/>).</summary>
    public int[] ChangeOps { get; set; } = [];

    /// <summary>Whether any row has a mark name (else <see cref="MarkNameOf"/> is always null).</summary>
    public bool HasMarkNames => _markNames is not null;

    /// <summary>The mark name of row <paramref name="index"/> (set with <see cref="Add"/>), or null.</summary>
    public string? MarkNameOf(int index) => _markNames is not null && _markNames.TryGetValue(index, out var name) ? name : null;

    /// <summary>Appends a row and returns its index; its predecessors are added with <see cref="AddPred"/> right before.</summary>
    /// <param name="row">The row.</param>
    /// <param name="markName">The row's mark name, or null.</param>
    public int Add(in DocumentOpRow row, string? markName = null)
    {
        if (Count == _rows.Length)
        {
            _rows = GrowRows(_rows, Count);
        }

        _rows[Count] = row;
        if (markName is not null)
        {
            (_markNames ??= [])[Count] = markName;
        }
        if (!row.Synthesized)
        {
            StoredCount++;
            HasStoredDelete |= row.Action == OpAction.Delete;
        }

        return Count++;
    }

    /// <summary>
    /// The slot the next row takes (the arrays grown as needed), for a reader to build a stored row in place and then
    /// count it with <see cref="CommitSlot"/>; valid until the next <see cref="Add"/> or <see cref="NextSlot"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref DocumentOpRow NextSlot()
    {
        if (Count == _rows.Length)
        {
            _rows = GrowRows(_rows, Count);
        }

        return ref _rows[Count];
    }

    /// <summary>Counts the stored row built in <see cref="NextSlot"/>, like <see cref="Add"/>, and returns its index.</summary>
    /// <param name="markName">The row's mark name, or null.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int CommitSlot(string? markName)
    {
        if (markName is not null)
        {
            (_markNames ??= [])[Count] = markName;
        }

        StoredCount++;
        HasStoredDelete |= _rows[Count].Action == OpAction.Delete;
        return Count++;
    }

    /// <summary>Counts the synthesized row built in <see cref="NextSlot"/>, like <see cref="Add"/>.</summary>
    public void CommitSynthesizedSlot() => Count++;

    /// <summary>The position the next predecessor will take in <see cref="PredRows"/>.</summary>
    public int PredPosition => _predCount;

    /// <summary>Appends a predecessor row index.</summary>
    public void AddPred(int row)
    {
        if (_predCount == _predRows.Length)
        {
            _predRows = Grow(_predRows, _predCount);
        }

        _predRows[_predCount++] = row;
    }

    /// <summary>The predecessors of <paramref name="row"/>, ascending by id.</summary>
    public ReadOnlySpan<int> PredsOf(in DocumentOpRow row) => _predRows.AsSpan(row.PredStart, row.PredCount);

    /// <inheritdoc />
    public Op[] MaterializeOps(int index)
    {
        var start = ChangeOpStart[index];
        var ops = new Op[ChangeOpStart[index + 1] - start];
        for (var k = 0; k < ops.Length; k++)
        {
            var r = ChangeOps[start + k];
            ref readonly var row = ref _rows[r];
            var preds = PredsOf(row);
            var pred = new OpId[preds.Length];
            for (var p = 0; p < pred.Length; p++)
            {
                pred[p] = Actors.ToOpId(_rows[preds[p]].Id);
            }

            var obj = row.Obj == 0 ? ObjId.Root : ObjId.FromOpId(Actors.ToOpId(row.Obj));
            var key = row.MapKey is not null ? Key.Map(row.MapKey)
                : Key.Seq(row.Elem == 0 ? ElemId.Head : ElemId.FromOpId(Actors.ToOpId(row.Elem)));
            ops[k] = new Op(obj, key, row.Insert, row.Action, row.Value, pred, row.Expand, MarkNameOf(r), copyPred: false);
        }

        return ops;
    }
}
