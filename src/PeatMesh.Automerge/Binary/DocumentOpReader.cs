using System.Runtime.CompilerServices;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Decodes a document chunk's op columns into <see cref="DocumentOps"/> rows (Automerge binary format §2.5 "Document op
/// columns", §3 "Doc → changes"): pred lists are inverted from succ lists, and a succ id that is not itself an op row
/// of the same (object, key) group becomes a synthesized delete at the end of that group. Each op is assigned to its
/// change as it is read.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class DocumentOpReader
{
    /// <summary>Validates the layout: succ group complete, obj and id actor/counter pairs complete.</summary>
    public static void ValidateLayout(RawColumn[] columns)
    {
        ChangeOpColumns.ValidateOpIdListGroup(columns, OpColumnSpecs.SuccGroup, OpColumnSpecs.SuccActor, OpColumnSpecs.SuccCounter, "succ");
        ChangeOpColumns.ValidatePair(columns, OpColumnSpecs.ObjActor, OpColumnSpecs.ObjCounter, "Object id");
        ChangeOpColumns.ValidatePair(columns, OpColumnSpecs.IdActor, OpColumnSpecs.IdCounter, "Op id");
    }

    /// <summary>
    /// Counts the stored rows (from the action column) and the succ entries (sum of the succ group column), which bound
    /// the rows and predecessor entries <see cref="Read"/> produces; 0 for malformed columns (then arrays just grow).
    /// </summary>
    public static (int Rows, int Succ) Count(DocumentColumns columns, int maxRows)
    {
        if (!RleColumnScan.TryScan(columns.Get(OpColumnSpecs.Action), maxRows, out var rows, out _)
            || !RleColumnScan.TryScan(columns.Get(OpColumnSpecs.SuccGroup), maxRows, out _, out var succ))
        {
            return (0, 0); // reported by Read
        }

        return ((int)rows, (int)Math.Min(succ, maxRows));
    }

    /// <summary>Decodes every op row (and synthesizes the deletes) into <paramref name="ops"/>.</summary>
    /// <param name="columns">The (inflated) op columns.</param>
    /// <param name="ops">Receives the rows.</param>
    /// <param name="changes">Assigns each op to its change.</param>
    /// <param name="maxRows">The most rows any column may yield.</param>
    /// <exception cref="AutomergeFormatException">
    /// Malformed columns, invalid ids, succ out of order, objects out of order, a mark end before its begin, or an op without a change.
    /// </exception>
    /// <remarks>
    /// The columns are decoded in blocks of <see cref="DocumentOpBlock.Size"/> rows, each column in one bulk call, and
    /// the rows assembled from the blocks; a column's decoding error is raised at its row and column, in the order
    /// reading row by row raises them. Each block's rows are published (<see cref="DocumentOps.Publish"/>) for a reader
    /// on another thread; completing or abandoning the rows is the caller's step.
    /// </remarks>
    public static void Read(DocumentColumns columns, DocumentOps ops, DocumentChangeBuilder changes, int maxRows)
    {
        var decoders = new DocumentOpColumnDecoders(columns, maxRows);
        var b = new DocumentOpBlock();
        var state = new ReadState(ops, changes, maxRows);
        while (ReadBlock(ref decoders, b, state))
        {
            ops.Publish(); // the op set may be built from these rows while the next block is read
        }

        state.Finish();
        if (!(decoders.IdActor.IsDone && decoders.OthersDone && b.SuccPosition == b.SuccLength))
        {
            throw new AutomergeFormatException("Op columns hold more rows than the op id columns.");
        }
    }

    /// <summary>Decodes the next block of rows column by column and adds its rows; false when the op id columns have ended.</summary>
    private static bool ReadBlock(ref DocumentOpColumnDecoders d, DocumentOpBlock b, ReadState state)
    {
        b.StartBlock();
        var n = d.IdActor.Fill(b.IdActor, b.IdActorPresent, stopAtEnd: true, out var idActorError);
        if (n == 0 && idActorError is null)
        {
            return false;
        }

        b.Note(DocumentOpBlock.IdActorColumn, n, idActorError);
        AutomergeFormatException? e;
        b.Note(DocumentOpBlock.IdCounterColumn, d.IdCounter.Fill(b.IdCounter.AsSpan(0, n), b.IdCounterPresent, out e), e);
        b.Note(DocumentOpBlock.ObjActorColumn, d.ObjActor.Fill(b.ObjActor.AsSpan(0, n), b.ObjActorPresent, false, out e), e);
        b.Note(DocumentOpBlock.ObjCounterColumn, d.ObjCounter.Fill(b.ObjCounter.AsSpan(0, n), b.ObjCounterPresent, false, out e), e);
        b.Note(DocumentOpBlock.KeyActorColumn, d.KeyActor.Fill(b.KeyActor.AsSpan(0, n), b.KeyActorPresent, false, out e), e);
        b.Note(DocumentOpBlock.KeyCounterColumn, d.KeyCounter.Fill(b.KeyCounter.AsSpan(0, n), b.KeyCounterPresent, out e), e);
        b.Note(DocumentOpBlock.KeyStringColumn, d.KeyString.Fill(b.KeyString.AsSpan(0, n), b.KeyStringPresent, false, out e), e);
        b.Note(DocumentOpBlock.InsertColumn, d.Insert.Fill(b.Insert.AsSpan(0, n), out e), e);
        b.Note(DocumentOpBlock.ActionColumn, d.Action.Fill(b.Action.AsSpan(0, n), b.ActionPresent, false, out e), e);
        b.Note(DocumentOpBlock.ValueColumn, d.Value.FillMetadata(b.ValueMeta.AsSpan(0, n), b.ValueMetaPresent, out e), e);
        b.Note(DocumentOpBlock.SuccGroupColumn, d.SuccGroup.Fill(b.SuccGroup.AsSpan(0, n), b.SuccGroupPresent, false, out e), e);
        b.Note(DocumentOpBlock.ExpandColumn, d.Expand.Fill(b.Expand.AsSpan(0, n), out e), e);
        b.Note(DocumentOpBlock.MarkNameColumn, d.MarkName.Fill(b.MarkName.AsSpan(0, n), b.MarkNamePresent, false, out e), e);

        // The succ items this block's rows will read (rows whose count is rejected read none).
        long demand = 0;
        var last = Math.Min(n, b.Stop);
        for (var j = 0; j < last; j++)
        {
            if (b.SuccGroupPresent[j] && b.SuccGroup[j] <= (ulong)state.MaxRows)
            {
                demand += (long)b.SuccGroup[j];
            }
        }

        state.SuccDemand = demand;
        var end = idActorError is null ? n : n + 1; // the row where the id actor column failed raises its error
        if (b.Stop == int.MaxValue)
        {
            for (var j = 0; j < end; j++)
            {
                ReadRow<NoErrors>(b, j, ref d.Value, ref d.SuccActor, ref d.SuccCounter, state);
            }
        }
        else
        {
            for (var j = 0; j < end; j++)
            {
                ReadRow<SomeErrors>(b, j, ref d.Value, ref d.SuccActor, ref d.SuccCounter, state);
            }
        }

        return true;
    }

    private static void ReadRow<TChecks>(DocumentOpBlock b, int j, ref ValueColumnDecoder value, ref RleDecoder<ulong, UInt64Codec> succActor,
        ref DeltaDecoder succCounter, ReadState state)
        where TChecks : struct, IErrorChecks
    {
        var actors = state.Ops.Actors;
        Check<TChecks>(b, j, DocumentOpBlock.IdActorColumn);
        Check<TChecks>(b, j, DocumentOpBlock.IdCounterColumn);
        if (!b.IdActorPresent[j] || !b.IdCounterPresent[j])
        {
            throw new AutomergeFormatException("Unexpected null in the op id columns.");
        }

        var idCounterValue = b.IdCounter[j];
        if (idCounterValue <= 0)
        {
            throw new AutomergeFormatException("Op id counter must be positive, found " + idCounterValue + ".");
        }

        var id = PackedOpId.Pack(ChangeOpColumns.CheckCounter((ulong)idCounterValue), (ulong)actors.RankOf(b.IdActor[j]));
        Check<TChecks>(b, j, DocumentOpBlock.ObjActorColumn);
        Check<TChecks>(b, j, DocumentOpBlock.ObjCounterColumn);
        var obj = ToObj(b.ObjActorPresent[j], b.ObjActor[j], b.ObjCounterPresent[j], b.ObjCounter[j], actors);
        Check<TChecks>(b, j, DocumentOpBlock.KeyActorColumn);
        Check<TChecks>(b, j, DocumentOpBlock.KeyCounterColumn);
        Check<TChecks>(b, j, DocumentOpBlock.KeyStringColumn);
        string? mapKey = null;
        ulong elem = 0;
        if (b.KeyStringPresent[j])
        {
            if (b.KeyActorPresent[j] || b.KeyCounterPresent[j])
            {
                throw new AutomergeFormatException("Key has both a map key and an element id.");
            }

            mapKey = b.KeyString[j];
        }
        else
        {
            elem = ToElem(b.KeyActorPresent[j], b.KeyActor[j], b.KeyCounterPresent[j], b.KeyCounter[j], actors);
        }

        Check<TChecks>(b, j, DocumentOpBlock.InsertColumn);
        var insert = b.Insert[j];

        // A row that starts another (object, key) group first ends the previous one (its synthesized deletes), so the
        // row is built in its final slot; every field is set.
        state.BeginRow(id, obj, elem, mapKey, insert);
        ref var row = ref state.Ops.NextSlot();
        row.Id = id;
        row.Obj = obj;
        row.MapKey = mapKey;
        row.Elem = elem;
        row.Insert = insert;
        Check<TChecks>(b, j, DocumentOpBlock.ActionColumn);
        if (!b.ActionPresent[j])
        {
            throw new AutomergeFormatException("Unexpected null in the action column.");
        }

        var actionCode = b.Action[j];
        if (actionCode > (ulong)OpAction.Mark)
        {
            throw new AutomergeFormatException("Unknown action " + actionCode + ".");
        }

        row.Action = (OpAction)actionCode;
        Check<TChecks>(b, j, DocumentOpBlock.ValueColumn);
        if (!b.ValueMetaPresent[j])
        {
            throw new AutomergeFormatException("Unexpected null in value metadata.");
        }

        row.Value = value.Read(b.ValueMeta[j]);
        if (row.Action == OpAction.Increment && row.Value.Kind is not (ScalarKind.Int or ScalarKind.Uint))
        {
            throw new AutomergeFormatException("An increment op needs an int or uint value, found " + row.Value.Kind + ".");
        }

        Check<TChecks>(b, j, DocumentOpBlock.SuccGroupColumn);
        if (!b.SuccGroupPresent[j])
        {
            throw new AutomergeFormatException("Unexpected null in the succ group column.");
        }

        var count = b.SuccGroup[j];
        if (count > (ulong)state.MaxRows)
        {
            throw new AutomergeFormatException("succ group count " + count + " is too large.");
        }

        var succCount = (int)count;
        if (succCount > 0)
        {
            ReadSucc(b, succCount, ref succActor, ref succCounter, state, row.Id);
        }

        Check<TChecks>(b, j, DocumentOpBlock.ExpandColumn);
        row.Expand = b.Expand[j];
        row.Synthesized = false;
        Check<TChecks>(b, j, DocumentOpBlock.MarkNameColumn);
        var rowMarkName = b.MarkNamePresent[j] ? b.MarkName[j] : null;
        state.Add(ref row, rowMarkName, succCount);
    }

    /// <summary>Raises a block column's error at its row (when the block has errors at all).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Check<TChecks>(DocumentOpBlock b, int j, int column)
        where TChecks : struct, IErrorChecks
    {
        if (TChecks.Enabled)
        {
            b.Check(j, column);
        }
    }

    /// <summary>Reads one succ list into the state (<see cref="ReadState.SetSucc"/>), checking that it ascends.</summary>
    private static void ReadSucc(DocumentOpBlock b, int count, ref RleDecoder<ulong, UInt64Codec> actorColumn, ref DeltaDecoder counterColumn,
        ReadState state, ulong id)
    {
        var actors = state.Ops.Actors;
        var previous = 0UL;
        for (var i = 0; i < count; i++)
        {
            if (b.SuccPosition == b.SuccLength)
            {
                RefillSucc(b, ref actorColumn, ref counterColumn, state);
            }

            var p = b.SuccPosition;
            var item = b.SuccBase + p;
            if (p == b.SuccLength)
            {
                // a bulk read failed here: raise what reading item by item raises first
                b.ThrowIfFailed(item, DocumentOpBlock.SuccActorColumn);
                if (!b.SuccActorPresent[p])
                {
                    throw new AutomergeFormatException("succ group count exceeds the grouped succ columns.");
                }

                b.ThrowIfFailed(item, DocumentOpBlock.SuccCounterColumn);
            }

            if (!b.SuccActorPresent[p] || !b.SuccCounterPresent[p])
            {
                throw new AutomergeFormatException("succ group count exceeds the grouped succ columns.");
            }

            var counter = b.SuccCounter[p];
            if (counter <= 0)
            {
                throw new AutomergeFormatException("succ counter must be positive, found " + counter + ".");
            }

            var successor = PackedOpId.Pack(ChangeOpColumns.CheckCounter((ulong)counter), (ulong)actors.RankOf(b.SuccActor[p]));
            if (i > 0 && successor < previous)
            {
                throw new AutomergeFormatException("Succ out of order in op " + actors.ToOpId(id) + ".");
            }

            state.SetSucc(i, successor);
            previous = successor;
            b.SuccPosition++;
            state.SuccDemand--;
        }
    }

    private static void RefillSucc(DocumentOpBlock b, ref RleDecoder<ulong, UInt64Codec> actorColumn, ref DeltaDecoder counterColumn, ReadState state)
    {
        var next = b.SuccBase + b.SuccLength;
        if (b.SuccFailedAt(DocumentOpBlock.SuccActorColumn, next) || b.SuccFailedAt(DocumentOpBlock.SuccCounterColumn, next))
        {
            return; // the failing item is next; its flags stay readable at SuccPosition
        }

        b.SuccBase = next;
        b.SuccPosition = 0;
        b.SuccLength = 0;
        var want = (int)Math.Clamp(state.SuccDemand, 1, DocumentOpBlock.Size);
        var actorCount = actorColumn.Fill(b.SuccActor.AsSpan(0, want), b.SuccActorPresent, false, out var actorError);
        var counterCount = counterColumn.Fill(b.SuccCounter.AsSpan(0, want), b.SuccCounterPresent, out var counterError);
        b.NoteSucc(DocumentOpBlock.SuccActorColumn, b.SuccBase + actorCount, actorError);
        b.NoteSucc(DocumentOpBlock.SuccCounterColumn, b.SuccBase + counterCount, counterError);
        b.SuccLength = Math.Min(actorCount, counterCount);
    }

    /// <summary>Whether a block has column errors: a row reader specialised for each skips the checks when none.</summary>
    private interface IErrorChecks
    {
        static abstract bool Enabled { get; }
    }

    private struct NoErrors : IErrorChecks
    {
        public static bool Enabled => false;
    }

    private struct SomeErrors : IErrorChecks
    {
        public static bool Enabled => true;
    }

    /// <summary>The reader's state between rows: the current (object, key) group and the ids awaiting their preds.</summary>
    private sealed class ReadState(DocumentOps ops, DocumentChangeBuilder changes, int maxRows)
    {
        private readonly PendingPreds _pending = new(); // succ id -> the rows that list it (its future preds), within the current group
        private ulong[] _succ = new ulong[8]; // the current row's succ ids (an array, not a List<ulong>: see PendingPreds)
        private MarkOrderValidator? _markOrder;
        private ulong _groupObj, _groupElem;
        private string? _groupMapKey;
        private bool _inGroup;

        public DocumentOps Ops { get; } = ops;

        public int MaxRows { get; } = maxRows;

        /// <summary>Succ items the rest of the block's rows will read.</summary>
        public long SuccDemand { get; set; }

        public void SetSucc(int index, ulong id)
        {
            if (index == _succ.Length)
            {
                Array.Resize(ref _succ, _succ.Length * 2);
            }

            _succ[index] = id;
        }

        /// <summary>
        /// Called with a stored row's id, object, key and insert flag before the row is built: when the row starts another
        /// (object, key) group, checks that objects ascend and ends the previous group by synthesizing its pending deletes,
        /// so that the row can be built in the next slot (<see cref="DocumentOps.NextSlot"/>), which is its final one; then
        /// makes the row's group the current one.
        /// </summary>
        public void BeginRow(ulong id, ulong obj, ulong elem, string? mapKey, bool insert)
        {
            // The op's (object, key) group: an insert starts the group of its own element.
            var groupElem = insert ? id : elem;
            var groupMapKey = insert ? null : mapKey;
            if (_inGroup && (obj != _groupObj || groupElem != _groupElem || !string.Equals(groupMapKey, _groupMapKey, StringComparison.Ordinal)))
            {
                if (obj < _groupObj)
                {
                    throw new AutomergeFormatException("The document contained ops which were out of order.");
                }

                if (!_pending.IsEmpty)
                {
                    FlushDeletes(_pending, _groupObj, _groupMapKey, _groupElem, Ops, changes);
                }
            }

            _groupObj = obj;
            _groupElem = groupElem;
            _groupMapKey = groupMapKey;
            _inGroup = true;
        }

        /// <summary>
        /// Commits the stored row built in <see cref="DocumentOps.NextSlot"/> after <see cref="BeginRow"/>, whose
        /// <paramref name="succCount"/> successors were set with <see cref="SetSucc"/>: its preds, change and successors.
        /// </summary>
        public void Add(ref DocumentOpRow row, string? markName, int succCount)
        {
            if (row.Action == OpAction.Mark)
            {
                var actors = Ops.Actors;
                (_markOrder ??= new MarkOrderValidator()).Process(actors.ToOpId(row.Id), row.Obj == 0 ? ObjId.Root : ObjId.FromOpId(actors.ToOpId(row.Obj)), markName);
            }

            row.PredStart = Ops.PredPosition;
            row.PredCount = _pending.IsEmpty ? 0 : _pending.TakeInto(row.Id, Ops);
            row.Change = changes.Assign(row.Id);
            var index = Ops.CommitSlot(markName);
            for (var k = 0; k < succCount; k++)
            {
                _pending.Add(_succ[k], index);
            }
        }

        /// <summary>Synthesizes the last group's deletes.</summary>
        public void Finish()
        {
            if (_inGroup)
            {
                FlushDeletes(_pending, _groupObj, _groupMapKey, _groupElem, Ops, changes);
            }
        }
    }

    private static void FlushDeletes(PendingPreds pending, ulong obj, string? mapKey, ulong elem, DocumentOps ops, DocumentChangeBuilder changes)
    {
        for (var i = 0; i < pending.AddedCount; i++)
        {
            var deleteId = pending.AddedAt(i, out var isPending);
            if (!isPending)
            {
                continue;
            }

            ref var row = ref ops.NextSlot(); // built in place: every field is set
            row.Id = deleteId;
            row.Obj = obj;
            row.MapKey = mapKey;
            row.Elem = mapKey is null ? elem : 0;
            row.Value = default;
            row.Action = OpAction.Delete;
            row.Insert = false;
            row.Expand = false;
            row.Synthesized = true;
            row.PredStart = ops.PredPosition;
            row.PredCount = pending.TakeAddedInto(i, ops);
            row.Change = changes.Assign(deleteId);
            ops.CommitSynthesizedSlot();
        }

        pending.Clear();
    }

    /// <summary>An object id (null, null = root; counter 0 = root as Automerge reads it) as a packed id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToObj(bool hasActor, ulong actor, bool hasCounter, ulong counter, DocumentActors actors) =>
        hasActor && hasCounter && counter != 0
            ? PackedOpId.Pack(ChangeOpColumns.CheckCounter(counter), (ulong)actors.RankOf(actor))
            : ToObjOther(hasActor, hasCounter, counter);

    /// <summary><see cref="ToObj"/> for a root or invalid object id.</summary>
    private static ulong ToObjOther(bool hasActor, bool hasCounter, ulong counter)
    {
        if (hasCounter && counter == 0)
        {
            return 0; // Automerge reads counter 0 as the root whatever the actor column says
        }

        if (!hasActor && !hasCounter)
        {
            return 0;
        }

        throw new AutomergeFormatException("Object id with a null " + (hasActor ? "counter" : "actor") + ".");
    }

    /// <summary>A sequence key: <c>_head</c> (null actor, counter 0) = 0, or an element id (packed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToElem(bool hasActor, ulong actor, bool hasCounter, long counter, DocumentActors actors) =>
        hasActor && hasCounter && counter > 0
            ? PackedOpId.Pack(ChangeOpColumns.CheckCounter((ulong)counter), (ulong)actors.RankOf(actor))
            : ToElemOther(hasActor, hasCounter, counter);

    /// <summary><see cref="ToElem"/> for <c>_head</c> or an invalid element id.</summary>
    private static ulong ToElemOther(bool hasActor, bool hasCounter, long counter)
    {
        if (!hasActor && hasCounter && counter == 0)
        {
            return 0;
        }

        if (!hasActor || !hasCounter)
        {
            throw new AutomergeFormatException("Key with a null " + (hasActor ? "counter" : "actor") + ".");
        }

        throw new AutomergeFormatException("Element id counter must be positive, found " + counter + ".");
    }
}
