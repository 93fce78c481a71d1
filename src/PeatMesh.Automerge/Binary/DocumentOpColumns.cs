using System.Runtime.InteropServices;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Decodes a document chunk's op columns into change ops (Automerge binary format §2.5 "Document op columns",
/// §3 "Doc → changes"): pred lists are inverted from succ lists, and a succ id that is not itself an op row is a
/// delete, synthesized once the ops of its (object, key) group have all been read.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class DocumentOpColumns
{
    /// <summary>Validates the layout: succ group complete, obj and id actor/counter pairs complete.</summary>
    public static void ValidateLayout(RawColumn[] columns)
    {
        ChangeOpColumns.ValidateOpIdListGroup(columns, OpColumnSpecs.SuccGroup, OpColumnSpecs.SuccActor, OpColumnSpecs.SuccCounter, "succ");
        ChangeOpColumns.ValidatePair(columns, OpColumnSpecs.ObjActor, OpColumnSpecs.ObjCounter, "Object id");
        ChangeOpColumns.ValidatePair(columns, OpColumnSpecs.IdActor, OpColumnSpecs.IdCounter, "Op id");
    }

    /// <summary>Decodes every op row and feeds the ops (and synthesized deletes) to <paramref name="collector"/>.</summary>
    /// <exception cref="AutomergeFormatException">
    /// Malformed columns, invalid ids, succ out of order, objects out of order, a mark end before its begin, or an op without a change.
    /// </exception>
    public static int Decode(DocumentColumns columns, IReadOnlyList<ActorId> actors, ChangeCollector collector, int maxRows)
    {
        var idActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.IdActor), "id actor", maxRows);
        var idCounter = new DeltaDecoder(columns.Get(OpColumnSpecs.IdCounter), "id counter", maxRows);
        var objActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.ObjActor), "obj actor", maxRows);
        var objCounter = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.ObjCounter), "obj counter", maxRows);
        var keyActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.KeyActor), "key actor", maxRows);
        var keyCounter = new DeltaDecoder(columns.Get(OpColumnSpecs.KeyCounter), "key counter", maxRows);
        var keyString = new RleDecoder<string, StringCodec>(columns.Get(OpColumnSpecs.KeyString), "key string", maxRows);
        var insert = new BooleanDecoder(columns.Get(OpColumnSpecs.Insert), "insert", maxRows);
        var action = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.Action), "action", maxRows);
        var value = new ValueColumnDecoder(columns.Get(OpColumnSpecs.ValueMetadata), columns.Get(OpColumnSpecs.Value), "value", maxRows);
        var succGroup = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.SuccGroup), "succ group", maxRows);
        var succActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.SuccActor), "succ actor", maxRows);
        var succCounter = new DeltaDecoder(columns.Get(OpColumnSpecs.SuccCounter), "succ counter", maxRows);
        var expand = new BooleanDecoder(columns.Get(OpColumnSpecs.Expand), "expand", maxRows);
        var markName = new RleDecoder<string, StringCodec>(columns.Get(OpColumnSpecs.MarkName), "mark name", maxRows);

        // succ id -> the ops that list it (their future pred); most ids have exactly one, kept inline.
        var pending = new Dictionary<OpId, PredList>();
        var markOrder = new MarkOrderValidator();
        var groupObj = ObjId.Root;
        var groupKey = default(Key);
        var inGroup = false;
        var rows = 0;
        while (!idActor.IsDone)
        {
            if (!idActor.TryNext(out var idActorIndex) || !idCounter.TryNext(out var idCounterValue))
            {
                throw new AutomergeFormatException("Unexpected null in the op id columns.");
            }

            if (idCounterValue <= 0)
            {
                throw new AutomergeFormatException("Op id counter must be positive, found " + idCounterValue + ".");
            }

            var id = new OpId(ChangeOpColumns.CheckCounter((ulong)idCounterValue), ChangeOpColumns.Actor(actors, idActorIndex));
            var obj = ChangeOpColumns.ReadObj(ref objActor, ref objCounter, actors);
            var key = ChangeOpColumns.ReadKey(ref keyActor, ref keyCounter, ref keyString, actors);
            var isInsert = insert.Next();
            if (!action.TryNext(out var actionCode))
            {
                throw new AutomergeFormatException("Unexpected null in the action column.");
            }

            if (actionCode > (ulong)OpAction.Mark)
            {
                throw new AutomergeFormatException("Unknown action " + actionCode + ".");
            }

            var opValue = value.Next();
            if (actionCode == (ulong)OpAction.Increment && opValue.Kind is not (ScalarKind.Int or ScalarKind.Uint))
            {
                throw new AutomergeFormatException("An increment op needs an int or uint value, found " + opValue.Kind + ".");
            }

            var succ = ChangeOpColumns.ReadOpIdList(ref succGroup, ref succActor, ref succCounter, actors, "succ", maxRows);
            for (var s = 1; s < succ.Length; s++)
            {
                if (succ[s] < succ[s - 1])
                {
                    throw new AutomergeFormatException("Succ out of order in op " + id + ".");
                }
            }

            var isExpand = expand.Next();
            var name = markName.TryNext(out var n) ? n : null;
            if (actionCode == (ulong)OpAction.Mark)
            {
                markOrder.Process(id, obj, name);
            }

            var opGroupKey = isInsert ? Key.Seq(ElemId.FromOpId(id)) : key;
            if (inGroup && (obj != groupObj || opGroupKey != groupKey))
            {
                if (obj < groupObj)
                {
                    throw new AutomergeFormatException("The document contained ops which were out of order.");
                }

                FlushDeletes(pending, groupObj, groupKey, collector);
            }

            groupObj = obj;
            groupKey = opGroupKey;
            inGroup = true;

            var pred = pending.Remove(id, out var preds) ? preds.ToSortedArray() : [];
            collector.Add(id, new Op(obj, key, isInsert, (OpAction)actionCode, opValue, pred, isExpand, name));
            foreach (var successor in succ)
            {
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(pending, successor, out _);
                entry.Add(id);
            }

            rows++;
        }

        if (inGroup)
        {
            FlushDeletes(pending, groupObj, groupKey, collector);
        }

        if (!(idCounter.IsDone && objActor.IsDone && objCounter.IsDone && keyActor.IsDone && keyCounter.IsDone && keyString.IsDone
            && insert.IsDone && action.IsDone && value.IsDone && succGroup.IsDone && succActor.IsDone && succCounter.IsDone
            && expand.IsDone && markName.IsDone))
        {
            throw new AutomergeFormatException("Op columns hold more rows than the op id columns.");
        }

        return rows;
    }

    private static void FlushDeletes(Dictionary<OpId, PredList> pending, ObjId obj, Key key, ChangeCollector collector)
    {
        foreach (var (deleteId, preds) in pending)
        {
            collector.Add(deleteId, new Op(obj, key, false, OpAction.Delete, ScalarValue.Null, preds.ToSortedArray()));
        }

        pending.Clear();
    }

    /// <summary>A small list of op ids: the first inline, the rest in a list allocated only when needed.</summary>
    private struct PredList
    {
        private OpId _first;
        private List<OpId>? _more;
        private bool _hasFirst;

        public void Add(OpId id)
        {
            if (!_hasFirst)
            {
                _first = id;
                _hasFirst = true;
                return;
            }

            (_more ??= []).Add(id);
        }

        public readonly OpId[] ToSortedArray()
        {
            if (_more is null)
            {
                return _hasFirst ? [_first] : [];
            }

            var array = new OpId[_more.Count + 1];
            array[0] = _first;
            _more.CopyTo(array, 1);
            Array.Sort(array);
            return array;
        }
    }
}
