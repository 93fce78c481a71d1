using System.Diagnostics.CodeAnalysis;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Decodes the op columns of a change chunk (Automerge binary format §2.5 "Change-chunk op columns",
/// with the "written when" omission rules and the §2.6 encodings).
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class ChangeOpColumns
{
    /// <summary>The largest op counter Automerge 3.x accepts (2^32 − 1).</summary>
    public const ulong MaxCounter = uint.MaxValue;

    /// <summary>
    /// Validates the column layout of a change chunk: the pred group (id 7) holds exactly the actor and delta
    /// columns or none of them; obj actor and counter come together. Unknown columns are allowed (ignored).
    /// </summary>
    /// <exception cref="AutomergeFormatException">The layout is inconsistent.</exception>
    public static void ValidateLayout(RawColumn[] columns)
    {
        ValidateOpIdListGroup(columns, OpColumnSpecs.PredGroup, OpColumnSpecs.PredActor, OpColumnSpecs.PredCounter, "pred");
        ValidatePair(columns, OpColumnSpecs.ObjActor, OpColumnSpecs.ObjCounter, "Object id");
    }

    /// <summary>
    /// Checks a pred/succ group: columns with the group's id are exactly the group column plus (optionally) both the
    /// actor and delta columns; grouped columns never appear without their group column.
    /// </summary>
    internal static void ValidateOpIdListGroup(RawColumn[] columns, ColumnSpec groupSpec, ColumnSpec actorSpec, ColumnSpec counterSpec, string what)
    {
        bool group = false, actor = false, counter = false;
        foreach (var column in columns)
        {
            var spec = new ColumnSpec(column.Spec.Normalized);
            if (spec.Id != groupSpec.Id)
            {
                continue;
            }

            if (spec == groupSpec)
            {
                group = true;
            }
            else if (spec == actorSpec)
            {
                actor = true;
            }
            else if (spec == counterSpec)
            {
                counter = true;
            }
            else
            {
                throw new AutomergeFormatException("Mismatching column " + spec + " in the " + what + " group.");
            }
        }

        if ((actor || counter) && !group)
        {
            throw new AutomergeFormatException("The " + what + " columns lack their group column.");
        }

        if (actor != counter)
        {
            throw new AutomergeFormatException("The " + what + " group must hold both the actor and the counter column.");
        }
    }

    /// <summary>Whether <paramref name="columns"/> hold a column with <paramref name="spec"/> (deflate bit ignored).</summary>
    internal static bool Contains(RawColumn[] columns, ColumnSpec spec)
    {
        foreach (var column in columns)
        {
            if (column.Spec.Normalized == spec.Raw)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks that two columns (an id's actor and counter) are both present or both absent.</summary>
    internal static void ValidatePair(RawColumn[] columns, ColumnSpec first, ColumnSpec second, string what)
    {
        var hasFirst = Contains(columns, first);
        var hasSecond = Contains(columns, second);
        if (hasFirst != hasSecond)
        {
            throw new AutomergeFormatException(what + " needs both its actor and counter column.");
        }
    }

    /// <summary>Decodes the ops of a change chunk.</summary>
    /// <param name="columns">The column metadata (layout already validated).</param>
    /// <param name="data">The column data block.</param>
    /// <param name="actors">Index 0 = author, then the chunk's other actors.</param>
    /// <exception cref="AutomergeFormatException">Any column is malformed or the rows are inconsistent (see remarks of <see cref="ChangeChunk"/>).</exception>
    public static List<Op> Decode(RawColumn[] columns, ReadOnlySpan<byte> data, IReadOnlyList<ActorId> actors)
    {
        var objActor = new RleDecoder<ulong, UInt64Codec>(ColumnMetadata.Find(columns, data, OpColumnSpecs.ObjActor), "obj actor");
        var objCounter = new RleDecoder<ulong, UInt64Codec>(ColumnMetadata.Find(columns, data, OpColumnSpecs.ObjCounter), "obj counter");
        var keyActor = new RleDecoder<ulong, UInt64Codec>(ColumnMetadata.Find(columns, data, OpColumnSpecs.KeyActor), "key actor");
        var keyCounter = new DeltaDecoder(ColumnMetadata.Find(columns, data, OpColumnSpecs.KeyCounter), "key counter");
        var keyString = new RleDecoder<string, StringCodec>(ColumnMetadata.Find(columns, data, OpColumnSpecs.KeyString), "key string");
        var insert = new BooleanDecoder(ColumnMetadata.Find(columns, data, OpColumnSpecs.Insert), "insert");
        var action = new RleDecoder<ulong, UInt64Codec>(ColumnMetadata.Find(columns, data, OpColumnSpecs.Action), "action");
        var value = new ValueColumnDecoder(
            ColumnMetadata.Find(columns, data, OpColumnSpecs.ValueMetadata), ColumnMetadata.Find(columns, data, OpColumnSpecs.Value), "value");
        var predGroup = new RleDecoder<ulong, UInt64Codec>(ColumnMetadata.Find(columns, data, OpColumnSpecs.PredGroup), "pred group");
        var predActor = new RleDecoder<ulong, UInt64Codec>(ColumnMetadata.Find(columns, data, OpColumnSpecs.PredActor), "pred actor");
        var predCounter = new DeltaDecoder(ColumnMetadata.Find(columns, data, OpColumnSpecs.PredCounter), "pred counter");
        var expand = new BooleanDecoder(ColumnMetadata.Find(columns, data, OpColumnSpecs.Expand), "expand");
        var markName = new RleDecoder<string, StringCodec>(ColumnMetadata.Find(columns, data, OpColumnSpecs.MarkName), "mark name");

        var ops = new List<Op>();
        while (!action.IsDone)
        {
            var obj = ReadObj(ref objActor, ref objCounter, actors);
            var key = ReadKey(ref keyActor, ref keyCounter, ref keyString, actors);
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

            var pred = ReadOpIdList(ref predGroup, ref predActor, ref predCounter, actors, "pred", ColumnLimits.MaxRows);
            var isExpand = expand.Next();
            var name = markName.TryNext(out var n) ? n : null;
            ops.Add(new Op(obj, key, isInsert, (OpAction)actionCode, opValue, pred, isExpand, name));
        }

        if (!(objActor.IsDone && objCounter.IsDone && keyActor.IsDone && keyCounter.IsDone && keyString.IsDone
            && insert.IsDone && value.IsDone && predGroup.IsDone && predActor.IsDone && predCounter.IsDone
            && expand.IsDone && markName.IsDone))
        {
            throw new AutomergeFormatException("Op columns hold more rows than the action column.");
        }

        return ops;
    }

    /// <summary>Reads one object id from the obj actor/counter columns (null, null = root; counter 0 = root as Automerge reads it).</summary>
    internal static ObjId ReadObj(ref RleDecoder<ulong, UInt64Codec> actorColumn, ref RleDecoder<ulong, UInt64Codec> counterColumn, IReadOnlyList<ActorId> actors)
    {
        var hasActor = actorColumn.TryNext(out var actor);
        var hasCounter = counterColumn.TryNext(out var counter);
        if (hasCounter && counter == 0)
        {
            return ObjId.Root; // Automerge reads counter 0 as the root whatever the actor column says
        }

        if (!hasActor && !hasCounter)
        {
            return ObjId.Root;
        }

        if (!hasActor || !hasCounter)
        {
            throw new AutomergeFormatException("Object id with a null " + (hasActor ? "counter" : "actor") + ".");
        }

        return ObjId.FromOpId(new OpId(CheckCounter(counter), Actor(actors, actor)));
    }

    /// <summary>Reads one key: a map key, <c>_head</c> (null actor, counter 0) or an element id.</summary>
    internal static Key ReadKey(ref RleDecoder<ulong, UInt64Codec> actorColumn, ref DeltaDecoder counterColumn,
        ref RleDecoder<string, StringCodec> stringColumn, IReadOnlyList<ActorId> actors)
    {
        var hasActor = actorColumn.TryNext(out var actor);
        var hasCounter = counterColumn.TryNext(out var counter);
        var hasString = stringColumn.TryNext(out var mapKey);
        if (hasString)
        {
            if (hasActor || hasCounter)
            {
                throw new AutomergeFormatException("Key has both a map key and an element id.");
            }

            return Key.Map(mapKey!);
        }

        if (!hasActor && hasCounter && counter == 0)
        {
            return Key.Seq(ElemId.Head);
        }

        if (!hasActor || !hasCounter)
        {
            throw new AutomergeFormatException("Key with a null " + (hasActor ? "counter" : "actor") + ".");
        }

        if (counter <= 0)
        {
            throw new AutomergeFormatException("Element id counter must be positive, found " + counter + ".");
        }

        return Key.Seq(ElemId.FromOpId(new OpId(CheckCounter((ulong)counter), Actor(actors, actor))));
    }

    /// <summary>Reads one grouped op id list (pred or succ): a group count, then that many (actor, delta counter) items.</summary>
    internal static OpId[] ReadOpIdList(ref RleDecoder<ulong, UInt64Codec> groupColumn, ref RleDecoder<ulong, UInt64Codec> actorColumn,
        ref DeltaDecoder counterColumn, IReadOnlyList<ActorId> actors, string what, int maxRows)
    {
        if (!groupColumn.TryNext(out var count))
        {
            throw new AutomergeFormatException("Unexpected null in the " + what + " group column.");
        }

        if (count == 0)
        {
            return [];
        }

        if (count > (ulong)maxRows)
        {
            throw new AutomergeFormatException(what + " group count " + count + " is too large.");
        }

        var pred = new List<OpId>(Math.Min((int)count, 16));
        for (ulong i = 0; i < count; i++)
        {
            if (!actorColumn.TryNext(out var actor) || !counterColumn.TryNext(out var counter))
            {
                throw new AutomergeFormatException(what + " group count exceeds the grouped " + what + " columns.");
            }

            if (counter <= 0)
            {
                throw new AutomergeFormatException(what + " counter must be positive, found " + counter + ".");
            }

            pred.Add(new OpId(CheckCounter((ulong)counter), Actor(actors, actor)));
        }

        return [.. pred];
    }

    /// <summary>The actor at <paramref name="index"/>, or a format error ("missing actor").</summary>
    internal static ActorId Actor(IReadOnlyList<ActorId> actors, ulong index)
    {
        if (index >= (ulong)actors.Count)
        {
            throw new AutomergeFormatException("Actor index " + index + " is not in the chunk's " + actors.Count + " actors.");
        }

        return actors[(int)index];
    }

    /// <summary>Rejects op counters above 2^32 − 1 ("counter too large").</summary>
    internal static ulong CheckCounter(ulong counter)
    {
        if (counter > MaxCounter)
        {
            ThrowCounterTooLarge(counter); // a separate method, so that this one inlines
        }

        return counter;
    }

    [DoesNotReturn]
    private static void ThrowCounterTooLarge(ulong counter) =>
        throw new AutomergeFormatException("Op counter too large (" + counter + " > 2^32 - 1).");
}
