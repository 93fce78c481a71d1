using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>Decodes a bundle chunk's op columns (see <see cref="BundleChunk"/> and <see cref="BundleColumnSpecs"/>).</summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class BundleOpColumns
{
    /// <summary>
    /// The op counters in stored (document) order: from the id-counter-inverse column (walk the changes in (actor, seq)
    /// order and their counters startOp..maxOp; the k-th counter is that of the op at position <c>inverse[k]</c>), or
    /// from the legacy id counter column.
    /// </summary>
    /// <exception cref="AutomergeFormatException">
    /// The inverse column does not name every position exactly once, or does not match the changes' op counts.
    /// </exception>
    public static ulong[] Counters(DocumentColumns columns, List<BundleChangeRow> rows, int maxRows)
    {
        var inverseData = columns.Get(BundleColumnSpecs.IdCounterInverse);
        if (inverseData.IsEmpty)
        {
            var legacy = new DeltaDecoder(columns.Get(OpColumnSpecs.IdCounter), "bundle id counter", maxRows);
            var values = new List<ulong>();
            while (!legacy.IsDone)
            {
                if (!legacy.TryNext(out var counter) || counter <= 0)
                {
                    throw new AutomergeFormatException("Bundle op counter is missing or not positive.");
                }

                values.Add((ulong)counter);
            }

            return [.. values];
        }

        var inverse = new DeltaDecoder(inverseData, "bundle id counter inverse", maxRows);
        var positions = new List<long>();
        while (!inverse.IsDone)
        {
            if (!inverse.TryNext(out var position))
            {
                throw new AutomergeFormatException("Unexpected null in the bundle id counter inverse column.");
            }

            positions.Add(position);
        }

        var order = Enumerable.Range(0, rows.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byActor = rows[a].Actor.CompareTo(rows[b].Actor);
            return byActor != 0 ? byActor : rows[a].Seq.CompareTo(rows[b].Seq);
        });
        var counters = new ulong[positions.Count];
        var k = 0;
        foreach (var index in order)
        {
            var row = rows[index];
            for (var counter = row.StartOp; counter <= row.MaxOp; counter++)
            {
                if (k >= positions.Count)
                {
                    throw new AutomergeFormatException("The bundle's changes have more ops than its id counter inverse column.");
                }

                var position = positions[k++];
                if (position < 0 || position >= counters.Length || counters[position] != 0)
                {
                    throw new AutomergeFormatException("Bundle id counter inverse position " + position + " is out of range or repeated.");
                }

                counters[position] = counter;
            }
        }

        if (k != positions.Count)
        {
            throw new AutomergeFormatException("The bundle's id counter inverse column has more entries than its changes have ops.");
        }

        return counters;
    }

    /// <summary>Decodes every op row: (actor index, counter, op with its pred list).</summary>
    /// <exception cref="AutomergeFormatException">Malformed columns, invalid ids, unknown actions, or row counts that disagree.</exception>
    public static List<(int Actor, ulong Counter, Op Op)> Decode(DocumentColumns columns, ActorId[] actors, ulong[] counters, int maxRows)
    {
        var idActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.IdActor), "bundle id actor", maxRows);
        var objActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(BundleColumnSpecs.ObjActor), "bundle obj actor", maxRows);
        var objCounter = new DeltaDecoder(columns.Get(BundleColumnSpecs.ObjCounter), "bundle obj counter", maxRows);
        var keyActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.KeyActor), "bundle key actor", maxRows);
        var keyCounter = new DeltaDecoder(columns.Get(OpColumnSpecs.KeyCounter), "bundle key counter", maxRows);
        var keyString = new RleDecoder<string, StringCodec>(columns.Get(OpColumnSpecs.KeyString), "bundle key string", maxRows);
        var insert = new BooleanDecoder(columns.Get(OpColumnSpecs.Insert), "bundle insert", maxRows);
        var action = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.Action), "bundle action", maxRows);
        var value = new ValueColumnDecoder(columns.Get(OpColumnSpecs.ValueMetadata), columns.Get(OpColumnSpecs.Value), "bundle value", maxRows);
        var predGroup = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.PredGroup), "bundle pred group", maxRows);
        var predActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.PredActor), "bundle pred actor", maxRows);
        var predCounter = new DeltaDecoder(columns.Get(OpColumnSpecs.PredCounter), "bundle pred counter", maxRows);
        var expand = new BooleanDecoder(columns.Get(OpColumnSpecs.Expand), "bundle expand", maxRows);
        var markName = new RleDecoder<string, StringCodec>(columns.Get(OpColumnSpecs.MarkName), "bundle mark name", maxRows);

        var ops = new List<(int, ulong, Op)>(counters.Length);
        while (!idActor.IsDone)
        {
            if (ops.Count >= counters.Length)
            {
                throw new AutomergeFormatException("The bundle has more ops than op counters.");
            }

            if (!idActor.TryNext(out var actorIndex) || actorIndex >= (ulong)actors.Length)
            {
                throw new AutomergeFormatException("Bundle op actor is null or not one of the bundle's actors.");
            }

            var counter = ChangeOpColumns.CheckCounter(counters[ops.Count]);
            var obj = ReadObj(ref objActor, ref objCounter, actors);
            var key = ChangeOpColumns.ReadKey(ref keyActor, ref keyCounter, ref keyString, actors);
            var isInsert = insert.Next();
            if (!action.TryNext(out var actionCode) || actionCode > (ulong)OpAction.Mark)
            {
                throw new AutomergeFormatException("Bundle op action is null or unknown.");
            }

            var opValue = value.Next();
            if (actionCode == (ulong)OpAction.Increment && opValue.Kind is not (ScalarKind.Int or ScalarKind.Uint))
            {
                throw new AutomergeFormatException("An increment op needs an int or uint value, found " + opValue.Kind + ".");
            }

            var pred = ChangeOpColumns.ReadOpIdList(ref predGroup, ref predActor, ref predCounter, actors, "pred", maxRows);
            Array.Sort(pred);
            var isExpand = expand.Next();
            var name = markName.TryNext(out var n) ? n : null;
            ops.Add(((int)actorIndex, counter, new Op(obj, key, isInsert, (OpAction)actionCode, opValue, pred, isExpand, name)));
        }

        if (ops.Count != counters.Length)
        {
            throw new AutomergeFormatException("The bundle has " + counters.Length + " op counters but " + ops.Count + " ops.");
        }

        if (!(objActor.IsDone && objCounter.IsDone && keyActor.IsDone && keyCounter.IsDone && keyString.IsDone && insert.IsDone
            && action.IsDone && value.IsDone && predGroup.IsDone && predActor.IsDone && predCounter.IsDone && expand.IsDone && markName.IsDone))
        {
            throw new AutomergeFormatException("Bundle op columns hold more rows than the op id actor column.");
        }

        return ops;
    }

    private static ObjId ReadObj(ref RleDecoder<ulong, UInt64Codec> actorColumn, ref DeltaDecoder counterColumn, ActorId[] actors)
    {
        var hasActor = actorColumn.TryNext(out var actor);
        var hasCounter = counterColumn.TryNext(out var counter);
        if (!hasActor && !hasCounter)
        {
            return ObjId.Root;
        }

        if (!hasActor || !hasCounter || counter <= 0)
        {
            throw new AutomergeFormatException("Bundle object id with a null actor or counter, or a counter below 1.");
        }

        return ObjId.FromOpId(new OpId(ChangeOpColumns.CheckCounter((ulong)counter), ChangeOpColumns.Actor(actors, actor)));
    }
}
