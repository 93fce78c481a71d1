namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Encodes op rows (already in document op order) into a document chunk's op columns (Automerge binary format
/// §2.5 "Document op columns", §2.6 encodings), with the "written when" rules of Automerge 3.x: obj, key actor,
/// key counter, key string and mark name are omitted when every value is null, expand when every value is false;
/// insert, action, value metadata and succ count are written whenever there is an op; other columns are omitted
/// when their data is empty.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class DocumentOpColumnWriter
{
    /// <summary>Encodes the ops in document order; returns the non-empty columns in specification order.</summary>
    /// <param name="ops">The ops, their packed ids and successors, and their document order.</param>
    /// <exception cref="ArgumentException">An op holds an unencodable value (a string with a lone surrogate).</exception>
    public static List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)> Encode(DocumentOpOrder ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var objActor = new RleEncoder<ulong, UInt64Codec>();
        var objCounter = new RleEncoder<ulong, UInt64Codec>();
        var keyActor = new RleEncoder<ulong, UInt64Codec>();
        var keyCounter = new DeltaEncoder();
        var keyString = new RleEncoder<string, StringCodec>();
        var idActor = new RleEncoder<ulong, UInt64Codec>();
        var idCounter = new DeltaEncoder();
        var insert = new BooleanEncoder();
        var action = new RleEncoder<ulong, UInt64Codec>();
        var value = new ValueColumnEncoder();
        var succGroup = new RleEncoder<ulong, UInt64Codec>();
        var succActor = new RleEncoder<ulong, UInt64Codec>();
        var succCounter = new DeltaEncoder();
        var expand = new BooleanEncoder();
        var markName = new RleEncoder<string, StringCodec>();

        foreach (var r in ops.Order)
        {
            var op = ops.Ops[r];
            var obj = ops.Objects[r];
            if (obj == 0)
            {
                objActor.AppendNull();
                objCounter.AppendNull();
            }
            else
            {
                objActor.Append(PackedOpId.Actor(obj));
                objCounter.Append(PackedOpId.Counter(obj));
            }

            if (op.Key.IsMapKey)
            {
                keyActor.AppendNull();
                keyCounter.AppendNull();
                keyString.Append(op.Key.MapKey!);
            }
            else if (ops.Elements[r] is var elem && elem == 0)
            {
                keyActor.AppendNull();
                keyCounter.Append(0);
                keyString.AppendNull();
            }
            else
            {
                keyActor.Append(PackedOpId.Actor(elem));
                keyCounter.Append((long)PackedOpId.Counter(elem));
                keyString.AppendNull();
            }

            var id = ops.Ids[r];
            idActor.Append(PackedOpId.Actor(id));
            idCounter.Append((long)PackedOpId.Counter(id));
            insert.Append(op.Insert);
            action.Append((ulong)op.Action);
            value.Append(op.Value);
            var succStart = ops.SuccStart[r];
            var succEnd = ops.SuccStart[r + 1];
            succGroup.Append((ulong)(succEnd - succStart));
            for (var s = succStart; s < succEnd; s++)
            {
                succActor.Append(PackedOpId.Actor(ops.Succ[s]));
                succCounter.Append((long)PackedOpId.Counter(ops.Succ[s]));
            }

            expand.Append(op.Expand);
            if (op.MarkName is null)
            {
                markName.AppendNull();
            }
            else
            {
                markName.Append(op.MarkName);
            }
        }

        var (valueMeta, valueRaw) = value.Finish();
        var expandData = expand.Finish();
        var columns = new List<(ColumnSpec, ReadOnlyMemory<byte>)>(16)
        {
            (OpColumnSpecs.ObjActor, objActor.Finish()),
            (OpColumnSpecs.ObjCounter, objCounter.Finish()),
            (OpColumnSpecs.KeyActor, keyActor.Finish()),
            (OpColumnSpecs.KeyCounter, keyCounter.Finish()),
            (OpColumnSpecs.KeyString, keyString.Finish()),
            (OpColumnSpecs.IdActor, idActor.Finish()),
            (OpColumnSpecs.IdCounter, idCounter.Finish()),
            (OpColumnSpecs.Insert, insert.Finish()),
            (OpColumnSpecs.Action, action.Finish()),
            (OpColumnSpecs.ValueMetadata, valueMeta),
            (OpColumnSpecs.Value, valueRaw),
            (OpColumnSpecs.SuccGroup, succGroup.Finish()),
            (OpColumnSpecs.SuccActor, succActor.Finish()),
            (OpColumnSpecs.SuccCounter, succCounter.Finish()),
            (OpColumnSpecs.Expand, expand.AnyTrue ? expandData : ReadOnlyMemory<byte>.Empty),
            (OpColumnSpecs.MarkName, markName.Finish()),
        };
        columns.RemoveAll(c => c.Item2.IsEmpty);
        return columns;
    }
}
