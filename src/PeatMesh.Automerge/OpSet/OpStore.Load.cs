using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

internal sealed partial class OpStore
{
    /// <summary>
    /// Builds the op set of an empty store directly from a document chunk's rows, in document order (spec
    /// <c>automerge.md</c> §3 "Document op order"): sequences are bulk-loaded in their stored order instead of placing
    /// every element by the RGA rule, and visibility comes from the succ lists. This is the state replaying the
    /// document's changes in order would build, provided the rows have the form every Automerge writer gives them,
    /// which is checked on the way:
    /// <list type="bullet">
    /// <item>each op is valid where it is (as <see cref="Validate"/> and <see cref="StorableChangeCheck"/> check a
    /// change) and comes after — in (change, counter) order — the op creating its object, the element it references and
    /// every predecessor, so replaying would accept every change;</item>
    /// <item>each sequence is stored as the pre-order walk of its element tree with siblings by descending OpId, every
    /// element's counter greater than its reference's: then that order is the one the RGA rule produces.</item>
    /// </list>
    /// </summary>
    /// <param name="ops">The document's rows, assigned to their changes. Only read, so the changes can be rebuilt and
    /// their heads checked (<see cref="DocumentChangeBuilder.Finish"/>) at the same time on another thread; the op set
    /// built from a document that check rejects must be dropped.</param>
    /// <returns>
    /// <see langword="true"/> when loaded; <see langword="false"/> (store left empty) when a check fails, in which case
    /// the caller replays the changes, which gives the precise verdict.
    /// </returns>
    /// <exception cref="InvalidOperationException">The store is not empty.</exception>
    public bool TryLoad(DocumentOps ops)
    {
        if (OpCount != 0 || _objects.Count != 1)
        {
            throw new InvalidOperationException("Only an empty op store can be loaded from a document.");
        }

        using var loader = new DocumentLoader(this, ops);
        if (!loader.Run() || ops.HasStoredDelete)
        {
            Clear();
            return false;
        }

        _index = null;
        _unindexed = loader.Records();
        if (loader.Compact.Count > 0)
        {
            _compact = loader.Compact;
        }

        // The changes' largest maxOp: their ops are contiguous up to it (the heads check verifies), so it is the
        // largest counter of any op, stored or synthesized delete.
        ulong maxOp = 0;
        var rows = ops.Rows;
        for (var r = 0; r < ops.Count; r++)
        {
            maxOp = Math.Max(maxOp, PackedOpId.Counter(rows[r].Id));
        }

        MaxOp = maxOp;
        _compactMaxOp = maxOp;
        return true;
    }

    private void Clear()
    {
        _index = new();
        _unindexed = null;
        _compact = null;
        _compactLeafOf = null;
        _objects.Clear();
        _objects.Add(ObjId.Root, new MapState(ObjId.Root, ObjType.Map));
        MaxOp = 0;
    }

    /// <summary>One run of <see cref="TryLoad"/>.</summary>
    private sealed class DocumentLoader(OpStore store, DocumentOps ops) : IDisposable
    {
        private readonly DocumentOpRow[] _rows = ops.Rows;
        // How many rows the arrays below hold: the rows may still be coming in (DocumentOps.AwaitRows), so their
        // expected number, or the actual one when that is larger (rows added without an estimate).
        private readonly int _length = RowsFor(ops);
        // The record of each row while loading (pooled: only the records themselves are kept, see Records).
        private readonly OpRecord?[] _records = RentCleared(RowsFor(ops));
        // The row of each object's make op (keyed by the state object: a reference-keyed map is precompiled code, a
        // ulong-keyed one would be JIT-compiled on the first load of a process).
        private readonly Dictionary<ObjectState, int> _makeRows = new(ReferenceEqualityComparer.Instance);
        // Sequence elements by insert row, in document order; an element is "plain" (no object: it becomes a compact
        // slot) while its insert op sets a non-counter scalar and no op targets it. Per row: its reference's row (-1 =
        // _head), and for a plain element how many ops delete it (-1 when the row is not a plain element). Pooled:
        // they only live during the load.
        private int[] _elementRows = System.Buffers.ArrayPool<int>.Shared.Rent(RowsFor(ops));
        private int _elementCount;
        private readonly int[] _parentRow = System.Buffers.ArrayPool<int>.Shared.Rent(RowsFor(ops));
        private readonly int[] _plainHiders = RentFilled(RowsFor(ops), -1);
        private readonly List<SequenceRange> _sequences = [];
        // The path from _head to the last inserted element: ids, rows and the last child placed under each. Plain
        // arrays (not a List of tuples) so that ReadyToRun can precompile every loop here.
        private ulong[] _pathId = new ulong[16];
        private int[] _pathRow = new int[16];
        private ulong[] _pathLastChild = new ulong[16];
        private int _pathCount;
        private Dictionary<ulong, int>? _insertRows;
        private int _insertRowsScanned; // _insertRows holds the inserts of the rows before this one

        // The object whose rows are being read.
        private ObjectState _object = store._objects[ObjId.Root];
        private ulong _obj;
        private int _objMakeRow = -1;
        private int _objElementsStart;

        // The row of the element whose group of rows is being read (-1: none yet in this object).
        private int _elementRow = -1;

        /// <summary>The records created (not the compact elements), in row order; ids are unique (DocumentChangeBuilder checks).</summary>
        public OpRecord[] Records()
        {
            var records = new OpRecord[RecordCount];
            var next = 0;
            foreach (var record in _records.AsSpan(0, _length))
            {
                if (record is not null)
                {
                    records[next++] = record;
                }
            }

            return records;
        }

        /// <summary>Number of records created.</summary>
        public int RecordCount { get; private set; }

        /// <summary>The compact elements of each sequence that has some.</summary>
        public List<CompactElements> Compact { get; } = [];

        public void Dispose()
        {
            _records.AsSpan(0, _length).Clear(); // the pool must not keep records alive
            System.Buffers.ArrayPool<OpRecord?>.Shared.Return(_records);
            System.Buffers.ArrayPool<int>.Shared.Return(_elementRows);
            System.Buffers.ArrayPool<int>.Shared.Return(_parentRow);
            System.Buffers.ArrayPool<int>.Shared.Return(_plainHiders);
        }

        private static int RowsFor(DocumentOps ops) => Math.Max(ops.ExpectedCount, ops.Count);

        private static OpRecord?[] RentCleared(int length)
        {
            var array = System.Buffers.ArrayPool<OpRecord?>.Shared.Rent(length);
            array.AsSpan(0, length).Clear();
            return array;
        }

        private static int[] RentFilled(int length, int value)
        {
            var array = System.Buffers.ArrayPool<int>.Shared.Rent(length);
            array.AsSpan(0, length).Fill(value);
            return array;
        }

        private bool IsPlain(int row) => _plainHiders[row] >= 0;

        private void AddElementRow(int row)
        {
            if (_elementCount == _elementRows.Length)
            {
                var larger = System.Buffers.ArrayPool<int>.Shared.Rent(_elementCount * 2);
                _elementRows.AsSpan(0, _elementCount).CopyTo(larger);
                System.Buffers.ArrayPool<int>.Shared.Return(_elementRows);
                _elementRows = larger;
            }

            _elementRows[_elementCount++] = row;
        }

        public bool Run()
        {
            // The rows are placed as the reader publishes them; the successors and trees need all of them.
            var r = 0;
            while (true)
            {
                var end = ops.AwaitRows(r);
                if (end < 0 || end > _length || !ReferenceEquals(ops.Rows, _rows))
                {
                    return false; // reading failed, or the rows outgrew their estimate (and array): the caller applies the changes instead
                }

                if (end == r)
                {
                    break;
                }

                for (; r < end; r++)
                {
                    if (!_rows[r].Synthesized && !Place(r))
                    {
                        return false;
                    }
                }
            }

            EndObject();
            if (!ApplySuccessors())
            {
                return false;
            }

            BuildTrees();
            return true;
        }

        /// <summary>Creates the record of stored row <paramref name="r"/> (increments only update their predecessors later).</summary>
        private bool Place(int r)
        {
            ref readonly var row = ref _rows[r];
            if (row.Obj != _obj || r == 0)
            {
                if (!BeginObject(row.Obj))
                {
                    return false;
                }
            }

            if (_objMakeRow >= 0 && !Before(_objMakeRow, r))
            {
                return false;
            }

            var sequence = _object as SequenceState;
            if (sequence is null)
            {
                if (row.MapKey is null || row.Insert || row.Action == OpAction.Mark)
                {
                    return false;
                }
            }
            else if (row.MapKey is not null
                || (row.Insert && row.Action is OpAction.Delete or OpAction.Increment)
                || (!row.Insert && (row.Action == OpAction.Mark || row.Elem == 0)))
            {
                return false;
            }

            SequenceElement? target = null;
            if (sequence is not null && !row.Insert)
            {
                target = UpdatedElement(row.Elem, r);
                if (target is null)
                {
                    return false;
                }
            }

            if (row.Action == OpAction.Increment)
            {
                return true;
            }

            var id = ToOpId(row.Id);
            OpRecord record;
            var parentRow = -1;
            if (sequence is null)
            {
                record = OpRecord.ForMap(id, _object, row.MapKey!, row.Action, row.Value);
            }
            else if (target is not null)
            {
                record = OpRecord.ForElement(id, _object, target, row.Action, row.Value);
            }
            else
            {
                if (!PlaceInsert(r, out parentRow))
                {
                    return false;
                }

                _elementRow = r;
                AddElementRow(r);
                _parentRow[r] = parentRow;
                if (row.Action == OpAction.Set && row.Value.Kind != ScalarKind.Counter)
                {
                    _plainHiders[r] = 0; // plain: an object only if an op targets it (ElementAt) or its leaf is not compact
                    return true;
                }

                var reference = ReferenceOf(parentRow);
                record = row.Action == OpAction.Mark
                    ? new MarkOpRecord(id, _object, reference, row.Value, MarkNameOf(r), row.Expand)
                    : SequenceElement.Create(id, _object, reference, row.Action, row.Value);
            }

            _records[r] = record;
            RecordCount++;
            if (record.MadeType is { } type)
            {
                var objId = ObjId.FromOpId(id);
                if (store._objects.TryGetValue(objId, out _))
                {
                    return false; // a repeated op id (the heads check rejects the document)
                }

                ObjectState made = type is ObjType.List or ObjType.Text ? new SequenceState(objId, type) : new MapState(objId, type);
                store._objects.Add(objId, made);
                _makeRows.Add(made, r);
            }

            if (sequence is null)
            {
                ((MapState)_object).Add(record);
                return true;
            }

            if (target is not null)
            {
                target.AddOp(record);
                return true;
            }

            if (record is MarkOpRecord)
            {
                sequence.MarkCount++;
            }

            return true;
        }

        /// <summary>
        /// How an element's insert record holds its reference (row <paramref name="parentRow"/>): its object if it has one,
        /// else its id; null for <c>_head</c>.
        /// </summary>
        private object? ReferenceOf(int parentRow) =>
            parentRow < 0 ? null : _records[parentRow] ?? (object)new ElementReference(ToOpId(_rows[parentRow].Id));

        /// <summary>The object of the element inserted by row <paramref name="row"/>, created now if it is plain.</summary>
        private SequenceElement ElementAt(int row, ObjectState owner)
        {
            if (!IsPlain(row))
            {
                return (SequenceElement)_records[row]!;
            }

            ref readonly var insert = ref _rows[row];
            var element = new SequenceElement(ToOpId(insert.Id), owner, ReferenceOf(_parentRow[row]), insert.Action, insert.Value)
            {
                Hiders = _plainHiders[row],
            };
            _plainHiders[row] = -1;
            _records[row] = element;
            RecordCount++;
            return element;
        }

        /// <summary>
        /// Checks that inserted row <paramref name="r"/> continues the RGA pre-order walk and pushes it on the path;
        /// <paramref name="parentRow"/> receives the row of the element it follows (-1 for <c>_head</c>).
        /// </summary>
        private bool PlaceInsert(int r, out int parentRow)
        {
            ref readonly var row = ref _rows[r];
            var reference = row.Elem;
            parentRow = -1;
            while (_pathId[_pathCount - 1] != reference)
            {
                _pathCount--;
                if (_pathCount == 0)
                {
                    return false; // the reference is not an ancestor-or-self of the previous element
                }
            }

            var top = _pathCount - 1;
            if (PackedOpId.Counter(row.Id) <= PackedOpId.Counter(reference) || row.Id >= _pathLastChild[top]
                || (_pathRow[top] >= 0 && !Before(_pathRow[top], r)))
            {
                return false;
            }

            _pathLastChild[top] = row.Id;
            parentRow = _pathRow[top];
            PushPath(row.Id, r);
            return true;
        }

        private void PushPath(ulong id, int row)
        {
            if (_pathCount == _pathId.Length)
            {
                Array.Resize(ref _pathId, _pathCount * 2);
                Array.Resize(ref _pathRow, _pathCount * 2);
                Array.Resize(ref _pathLastChild, _pathCount * 2);
            }

            _pathId[_pathCount] = id;
            _pathRow[_pathCount] = row;
            _pathLastChild[_pathCount++] = ulong.MaxValue;
        }

        /// <summary>The element a non-insert op in a sequence targets, if it exists and comes before the op.</summary>
        private SequenceElement? UpdatedElement(ulong elem, int r)
        {
            if (_elementRow >= 0 && elem == _rows[_elementRow].Id)
            {
                return Before(_elementRow, r) ? ElementAt(_elementRow, _object) : null;
            }

            var insertRows = InsertRowsBefore(r);
            if (!insertRows.TryGetValue(elem, out var insertRow) || _rows[insertRow].Obj != _obj
                || !(IsPlain(insertRow) || _records[insertRow] is SequenceElement) || !Before(insertRow, r))
            {
                return null;
            }

            return ElementAt(insertRow, _object);
        }

        // The insert rows before row r by op id (first one wins), extended as r advances: an element's insert comes
        // before the ops that update it.
        private Dictionary<ulong, int> InsertRowsBefore(int r)
        {
            var rows = _insertRows ??= [];
            for (; _insertRowsScanned < r; _insertRowsScanned++)
            {
                ref readonly var row = ref _rows[_insertRowsScanned];
                if (row.Insert && !row.Synthesized)
                {
                    rows.TryAdd(row.Id, _insertRowsScanned);
                }
            }

            return rows;
        }

        // A mark's name is read from a map the reader may still be writing: wait until it has finished.
        private string? MarkNameOf(int r) => ops.AwaitComplete() ? ops.MarkNameOf(r) : null;

        private bool BeginObject(ulong obj)
        {
            EndObject();
            _obj = obj;
            _elementRow = -1;
            if (obj == 0)
            {
                _object = store._objects[ObjId.Root];
                _objMakeRow = -1;
            }
            else if (!store._objects.TryGetValue(ObjId.FromOpId(ToOpId(obj)), out var made) || !_makeRows.TryGetValue(made, out _objMakeRow))
            {
                return false; // no make op before this object's rows
            }
            else
            {
                _object = made;
            }

            _objElementsStart = _elementCount;
            _pathCount = 0;
            PushPath(0, -1);
            return true;
        }

        private void EndObject()
        {
            if (_object is SequenceState sequence && _elementCount > _objElementsStart)
            {
                _sequences.Add(new SequenceRange(sequence, _objElementsStart, _elementCount - _objElementsStart));
                _objElementsStart = _elementCount;
            }
        }

        /// <summary>Applies every op's effect on its predecessors: increments add to counters, anything else hides.</summary>
        private bool ApplySuccessors()
        {
            for (var r = 0; r < ops.Count; r++)
            {
                ref readonly var row = ref _rows[r];
                foreach (var p in ops.PredsOf(row))
                {
                    var target = _records[p];
                    if (!Before(p, r))
                    {
                        return false; // a predecessor that comes later
                    }

                    if (target is null)
                    {
                        if (!IsPlain(p))
                        {
                            return false; // a predecessor that is an increment
                        }

                        _plainHiders[p]++; // plain elements are not counters: anything hides them
                        continue;
                    }

                    if (row.Action == OpAction.Increment && target.Action == OpAction.Set && target.Value.Kind == ScalarKind.Counter)
                    {
                        target.Increments = unchecked(target.Increments + row.Value.AsInt64);
                    }
                    else
                    {
                        target.Hiders++;
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// Fills each sequence's tree: a leaf whose elements are all plain holds them as <see cref="CompactSlot"/>s
        /// (no object per element); any other leaf holds element objects, created now for its plain elements.
        /// </summary>
        private void BuildTrees()
        {
            var rows = _elementRows.AsSpan(0, _elementCount);
            foreach (var (sequence, start, count) in _sequences)
            {
                var leaves = new List<SequenceLeaf>((count / SequenceTree.LoadFill) + 1);
                CompactElements? compact = null;
                CompactSlot[]? slots = null; // one array for all the compact leaves of the tree
                var used = 0;
                var next = start;
                foreach (var size in SequenceTree.NodeSizes(count))
                {
                    var chunk = rows.Slice(next, size);
                    next += size;
                    if (AllPlain(chunk))
                    {
                        compact ??= new CompactElements(sequence, ops.Actors, store.OnMaterialized);
                        slots ??= new CompactSlot[count];
                        leaves.Add(CompactLeaf(chunk, slots, used, compact));
                        used += chunk.Length;
                    }
                    else
                    {
                        leaves.Add(ObjectLeaf(chunk, sequence));
                    }
                }

                sequence.Tree.LoadLeaves(leaves);
                if (compact is not null)
                {
                    Compact.Add(compact);
                }
            }
        }

        private bool AllPlain(ReadOnlySpan<int> chunk)
        {
            foreach (var r in chunk)
            {
                if (!IsPlain(r))
                {
                    return false;
                }
            }

            return true;
        }

        private SequenceLeaf CompactLeaf(ReadOnlySpan<int> chunk, CompactSlot[] slots, int offset, CompactElements compact)
        {
            int visible = 0, width = 0, codePoints = 0;
            for (var i = 0; i < chunk.Length; i++)
            {
                var r = chunk[i];
                ref var slot = ref slots[offset + i];
                slot.Id = _rows[r].Id;
                var parent = _parentRow[r];
                slot.Reference = parent < 0 ? 0 : _rows[parent].Id;
                slot.Value = _rows[r].Value;
                slot.Hiders = _plainHiders[r];
                if (slot.Visible)
                {
                    visible++;
                    width += slot.Width;
                    codePoints += slot.CodePoints;
                }
            }

            var leaf = SequenceLeaf.CreateCompact(slots, offset, chunk.Length, compact);
            leaf.SetCounts(chunk.Length, visible, width, codePoints);
            compact.Add(leaf);
            return leaf;
        }

        private SequenceLeaf ObjectLeaf(ReadOnlySpan<int> chunk, SequenceState sequence)
        {
            var leaf = new SequenceLeaf { Count = chunk.Length };
            for (var i = 0; i < chunk.Length; i++)
            {
                var element = ElementAt(chunk[i], sequence);
                if (element.Winner is { } winner)
                {
                    element.SetCounted(true, SequenceElement.WidthOf(winner), SequenceElement.CodePointWidthOf(winner));
                }

                element.Leaf = leaf;
                leaf.Items[i] = element;
            }

            leaf.Recount();
            return leaf;
        }

        /// <summary>The elements of one sequence: <c>_elementRows[Start..Start + Count]</c>.</summary>
        private sealed record SequenceRange(SequenceState Sequence, int Start, int Count);

        /// <summary>Whether row <paramref name="a"/> is applied before row <paramref name="b"/> when replaying: earlier change, or same change and smaller counter.</summary>
        private bool Before(int a, int b)
        {
            var ca = _rows[a].Change;
            var cb = _rows[b].Change;
            return ca < cb || (ca == cb && PackedOpId.Counter(_rows[a].Id) < PackedOpId.Counter(_rows[b].Id));
        }

        private OpId ToOpId(ulong packed) => ops.Actors.ToOpId(packed);
    }
}
