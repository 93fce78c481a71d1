using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// The stored ops of a set of changes in document op order (Automerge binary format §3 "Document op order", Rust
/// <c>Op::step</c>): objects ascending (root first, then by OpId); in a map, keys ascending by UTF-8 bytes and the ops
/// of one key by OpId; in a list or text, element groups in RGA sequence order (deleted elements included), each
/// group being the insert op followed by the non-insert ops on that element by OpId. Deletes are not rows: their ids
/// are succ entries of the ops they name as predecessors. Increments are rows (and succ entries of their counter).
/// </summary>
/// <remarks>
/// Ids are <see cref="PackedOpId"/>s (0 = root / <c>_head</c>). Rows are kept as parallel arrays indexed by row
/// number (in change order); <see cref="Order"/> lists row numbers in document order. Immutable after
/// <see cref="Build"/>; thread-safe for reading. O(n log n) in the number of ops, with no per-op allocation.
/// </remarks>
internal sealed class DocumentOpOrder
{
    private DocumentOpOrder(int count)
    {
        Ids = new ulong[count];
        Objects = new ulong[count];
        Elements = new ulong[count];
        Ops = new Op[count];
        SuccStart = new int[count + 1];
        Order = new int[count];
    }

    /// <summary>Packed op id of each row.</summary>
    public ulong[] Ids { get; }

    /// <summary>Packed object id of each row (0 = root).</summary>
    public ulong[] Objects { get; }

    /// <summary>Packed key element of each row (0 = <c>_head</c>; unused for map keys).</summary>
    public ulong[] Elements { get; }

    /// <summary>The op of each row.</summary>
    public Op[] Ops { get; }

    /// <summary>Row r's successors are <c>Succ[SuccStart[r]..SuccStart[r + 1]]</c>, ascending.</summary>
    public int[] SuccStart { get; }

    /// <summary>Packed successor ids of all rows (see <see cref="SuccStart"/>).</summary>
    public ulong[] Succ { get; private set; } = [];

    /// <summary>Row numbers in document order.</summary>
    public int[] Order { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Ids.Length;

    /// <summary>Orders the ops of <paramref name="changes"/>.</summary>
    /// <param name="changes">Changes forming a causally complete history (every referenced op is in them).</param>
    /// <param name="actorIndex">Author → index in the document's sorted actor table (fewer than 2^24 actors).</param>
    /// <exception cref="ArgumentException">
    /// The ops cannot be written as a document: an op id appears twice, an op names an actor that authored no change,
    /// a predecessor names no stored op, an op targets an unknown object or element, or a sequence element is not
    /// reachable from <c>_head</c>.
    /// </exception>
    public static DocumentOpOrder Build(IReadOnlyList<Change> changes, IReadOnlyDictionary<ActorId, int> actorIndex)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(actorIndex);
        if (actorIndex.Count > PackedOpId.MaxActors)
        {
            throw new ArgumentException("A document writer handles at most " + PackedOpId.MaxActors + " actors.", nameof(actorIndex));
        }

        var total = 0;
        var predTotal = 0;
        foreach (var change in changes)
        {
            foreach (var op in change.OpsSpan)
            {
                predTotal += op.PredSpan.Length;
                if (op.Action != OpAction.Delete)
                {
                    total++;
                }
            }
        }

        var result = new DocumentOpOrder(total);
        var actors = new ActorLookup(actorIndex);
        var predIds = new ulong[predTotal];
        var succIds = new ulong[predTotal];
        result.Fill(changes, actors, predIds, succIds);
        var rowOf = new PackedIdIndex(result.Ids, actorIndex.Count, out var duplicate);
        if (duplicate >= 0)
        {
            throw new ArgumentException("Op id " + Unpack(result.Ids[duplicate], actorIndex) + " appears twice.", nameof(changes));
        }

        var missing = result.CollectSuccessors(predIds, succIds, rowOf);
        if (missing >= 0)
        {
            throw new ArgumentException(
                "Op " + Unpack(succIds[missing], actorIndex) + " names predecessor " + Unpack(predIds[missing], actorIndex)
                + ", which is not a stored op; a document cannot represent it.", nameof(changes));
        }

        result.SortRows(rowOf);
        return result;
    }

    private static ulong Pack(OpId id, ActorLookup actors) => PackedOpId.Pack(id.Counter, actors.IndexOf(id.Actor));

    // For error messages only: a packed id back as an OpId (a linear search of the actor table).
    private static OpId Unpack(ulong id, IReadOnlyDictionary<ActorId, int> actorIndex)
    {
        var actor = default(ActorId);
        foreach (var (candidate, index) in actorIndex)
        {
            if ((ulong)index == PackedOpId.Actor(id))
            {
                actor = candidate;
            }
        }

        return new OpId(PackedOpId.Counter(id), actor);
    }

    // Fills the rows (every op but deletes) and records each (predecessor, successor) pair of packed ids, deletes included.
    private void Fill(IReadOnlyList<Change> changes, ActorLookup actors, ulong[] predIds, ulong[] succIds)
    {
        var row = 0;
        var pair = 0;
        foreach (var change in changes)
        {
            var author = actors.IndexOf(change.Actor);
            var changeOps = change.OpsSpan;
            for (var i = 0; i < changeOps.Length; i++)
            {
                var op = changeOps[i];
                var preds = op.PredSpan;
                if (!preds.IsEmpty)
                {
                    var id = PackedOpId.Pack(change.StartOp + (ulong)i, author);
                    foreach (var pred in preds)
                    {
                        predIds[pair] = Pack(pred, actors);
                        succIds[pair++] = id;
                    }
                }

                if (op.Action == OpAction.Delete)
                {
                    continue;
                }

                Ids[row] = PackedOpId.Pack(change.StartOp + (ulong)i, author);
                Objects[row] = op.Obj.IsRoot ? 0 : Pack(op.Obj.Id, actors);
                Elements[row] = op.Key.IsMapKey || op.Key.Elem.IsHead ? 0 : Pack(op.Key.Elem.Id, actors);
                Ops[row] = op;
                row++;
            }
        }
    }

    // Lays out each row's successors (ascending) in one flat array: a counting sort of the (predecessor, successor) pairs.
    // Returns -1, or the first pair whose predecessor is no stored op.
    private int CollectSuccessors(ulong[] predIds, ulong[] succIds, PackedIdIndex rowOf)
    {
        var predRows = new int[predIds.Length];
        var counts = SuccStart;
        for (var k = 0; k < predIds.Length; k++)
        {
            if (!rowOf.TryGetValue(predIds[k], out var row))
            {
                return k;
            }

            counts[row + 1]++;
            predRows[k] = row;
        }

        for (var r = 0; r < Count; r++)
        {
            counts[r + 1] += counts[r];
        }

        var succ = new ulong[predIds.Length];
        var fill = new int[Count];
        for (var k = 0; k < predRows.Length; k++)
        {
            var row = predRows[k];
            succ[SuccStart[row] + fill[row]++] = succIds[k];
        }

        for (var r = 0; r < Count; r++)
        {
            var length = SuccStart[r + 1] - SuccStart[r];
            if (length > 1)
            {
                Array.Sort(succ, SuccStart[r], length);
            }
        }

        Succ = succ;
        return -1;
    }

    private void SortRows(PackedIdIndex rowOf)
    {
        // Group rows by object (sorting by packed object id puts root, 0, first), then order within each object.
        var objectKeys = (ulong[])Objects.Clone();
        var rows = Order;
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = r;
        }

        if (!IsAscending(objectKeys))
        {
            Array.Sort(objectKeys, rows);
        }

        var localOf = new int[Count];
        var start = 0;
        while (start < rows.Length)
        {
            var obj = objectKeys[start];
            var end = start + 1;
            while (end < rows.Length && objectKeys[end] == obj)
            {
                end++;
            }

            if (IsSequence(obj, rowOf))
            {
                OrderSequence(obj, rows.AsSpan(start, end - start), rowOf, localOf);
            }
            else
            {
                OrderMap(obj, rows.AsSpan(start, end - start));
            }

            start = end;
        }
    }

    private bool IsSequence(ulong obj, PackedIdIndex rowOf)
    {
        if (obj == 0)
        {
            return false;
        }

        if (rowOf.TryGetValue(obj, out var make) && OpRecord.ToObjType(Ops[make].Action) is { } type)
        {
            return type is ObjType.List or ObjType.Text;
        }

        throw Unrepresentable("Ops target an object that no make op in these changes created.");
    }

    private void OrderMap(ulong obj, Span<int> rows)
    {
        foreach (var r in rows)
        {
            if (!Ops[r].Key.IsMapKey)
            {
                throw Unrepresentable("An op in map " + Describe(obj) + " has no map key.");
            }
        }

        var ops = Ops;
        var ids = Ids;
        rows.Sort((a, b) =>
        {
            var byKey = Utf8KeyComparer.Instance.Compare(ops[a].Key.MapKey, ops[b].Key.MapKey);
            return byKey != 0 ? byKey : ids[a].CompareTo(ids[b]);
        });
    }

    private void OrderSequence(ulong obj, Span<int> rows, PackedIdIndex rowOf, int[] localOf)
    {
        // Elements form a tree (each insert hangs off its reference element or _head); RGA order is its pre-order walk
        // with siblings by descending OpId. Slot 0 is _head, slot l + 1 the element of local row l.
        var n = rows.Length;
        for (var l = 0; l < n; l++)
        {
            localOf[rows[l]] = l;
        }

        var local = rows.ToArray();
        var parentSlot = new int[n];
        var childStart = new int[n + 2];
        var updateStart = new int[n + 2];
        for (var l = 0; l < n; l++)
        {
            var r = local[l];
            var op = Ops[r];
            if (op.Key.IsMapKey)
            {
                throw Unrepresentable("An op in sequence " + Describe(obj) + " has a map key.");
            }

            if (!op.Insert && Elements[r] == 0)
            {
                throw Unrepresentable("An op in sequence " + Describe(obj) + " updates _head.");
            }

            var slot = Elements[r] == 0 ? 0 : ElementSlot(Elements[r], obj, rowOf, localOf);
            parentSlot[l] = slot;
            if (op.Insert)
            {
                childStart[slot + 1]++;
            }
            else
            {
                updateStart[slot + 1]++;
            }
        }

        for (var s = 0; s <= n; s++)
        {
            childStart[s + 1] += childStart[s];
            updateStart[s + 1] += updateStart[s];
        }

        var childIds = new ulong[childStart[n + 1]];
        var children = new int[childIds.Length];
        var updateIds = new ulong[updateStart[n + 1]];
        var updates = new int[updateIds.Length];
        var childFill = new int[n + 1];
        var updateFill = new int[n + 1];
        for (var l = 0; l < n; l++)
        {
            var slot = parentSlot[l];
            if (Ops[local[l]].Insert)
            {
                var at = childStart[slot] + childFill[slot]++;
                childIds[at] = Ids[local[l]];
                children[at] = l;
            }
            else
            {
                var at = updateStart[slot] + updateFill[slot]++;
                updateIds[at] = Ids[local[l]];
                updates[at] = l;
            }
        }

        // Both ascending by OpId: updates are written in that order; children are pushed in it, so the greatest
        // sibling is popped (placed) first.
        SortSegments(childIds, children, childStart);
        SortSegments(updateIds, updates, updateStart);

        var position = 0;
        var stack = new Stack<int>();
        PushChildren(0, children, childStart, stack);
        while (stack.Count > 0)
        {
            var l = stack.Pop();
            rows[position++] = local[l];
            for (var u = updateStart[l + 1]; u < updateStart[l + 2]; u++)
            {
                rows[position++] = local[updates[u]];
            }

            PushChildren(l + 1, children, childStart, stack);
        }

        if (position != n)
        {
            throw Unrepresentable(
                "Sequence " + Describe(obj) + " has ops on elements that are not reachable from its head.");
        }
    }

    private int ElementSlot(ulong element, ulong obj, PackedIdIndex rowOf, int[] localOf)
    {
        if (!rowOf.TryGetValue(element, out var target) || Objects[target] != obj || !Ops[target].Insert)
        {
            throw Unrepresentable("An op in sequence " + Describe(obj) + " references an unknown element.");
        }

        return localOf[target] + 1;
    }

    private static bool IsAscending(ulong[] keys)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            if (keys[i] < keys[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static void SortSegments(ulong[] keys, int[] items, int[] start)
    {
        for (var s = 0; s + 1 < start.Length; s++)
        {
            var length = start[s + 1] - start[s];
            if (length > 1)
            {
                Array.Sort(keys, items, start[s], length);
            }
        }
    }

    private static void PushChildren(int slot, int[] children, int[] childStart, Stack<int> stack)
    {
        for (var c = childStart[slot]; c < childStart[slot + 1]; c++)
        {
            stack.Push(children[c]);
        }
    }

    private static ArgumentException Unrepresentable(string message) => new(message + " A document cannot represent these changes.");

    private static string Describe(ulong obj) =>
        obj == 0 ? "_root" : PackedOpId.Counter(obj) + "@#" + PackedOpId.Actor(obj);
}
