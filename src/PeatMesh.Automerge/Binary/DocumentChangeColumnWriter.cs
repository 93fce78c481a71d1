using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Encodes changes (in topological order) into a document chunk's change columns (Automerge binary format §2.5
/// "Document change columns"): actor index, seq, maxOp, time, message (omitted when no change has one), deps count,
/// deps as indices of earlier changes (in each change's sorted-deps order), extra-bytes metadata (<c>0x07</c> — bytes
/// of length 0 — for a change without extra bytes, never null) and the extra bytes (omitted when all are empty).
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class DocumentChangeColumnWriter
{
    /// <summary>Value-metadata type code of a byte string (§2.6); extra bytes are stored as one.</summary>
    private const ulong BytesTypeCode = 7;

    /// <summary>Encodes the changes; returns the non-empty columns in specification order.</summary>
    /// <param name="changes">The changes; each dependency must appear earlier in the list.</param>
    /// <param name="actorIndex">Actor → index into the document's sorted actors.</param>
    /// <param name="depsOf">For each change position, the positions of its dependencies in its (sorted) deps order;
    /// each smaller than the change's own position.</param>
    public static List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)> Encode(
        IReadOnlyList<Change> changes, IReadOnlyDictionary<ActorId, int> actorIndex, ChangeDepsLookup depsOf)
    {
        var actor = new RleEncoder<ulong, UInt64Codec>();
        var seq = new DeltaEncoder();
        var maxOp = new DeltaEncoder();
        var time = new DeltaEncoder();
        var message = new RleEncoder<string, StringCodec>();
        var depsCount = new RleEncoder<ulong, UInt64Codec>();
        var deps = new DeltaEncoder();
        var extraMeta = new RleEncoder<ulong, UInt64Codec>();
        var extraRaw = new ByteWriter(16);
        var actors = new ActorLookup(actorIndex);

        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            actor.Append(actors.IndexOf(change.Actor));
            seq.Append((long)change.Seq);
            maxOp.Append((long)change.MaxOp);
            time.Append(change.Time);
            if (string.IsNullOrEmpty(change.Message))
            {
                message.AppendNull();
            }
            else
            {
                message.Append(change.Message);
            }

            var changeDeps = depsOf(i);
            depsCount.Append((ulong)changeDeps.Length);
            foreach (var dep in changeDeps)
            {
                deps.Append(dep);
            }

            var extra = change.ExtraBytes.Span;
            extraMeta.Append(((ulong)extra.Length << 4) | BytesTypeCode);
            extraRaw.Write(extra);
        }

        return new List<(ColumnSpec, ReadOnlyMemory<byte>)>(9)
        {
            (DocumentColumnSpecs.Actor, actor.Finish()),
            (DocumentColumnSpecs.Seq, seq.Finish()),
            (DocumentColumnSpecs.MaxOp, maxOp.Finish()),
            (DocumentColumnSpecs.Time, time.Finish()),
            (DocumentColumnSpecs.Message, message.Finish()),
            (DocumentColumnSpecs.DepsGroup, depsCount.Finish()),
            (DocumentColumnSpecs.DepsIndex, deps.Finish()),
            (DocumentColumnSpecs.ExtraMetadata, extraMeta.Finish()),
            (DocumentColumnSpecs.ExtraRaw, extraRaw.WrittenMemory),
        }.FindAll(c => !c.Item2.IsEmpty);
    }
}
