using System.Security.Cryptography;
using System.Text;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Reads and writes change chunks (Automerge binary format, "Chunk container" and "Change chunk").
/// </summary>
/// <remarks>
/// Thread-safe (stateless).
/// PROVISIONAL (walking-skeleton scaffold): the container and the change header are the real format,
/// but ops are written row by row instead of in Automerge's op columns. It is replaced by the canonical
/// columnar encoder before the walking-skeleton issue closes; nothing outside this file depends on the body layout.
/// </remarks>
public static class ChangeChunk
{
    /// <summary>The chunk magic bytes <c>85 6f 4a 83</c>.</summary>
    public static ReadOnlySpan<byte> Magic => [0x85, 0x6f, 0x4a, 0x83];

    private const byte ChangeChunkType = 1;
    private const int MaxChunkBody = 64 * 1024 * 1024;

    /// <summary>Encodes <paramref name="change"/> as a complete change chunk.</summary>
    /// <param name="change">The change.</param>
    /// <param name="hash">Receives the change hash.</param>
    /// <returns>The chunk bytes.</returns>
    public static byte[] Encode(Change change, out ChangeHash hash)
    {
        ArgumentNullException.ThrowIfNull(change);
        var body = new List<byte>(64 + change.Ops.Count * 16);
        WriteUleb(body, (ulong)change.Deps.Count);
        Span<byte> h = stackalloc byte[ChangeHash.Size];
        foreach (var dep in change.Deps)
        {
            dep.WriteTo(h);
            body.AddRange(h.ToArray());
        }

        WriteBytes(body, change.Actor.Span);
        WriteUleb(body, change.Seq);
        WriteUleb(body, change.StartOp);
        WriteSleb(body, change.Time);
        WriteBytes(body, Encoding.UTF8.GetBytes(change.Message ?? string.Empty));
        var others = OtherActors(change);
        WriteUleb(body, (ulong)others.Count);
        foreach (var a in others)
        {
            WriteBytes(body, a.Span);
        }

        WriteUleb(body, (ulong)change.Ops.Count);
        foreach (var op in change.Ops)
        {
            WriteObj(body, op.Obj, change.Actor, others);
            if (op.Key.IsMapKey)
            {
                body.Add(0);
                WriteBytes(body, Encoding.UTF8.GetBytes(op.Key.MapKey!));
            }
            else
            {
                body.Add(1);
                WriteOpIdOrNull(body, op.Key.Elem.IsHead ? null : op.Key.Elem.Id, change.Actor, others);
            }

            body.Add((byte)((op.Insert ? 1 : 0) | (op.Expand ? 2 : 0)));
            body.Add((byte)op.Action);
            WriteValue(body, op.Value);
            WriteUleb(body, (ulong)op.Pred.Count);
            foreach (var p in op.Pred)
            {
                WriteOpIdOrNull(body, p, change.Actor, others);
            }

            WriteBytes(body, op.MarkName is null ? [] : Encoding.UTF8.GetBytes(op.MarkName));
            body.Add(op.MarkName is null ? (byte)0 : (byte)1);
        }

        body.AddRange(change.ExtraBytes.ToArray());
        return WrapChunk(ChangeChunkType, body.ToArray(), out hash);
    }

    /// <summary>Decodes one change chunk at the start of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes beginning with a change chunk; may continue with further chunks.</param>
    /// <param name="bytesConsumed">Receives the chunk's total length.</param>
    /// <exception cref="AutomergeFormatException">Malformed, truncated, wrong type or bad checksum.</exception>
    public static Change Decode(ReadOnlySpan<byte> data, out int bytesConsumed)
    {
        if (data.Length < 9 || !data[..4].SequenceEqual(Magic))
        {
            throw new AutomergeFormatException("Not an Automerge chunk (bad magic).");
        }

        var type = data[8];
        if (type != ChangeChunkType)
        {
            throw new AutomergeFormatException("Unsupported chunk type " + type + ".");
        }

        var pos = 9;
        var len = ReadUleb(data, ref pos);
        if (len > MaxChunkBody || (ulong)(data.Length - pos) < len)
        {
            throw new AutomergeFormatException("Truncated chunk.");
        }

        var headerAndBody = data[8..(pos + (int)len)];
        var hashBytes = SHA256.HashData(headerAndBody);
        if (!hashBytes.AsSpan(0, 4).SequenceEqual(data[4..8]))
        {
            throw new AutomergeFormatException("Chunk checksum mismatch.");
        }

        var body = data[pos..(pos + (int)len)];
        bytesConsumed = pos + (int)len;
        var p = 0;
        var depCount = CheckedCount(ReadUleb(body, ref p), body.Length - p, ChangeHash.Size);
        var deps = new ChangeHash[depCount];
        for (var i = 0; i < depCount; i++)
        {
            deps[i] = ChangeHash.FromBytes(Take(body, ref p, ChangeHash.Size));
        }

        var actor = ActorId.FromBytes(ReadBytes(body, ref p));
        var seq = ReadUleb(body, ref p);
        var startOp = ReadUleb(body, ref p);
        var time = ReadSleb(body, ref p);
        var messageBytes = ReadBytes(body, ref p);
        var message = messageBytes.Length == 0 ? null : Utf8(messageBytes);
        var otherCount = CheckedCount(ReadUleb(body, ref p), body.Length - p, 1);
        var others = new List<ActorId>(otherCount);
        for (var i = 0; i < otherCount; i++)
        {
            others.Add(ActorId.FromBytes(ReadBytes(body, ref p)));
        }

        var opCount = CheckedCount(ReadUleb(body, ref p), body.Length - p, 5);
        var ops = new List<Op>(opCount);
        for (var i = 0; i < opCount; i++)
        {
            var obj = ReadOpIdOrNull(body, ref p, actor, others) is { } objId ? ObjId.FromOpId(objId) : ObjId.Root;
            Key key;
            if (Take(body, ref p, 1)[0] == 0)
            {
                key = Key.Map(Utf8(ReadBytes(body, ref p)));
            }
            else
            {
                key = ReadOpIdOrNull(body, ref p, actor, others) is { } elem ? Key.Seq(ElemId.FromOpId(elem)) : Key.Seq(ElemId.Head);
            }

            var flags = Take(body, ref p, 1)[0];
            var action = Take(body, ref p, 1)[0];
            if (action > 7)
            {
                throw new AutomergeFormatException("Unknown action " + action + ".");
            }

            var value = ReadValue(body, ref p);
            var predCount = CheckedCount(ReadUleb(body, ref p), body.Length - p, 1);
            var pred = new OpId[predCount];
            for (var j = 0; j < predCount; j++)
            {
                pred[j] = ReadOpIdOrNull(body, ref p, actor, others)
                    ?? throw new AutomergeFormatException("Null pred op id.");
            }

            var markNameBytes = ReadBytes(body, ref p);
            var hasMarkName = Take(body, ref p, 1)[0] == 1;
            ops.Add(new Op(obj, key, (flags & 1) != 0, (OpAction)action, value, pred, (flags & 2) != 0,
                hasMarkName ? Utf8(markNameBytes) : null));
        }

        if (startOp == 0 || seq == 0)
        {
            throw new AutomergeFormatException("seq and startOp must be >= 1.");
        }

        var change = new Change(actor, seq, startOp, time, message, deps, ops, body[p..].ToArray());
        change.SetEncoded(data[..bytesConsumed].ToArray(), ChangeHash.FromBytes(hashBytes));
        return change;
    }

    internal static byte[] WrapChunk(byte type, byte[] body, out ChangeHash hash)
    {
        var header = new List<byte> { type };
        WriteUleb(header, (ulong)body.Length);
        var hashed = new byte[header.Count + body.Length];
        header.CopyTo(hashed);
        body.CopyTo(hashed, header.Count);
        var digest = SHA256.HashData(hashed);
        hash = ChangeHash.FromBytes(digest);
        var chunk = new byte[8 + hashed.Length];
        Magic.CopyTo(chunk);
        digest.AsSpan(0, 4).CopyTo(chunk.AsSpan(4));
        hashed.CopyTo(chunk, 8);
        return chunk;
    }

    private static List<ActorId> OtherActors(Change change)
    {
        var set = new SortedSet<ActorId>();
        foreach (var op in change.Ops)
        {
            if (!op.Obj.IsRoot)
            {
                set.Add(op.Obj.Id.Actor);
            }

            if (!op.Key.IsMapKey && !op.Key.Elem.IsHead)
            {
                set.Add(op.Key.Elem.Id.Actor);
            }

            foreach (var p in op.Pred)
            {
                set.Add(p.Actor);
            }
        }

        set.Remove(change.Actor);
        return [.. set];
    }

    private static void WriteObj(List<byte> body, ObjId obj, ActorId author, List<ActorId> others) =>
        WriteOpIdOrNull(body, obj.IsRoot ? null : obj.Id, author, others);

    private static void WriteOpIdOrNull(List<byte> body, OpId? id, ActorId author, List<ActorId> others)
    {
        if (id is not { } value)
        {
            body.Add(0);
            return;
        }

        body.Add(1);
        WriteUleb(body, value.Actor == author ? 0UL : (ulong)others.IndexOf(value.Actor) + 1);
        WriteUleb(body, value.Counter);
    }

    private static OpId? ReadOpIdOrNull(ReadOnlySpan<byte> body, ref int p, ActorId author, List<ActorId> others)
    {
        if (Take(body, ref p, 1)[0] == 0)
        {
            return null;
        }

        var index = ReadUleb(body, ref p);
        var counter = ReadUleb(body, ref p);
        if (counter == 0 || index > (ulong)others.Count)
        {
            throw new AutomergeFormatException("Invalid op id.");
        }

        return new OpId(counter, index == 0 ? author : others[(int)index - 1]);
    }

    private static void WriteValue(List<byte> body, ScalarValue value)
    {
        body.Add(value.Kind == ScalarKind.Boolean ? (value.AsBoolean ? (byte)2 : (byte)1)
            : value.Kind == ScalarKind.Unknown ? value.UnknownTypeCode : (byte)value.Kind);
        switch (value.Kind)
        {
            case ScalarKind.Uint:
                WriteUleb(body, value.AsUInt64);
                break;
            case ScalarKind.Int or ScalarKind.Counter or ScalarKind.Timestamp:
                WriteSleb(body, value.AsInt64);
                break;
            case ScalarKind.F64:
                body.AddRange(BitConverter.GetBytes(value.AsDouble));
                break;
            case ScalarKind.Str:
                WriteBytes(body, Encoding.UTF8.GetBytes(value.AsString!));
                break;
            case ScalarKind.Bytes or ScalarKind.Unknown:
                WriteBytes(body, value.AsBytes);
                break;
        }
    }

    private static ScalarValue ReadValue(ReadOnlySpan<byte> body, ref int p)
    {
        var code = Take(body, ref p, 1)[0];
        return code switch
        {
            0 => ScalarValue.Null,
            1 => ScalarValue.Boolean(false),
            2 => ScalarValue.Boolean(true),
            3 => ScalarValue.Uint(ReadUleb(body, ref p)),
            4 => ScalarValue.Int(ReadSleb(body, ref p)),
            5 => ScalarValue.F64(BitConverter.ToDouble(Take(body, ref p, 8))),
            6 => ScalarValue.Str(Utf8(ReadBytes(body, ref p))),
            7 => ScalarValue.Bytes(ReadBytes(body, ref p).ToArray()),
            8 => ScalarValue.Counter(ReadSleb(body, ref p)),
            9 => ScalarValue.Timestamp(ReadSleb(body, ref p)),
            >= 10 and <= 15 => ScalarValue.Unknown(code, ReadBytes(body, ref p).ToArray()),
            _ => throw new AutomergeFormatException("Invalid value type " + code + "."),
        };
    }

    private static string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new AutomergeFormatException("Invalid UTF-8.", e);
        }
    }

    private static int CheckedCount(ulong count, int remaining, int minItemSize)
    {
        if (count > (ulong)remaining / (ulong)minItemSize)
        {
            throw new AutomergeFormatException("Count exceeds the remaining input.");
        }

        return (int)count;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int p, int n)
    {
        if (n < 0 || data.Length - p < n)
        {
            throw new AutomergeFormatException("Truncated input.");
        }

        var s = data.Slice(p, n);
        p += n;
        return s;
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, ref int p)
    {
        var len = ReadUleb(data, ref p);
        if (len > (ulong)(data.Length - p))
        {
            throw new AutomergeFormatException("Truncated input.");
        }

        return Take(data, ref p, (int)len);
    }

    private static void WriteBytes(List<byte> body, ReadOnlySpan<byte> bytes)
    {
        WriteUleb(body, (ulong)bytes.Length);
        body.AddRange(bytes.ToArray());
    }

    private static void WriteUleb(List<byte> output, ulong value)
    {
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            output.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
    }

    private static void WriteSleb(List<byte> output, long value)
    {
        while (true)
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            if ((value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0))
            {
                output.Add(b);
                return;
            }

            output.Add((byte)(b | 0x80));
        }
    }

    private static ulong ReadUleb(ReadOnlySpan<byte> data, ref int p)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Take(data, ref p, 1)[0];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new AutomergeFormatException("LEB128 value too long.");
    }

    private static long ReadSleb(ReadOnlySpan<byte> data, ref int p)
    {
        long result = 0;
        var shift = 0;
        byte b;
        do
        {
            if (shift >= 64)
            {
                throw new AutomergeFormatException("LEB128 value too long.");
            }

            b = Take(data, ref p, 1)[0];
            result |= (long)(b & 0x7f) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        if (shift < 64 && (b & 0x40) != 0)
        {
            result |= -1L << shift;
        }

        return result;
    }
}
