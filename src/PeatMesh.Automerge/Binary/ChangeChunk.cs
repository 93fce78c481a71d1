using System.Security.Cryptography;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Reads and writes change chunks in Automerge's canonical columnar format (Automerge binary format §2.2–2.6:
/// "Chunk container", "Change chunk body", "Change-chunk op columns", "Column encodings"). The bytes
/// <see cref="Encode"/> produces are the ones Automerge 3.x produces for the same change, so hashes agree.
/// </summary>
/// <remarks>
/// <para>Body: sorted deps, actor, seq, startOp, time (sLEB), message (empty = none), other actors (sorted;
/// actor index 0 is the author), op column metadata and data, then extra bytes (kept verbatim and hashed).</para>
/// <para>Decoding rejects (with <see cref="AutomergeFormatException"/>) bad magic/checksum, truncation, overlong or
/// oversized LEB128, seq or startOp 0, op counters above 2^32 − 1, invalid UTF-8, columns out of order, duplicated
/// or deflated, a raw value column without metadata, a pred group without both grouped columns, actor indices
/// outside the chunk's actors, action &gt; 7, an increment without an int/uint value, value metadata whose length
/// does not match the payload, group counts that do not match the grouped columns, and present columns whose row
/// count differs from the action column's. Unknown columns are ignored (their bytes stay hashed). At most
/// <see cref="MaxOps"/> ops per change.</para>
/// <para>Stateless; thread-safe.</para>
/// </remarks>
public static class ChangeChunk
{
    /// <summary>The most ops (and the most rows in any op column) a decoded change may have (4,194,304).</summary>
    public const int MaxOps = ColumnLimits.MaxRows;

    /// <summary>The chunk magic bytes <c>85 6f 4a 83</c>.</summary>
    public static ReadOnlySpan<byte> Magic => ChunkContainer.Magic;

    /// <summary>Encodes <paramref name="change"/> as a canonical change chunk (type 1).</summary>
    /// <param name="change">The change.</param>
    /// <param name="hash">Receives the change hash.</param>
    /// <returns>The chunk bytes.</returns>
    /// <exception cref="ArgumentException">
    /// The change cannot be encoded compatibly: startOp or an op counter above 2^32 − 1, an op id with counter 0 or an
    /// empty actor, preds not in ascending OpId order, an undefined action, an increment without an int/uint value,
    /// or a string that is not valid Unicode.
    /// </exception>
    public static byte[] Encode(Change change, out ChangeHash hash)
    {
        ArgumentNullException.ThrowIfNull(change);
        var encoder = ChangeEncoder.Shared;
        Write(encoder, change);
        hash = encoder.ComputeHash();
        return encoder.ToChunk(hash);
    }

    /// <summary>Encodes the body of <paramref name="change"/>'s change chunk (what follows the chunk header).</summary>
    /// <exception cref="ArgumentException">See <see cref="Encode"/>.</exception>
    public static byte[] EncodeBody(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var encoder = ChangeEncoder.Shared;
        Write(encoder, change);
        return encoder.Body.ToArray();
    }

    private static void Write(ChangeEncoder encoder, Change change)
    {
        Validate(change);
        var author = change.Actor;
        var others = OtherActors(change);
        encoder.Begin();
        var ops = change.Ops;
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var obj = op.Obj;
            var key = op.Key;
            var objActor = obj.IsRoot ? 0 : IndexOf(obj.Id.Actor, author, others);
            var keyActor = key.IsMapKey || key.Elem.IsHead ? 0 : IndexOf(key.Elem.Id.Actor, author, others);
            var preds = op.Pred;
            encoder.AppendOp(objActor, obj.IsRoot ? 0 : obj.Id.Counter, key.MapKey, keyActor, key.IsMapKey ? 0 : key.Elem.Id.Counter,
                op.Insert, op.Action, op.Value, preds.Count, op.Expand, op.MarkName);
            for (var p = 0; p < preds.Count; p++)
            {
                encoder.AppendPred(IndexOf(preds[p].Actor, author, others), preds[p].Counter);
            }
        }

        encoder.WriteBody(change.DepsSpan, author, change.Seq, change.StartOp, change.Time, change.Message, others, change.ExtraBytes.Span);
    }

    private static ulong IndexOf(ActorId actor, ActorId author, ActorId[] others) =>
        actor.Equals(author) ? 0 : (ulong)(Array.BinarySearch(others, actor) + 1);

    /// <summary>Decodes one change chunk (type 1, or compressed type 2) at the start of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes beginning with a change chunk; may continue with further chunks.</param>
    /// <param name="bytesConsumed">Receives the chunk's total stored length.</param>
    /// <returns>
    /// The change, carrying the bytes it was decoded from as <see cref="Change.RawBytes"/> (for a compressed chunk:
    /// the equivalent uncompressed chunk) and their hash.
    /// </returns>
    /// <exception cref="AutomergeFormatException">Malformed, truncated, not a change chunk, or bad checksum (see remarks).</exception>
    public static Change Decode(ReadOnlySpan<byte> data, out int bytesConsumed)
    {
        var (type, headerLength, bodyLength) = ChunkContainer.ReadHeader(data);
        bytesConsumed = headerLength + bodyLength;
        var chunk = data[..bytesConsumed];
        switch (type)
        {
            case ChunkType.Change:
                {
                    var hash = ChunkContainer.HashFromType(chunk[ChunkContainer.PrefixLength..]);
                    VerifyChecksum(chunk, hash);
                    return DecodeBody(chunk[headerLength..], hash, chunk.ToArray());
                }

            case ChunkType.CompressedChange:
                return Decode(ChunkContainer.Read(chunk.ToArray(), out _));
            default:
                throw new AutomergeFormatException("Expected a change chunk, found a " + type + " chunk.");
        }
    }

    /// <summary>Decodes a chunk already read (and verified) by <see cref="ChunkContainer"/>.</summary>
    /// <param name="chunk">A <see cref="ChunkType.Change"/> or <see cref="ChunkType.CompressedChange"/> chunk.</param>
    /// <exception cref="AutomergeFormatException">Not a change chunk, or a malformed body.</exception>
    public static Change Decode(Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        switch (chunk.Type)
        {
            case ChunkType.Change:
                return DecodeBody(chunk.Body.Span, chunk.Hash, chunk.Bytes.ToArray());
            case ChunkType.CompressedChange:
                {
                    var raw = ChunkContainer.Write(ChunkType.Change, chunk.UncompressedBody.Span, out var hash);
                    return DecodeBody(chunk.UncompressedBody.Span, hash, raw);
                }

            default:
                throw new AutomergeFormatException("Expected a change chunk, found a " + chunk.Type + " chunk.");
        }
    }

    /// <summary>Decodes every chunk of a concatenation of change chunks (types 1 and 2).</summary>
    /// <exception cref="AutomergeFormatException">Any chunk is malformed or is not a change chunk.</exception>
    public static IReadOnlyList<Change> DecodeAll(ReadOnlyMemory<byte> data)
    {
        var changes = new List<Change>();
        foreach (var chunk in ChunkContainer.ReadAll(data))
        {
            changes.Add(Decode(chunk));
        }

        return changes;
    }

    /// <summary>Wraps a body in a chunk (kept for callers of the provisional scaffold).</summary>
    internal static byte[] WrapChunk(byte type, byte[] body, out ChangeHash hash) => ChunkContainer.Write((ChunkType)type, body, out hash);

    private static Change DecodeBody(ReadOnlySpan<byte> body, ChangeHash hash, byte[] raw)
    {
        var reader = new ByteReader(body);
        var deps = reader.ReadChangeHashes();
        var actor = ReadActor(ref reader, "author");
        var seq = reader.ReadUInt64();
        if (seq == 0)
        {
            throw new AutomergeFormatException("Change seq must be at least 1.");
        }

        var startOp = reader.ReadUInt64();
        if (startOp == 0)
        {
            throw new AutomergeFormatException("Change startOp must be at least 1.");
        }

        if (startOp > ChangeOpColumns.MaxCounter)
        {
            throw new AutomergeFormatException("Change startOp too large (counter too large).");
        }

        var time = reader.ReadInt64();
        var message = reader.ReadString();
        var otherCount = reader.ReadCount(minItemSize: 2);
        var actors = new ActorId[otherCount + 1];
        actors[0] = actor;
        for (var i = 1; i <= otherCount; i++)
        {
            actors[i] = ReadActor(ref reader, "other");
        }

        var columns = ColumnMetadata.Read(ref reader, allowDeflate: false, out var dataLength);
        ChangeOpColumns.ValidateLayout(columns);
        var data = reader.ReadBytes(dataLength);
        var extra = reader.ReadRest();
        var ops = ChangeOpColumns.Decode(columns, data, actors);
        if (ops.Count > 0 && startOp + (ulong)ops.Count - 1 > ChangeOpColumns.MaxCounter)
        {
            throw new AutomergeFormatException("Change maxOp too large (counter too large).");
        }

        var change = new Change(actor, seq, startOp, time, message.Length == 0 ? null : message, deps, ops, extra.ToArray());
        change.SetEncoded(raw, hash);
        return change;
    }

    private static ActorId ReadActor(ref ByteReader reader, string role)
    {
        var bytes = reader.ReadLengthPrefixedBytes();
        if (bytes.IsEmpty || bytes.Length > ActorId.MaxLength)
        {
            throw new AutomergeFormatException("The " + role + " actor id must be 1.." + ActorId.MaxLength + " bytes, found " + bytes.Length + ".");
        }

        return ActorId.FromBytes(bytes);
    }

    private static void VerifyChecksum(ReadOnlySpan<byte> chunk, ChangeHash hash)
    {
        Span<byte> digest = stackalloc byte[ChangeHash.Size];
        hash.WriteTo(digest);
        if (!digest[..4].SequenceEqual(chunk.Slice(4, 4)))
        {
            throw new AutomergeFormatException("Chunk checksum mismatch.");
        }
    }

    private static ActorId[] OtherActors(Change change)
    {
        var author = change.Actor;
        List<ActorId>? others = null;
        foreach (var op in change.Ops)
        {
            if (!op.Obj.IsRoot && !op.Obj.Id.Actor.Equals(author))
            {
                (others ??= []).Add(op.Obj.Id.Actor);
            }

            if (!op.Key.IsMapKey && !op.Key.Elem.IsHead && !op.Key.Elem.Id.Actor.Equals(author))
            {
                (others ??= []).Add(op.Key.Elem.Id.Actor);
            }

            foreach (var p in op.Pred)
            {
                if (!p.Actor.Equals(author))
                {
                    (others ??= []).Add(p.Actor);
                }
            }
        }

        if (others is null)
        {
            return [];
        }

        others.Sort();
        var distinct = 0;
        for (var i = 0; i < others.Count; i++)
        {
            if (distinct == 0 || !others[i].Equals(others[distinct - 1]))
            {
                others[distinct++] = others[i];
            }
        }

        return others.GetRange(0, distinct).ToArray();
    }

    private static void Validate(Change change)
    {
        if (change.StartOp > ChangeOpColumns.MaxCounter || (change.Ops.Count > 0 && change.MaxOp > ChangeOpColumns.MaxCounter))
        {
            throw new ArgumentException("Op counters above 2^32 - 1 cannot be encoded (Automerge 3.x rejects them).", nameof(change));
        }

        for (var i = 0; i < change.Ops.Count; i++)
        {
            var op = change.Ops[i];
            if (op is null)
            {
                throw new ArgumentException("Op " + i + " is null.", nameof(change));
            }

            if (!op.Obj.IsRoot)
            {
                CheckId(op.Obj.Id, i, "object id");
            }

            if (!op.Key.IsMapKey && !op.Key.Elem.IsHead)
            {
                CheckId(op.Key.Elem.Id, i, "element id");
            }

            if ((byte)op.Action > (byte)OpAction.Mark)
            {
                throw new ArgumentException("Op " + i + " has an undefined action " + (byte)op.Action + ".", nameof(change));
            }

            if (op.Action == OpAction.Increment && op.Value.Kind is not (ScalarKind.Int or ScalarKind.Uint))
            {
                throw new ArgumentException("Op " + i + " increments by a " + op.Value.Kind + "; Automerge needs an int or uint.", nameof(change));
            }

            for (var p = 0; p < op.Pred.Count; p++)
            {
                CheckId(op.Pred[p], i, "pred");
                if (p > 0 && op.Pred[p] < op.Pred[p - 1])
                {
                    throw new ArgumentException("Op " + i + " has preds out of OpId order.", nameof(change));
                }
            }
        }
    }

    private static void CheckId(OpId id, int index, string what)
    {
        if (id.Counter == 0 || id.Counter > ChangeOpColumns.MaxCounter || id.Actor.IsEmpty)
        {
            throw new ArgumentException("Op " + index + " has an invalid " + what + " " + id + ".", nameof(id));
        }
    }
}
