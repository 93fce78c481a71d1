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
        try
        {
            var rows = 0;
            var action = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.Action), "action", maxRows);
            while (!action.IsDone)
            {
                action.TryNext(out _);
                rows++;
            }

            long succ = 0;
            var group = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.SuccGroup), "succ group", maxRows);
            while (!group.IsDone)
            {
                succ += group.TryNext(out var n) ? (long)Math.Min(n, (ulong)maxRows) : 0;
            }

            return (rows, (int)Math.Min(succ, maxRows));
        }
        catch (AutomergeFormatException)
        {
            return (0, 0); // reported by Read
        }
    }

    /// <summary>Decodes every op row (and synthesizes the deletes) into <paramref name="ops"/>.</summary>
    /// <param name="columns">The (inflated) op columns.</param>
    /// <param name="ops">Receives the rows.</param>
    /// <param name="changes">Assigns each op to its change.</param>
    /// <param name="maxRows">The most rows any column may yield.</param>
    /// <exception cref="AutomergeFormatException">
    /// Malformed columns, invalid ids, succ out of order, objects out of order, a mark end before its begin, or an op without a change.
    /// </exception>
    public static void Read(DocumentColumns columns, DocumentOps ops, DocumentChangeBuilder changes, int maxRows)
    {
        var actors = ops.Actors;
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

        // succ id -> the rows that list it (its future preds), within the current group.
        var pending = new PendingPreds();
        var succ = new ulong[8]; // the current row's succ ids (an array, not a List<ulong>: see PendingPreds)
        var markOrder = new MarkOrderValidator();
        ulong groupObj = 0, groupElem = 0;
        string? groupMapKey = null;
        var inGroup = false;
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

            var row = default(DocumentOpRow);
            row.Id = PackedOpId.Pack(ChangeOpColumns.CheckCounter((ulong)idCounterValue), (ulong)actors.RankOf(idActorIndex));
            row.Obj = ReadObj(ref objActor, ref objCounter, actors);
            ReadKey(ref keyActor, ref keyCounter, ref keyString, actors, out row.MapKey, out row.Elem);
            row.Insert = insert.Next();
            if (!action.TryNext(out var actionCode))
            {
                throw new AutomergeFormatException("Unexpected null in the action column.");
            }

            if (actionCode > (ulong)OpAction.Mark)
            {
                throw new AutomergeFormatException("Unknown action " + actionCode + ".");
            }

            row.Action = (OpAction)actionCode;
            row.Value = value.Next();
            if (row.Action == OpAction.Increment && row.Value.Kind is not (ScalarKind.Int or ScalarKind.Uint))
            {
                throw new AutomergeFormatException("An increment op needs an int or uint value, found " + row.Value.Kind + ".");
            }

            var succCount = ReadSucc(ref succGroup, ref succActor, ref succCounter, actors, maxRows, row.Id, ref succ);
            row.Expand = expand.Next();
            var rowMarkName = markName.TryNext(out var name) ? name : null;
            if (row.Action == OpAction.Mark)
            {
                markOrder.Process(actors.ToOpId(row.Id), row.Obj == 0 ? ObjId.Root : ObjId.FromOpId(actors.ToOpId(row.Obj)), rowMarkName);
            }

            // The op's (object, key) group: an insert starts the group of its own element.
            var opGroupElem = row.Insert ? row.Id : row.Elem;
            var opGroupMapKey = row.Insert ? null : row.MapKey;
            if (inGroup && (row.Obj != groupObj || opGroupElem != groupElem || !string.Equals(opGroupMapKey, groupMapKey, StringComparison.Ordinal)))
            {
                if (row.Obj < groupObj)
                {
                    throw new AutomergeFormatException("The document contained ops which were out of order.");
                }

                FlushDeletes(pending, groupObj, groupMapKey, groupElem, ops, changes);
            }

            groupObj = row.Obj;
            groupElem = opGroupElem;
            groupMapKey = opGroupMapKey;
            inGroup = true;

            row.PredStart = ops.PredPosition;
            row.PredCount = pending.TakeInto(row.Id, ops);

            row.Change = changes.Assign(row.Id);
            var index = ops.Add(row, rowMarkName);
            for (var k = 0; k < succCount; k++)
            {
                pending.Add(succ[k], index);
            }
        }

        if (inGroup)
        {
            FlushDeletes(pending, groupObj, groupMapKey, groupElem, ops, changes);
        }

        if (!(idCounter.IsDone && objActor.IsDone && objCounter.IsDone && keyActor.IsDone && keyCounter.IsDone && keyString.IsDone
            && insert.IsDone && action.IsDone && value.IsDone && succGroup.IsDone && succActor.IsDone && succCounter.IsDone
            && expand.IsDone && markName.IsDone))
        {
            throw new AutomergeFormatException("Op columns hold more rows than the op id columns.");
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

            var row = default(DocumentOpRow);
            row.Id = deleteId;
            row.Obj = obj;
            row.MapKey = mapKey;
            row.Elem = mapKey is null ? elem : 0;
            row.Action = OpAction.Delete;
            row.Synthesized = true;
            row.PredStart = ops.PredPosition;
            row.PredCount = pending.TakeAddedInto(i, ops);
            row.Change = changes.Assign(deleteId);
            ops.Add(row);
        }

        pending.Clear();
    }

    /// <summary>Reads one object id (null, null = root; counter 0 = root as Automerge reads it) as a packed id.</summary>
    private static ulong ReadObj(ref RleDecoder<ulong, UInt64Codec> actorColumn, ref RleDecoder<ulong, UInt64Codec> counterColumn, DocumentActors actors)
    {
        var hasActor = actorColumn.TryNext(out var actor);
        var hasCounter = counterColumn.TryNext(out var counter);
        if (hasCounter && counter == 0)
        {
            return 0; // Automerge reads counter 0 as the root whatever the actor column says
        }

        if (!hasActor && !hasCounter)
        {
            return 0;
        }

        if (!hasActor || !hasCounter)
        {
            throw new AutomergeFormatException("Object id with a null " + (hasActor ? "counter" : "actor") + ".");
        }

        return PackedOpId.Pack(ChangeOpColumns.CheckCounter(counter), (ulong)actors.RankOf(actor));
    }

    /// <summary>Reads one key: a map key, <c>_head</c> (null actor, counter 0) or an element id (packed).</summary>
    private static void ReadKey(ref RleDecoder<ulong, UInt64Codec> actorColumn, ref DeltaDecoder counterColumn,
        ref RleDecoder<string, StringCodec> stringColumn, DocumentActors actors, out string? mapKey, out ulong elem)
    {
        var hasActor = actorColumn.TryNext(out var actor);
        var hasCounter = counterColumn.TryNext(out var counter);
        var hasString = stringColumn.TryNext(out mapKey);
        elem = 0;
        if (hasString)
        {
            if (hasActor || hasCounter)
            {
                throw new AutomergeFormatException("Key has both a map key and an element id.");
            }

            return;
        }

        mapKey = null;
        if (!hasActor && hasCounter && counter == 0)
        {
            return;
        }

        if (!hasActor || !hasCounter)
        {
            throw new AutomergeFormatException("Key with a null " + (hasActor ? "counter" : "actor") + ".");
        }

        if (counter <= 0)
        {
            throw new AutomergeFormatException("Element id counter must be positive, found " + counter + ".");
        }

        elem = PackedOpId.Pack(ChangeOpColumns.CheckCounter((ulong)counter), (ulong)actors.RankOf(actor));
    }

    /// <summary>Reads one succ list into the start of <paramref name="scratch"/> (grown as needed), checking that it ascends; returns its length.</summary>
    private static int ReadSucc(ref RleDecoder<ulong, UInt64Codec> groupColumn, ref RleDecoder<ulong, UInt64Codec> actorColumn,
        ref DeltaDecoder counterColumn, DocumentActors actors, int maxRows, ulong id, ref ulong[] scratch)
    {
        if (!groupColumn.TryNext(out var count))
        {
            throw new AutomergeFormatException("Unexpected null in the succ group column.");
        }

        if (count > (ulong)maxRows)
        {
            throw new AutomergeFormatException("succ group count " + count + " is too large.");
        }

        var previous = 0UL;
        for (ulong i = 0; i < count; i++)
        {
            if (!actorColumn.TryNext(out var actor) || !counterColumn.TryNext(out var counter))
            {
                throw new AutomergeFormatException("succ group count exceeds the grouped succ columns.");
            }

            if (counter <= 0)
            {
                throw new AutomergeFormatException("succ counter must be positive, found " + counter + ".");
            }

            var successor = PackedOpId.Pack(ChangeOpColumns.CheckCounter((ulong)counter), (ulong)actors.RankOf(actor));
            if (i > 0 && successor < previous)
            {
                throw new AutomergeFormatException("Succ out of order in op " + actors.ToOpId(id) + ".");
            }

            if (i == (ulong)scratch.Length)
            {
                Array.Resize(ref scratch, scratch.Length * 2);
            }

            scratch[i] = successor;
            previous = successor;
        }

        return (int)count;
    }
}
