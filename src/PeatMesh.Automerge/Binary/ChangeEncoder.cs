using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Writes canonical change chunks (Automerge binary format §2.2 "Chunk container", §2.3 "Change chunk body", §2.5
/// "Change-chunk op columns" with their "written when" rules, §2.6 encodings) from ops appended one by one, reusing
/// its column buffers and its SHA-256 state from one change to the next.
/// </summary>
/// <remarks>
/// <para>Use: <see cref="Begin"/>, then for each op (in counter order) <see cref="AppendOp"/> followed by one
/// <see cref="AppendPred"/> per predecessor (ascending), then <see cref="WriteBody"/>, then <see cref="ComputeHash"/>
/// and/or <see cref="ToChunk"/>. Actor arguments are indices into the change's actor table (0 = author, then the
/// other actors sorted bytewise). The caller guarantees what <see cref="ChangeChunk.Encode"/> validates (counters at
/// most 2^32 − 1, defined actions, increments by an int or uint).</para>
/// <para>Not thread-safe: one instance per thread (<see cref="Shared"/>); <see cref="IDisposable"/> for the hash state.</para>
/// </remarks>
internal sealed class ChangeEncoder : IDisposable
{
    [ThreadStatic]
    private static ChangeEncoder? t_shared;

    private readonly RleEncoder<ulong, UInt64Codec> _objActor = new();
    private readonly RleEncoder<ulong, UInt64Codec> _objCounter = new();
    private readonly RleEncoder<ulong, UInt64Codec> _keyActor = new();
    private readonly DeltaEncoder _keyCounter = new();
    private readonly RleEncoder<string, StringCodec> _keyString = new();
    private readonly BooleanEncoder _insert = new();
    private readonly RleEncoder<ulong, UInt64Codec> _action = new();
    private readonly ValueColumnEncoder _value = new();
    private readonly RleEncoder<ulong, UInt64Codec> _predGroup = new();
    private readonly RleEncoder<ulong, UInt64Codec> _predActor = new();
    private readonly DeltaEncoder _predCounter = new();
    private readonly BooleanEncoder _expand = new();
    private readonly RleEncoder<string, StringCodec> _markName = new();
    private readonly ByteWriter _body = new(1024);
    private readonly Sha256Hasher _sha = Sha256Hasher.Create(preferNative: true);
    private readonly ReadOnlyMemory<byte>[] _columnData = new ReadOnlyMemory<byte>[Specs.Length];

    private static readonly ColumnSpec[] Specs =
    [
        OpColumnSpecs.ObjActor, OpColumnSpecs.ObjCounter, OpColumnSpecs.KeyActor, OpColumnSpecs.KeyCounter,
        OpColumnSpecs.KeyString, OpColumnSpecs.Insert, OpColumnSpecs.Action, OpColumnSpecs.ValueMetadata,
        OpColumnSpecs.Value, OpColumnSpecs.PredGroup, OpColumnSpecs.PredActor, OpColumnSpecs.PredCounter,
        OpColumnSpecs.Expand, OpColumnSpecs.MarkName,
    ];

    /// <summary>This thread's encoder.</summary>
    public static ChangeEncoder Shared => t_shared ??= new ChangeEncoder();

    // The body is written after room for the chunk's type byte and uLEB length, so that type, length and body can be
    // hashed as one span (one call into the hash implementation per change).
    private const int HeaderRoom = 1 + Leb128.MaxLength;

    /// <summary>The body written by the last <see cref="WriteBody"/> (valid until the next <see cref="Begin"/>).</summary>
    public ReadOnlySpan<byte> Body => _body.WrittenSpan[HeaderRoom..];

    /// <summary>Starts a new change: forgets every op appended so far.</summary>
    public void Begin()
    {
        _objActor.Reset();
        _objCounter.Reset();
        _keyActor.Reset();
        _keyCounter.Reset();
        _keyString.Reset();
        _insert.Reset();
        _action.Reset();
        _value.Reset();
        _predGroup.Reset();
        _predActor.Reset();
        _predCounter.Reset();
        _expand.Reset();
        _markName.Reset();
        _body.Clear();
        _body.Write(stackalloc byte[HeaderRoom]);
    }

    /// <summary>Appends one op; its <paramref name="predCount"/> predecessors follow through <see cref="AppendPred"/>.</summary>
    /// <param name="objActor">Actor index of the object id (ignored for the root).</param>
    /// <param name="objCounter">Counter of the object id; 0 = the root map.</param>
    /// <param name="mapKey">The map key, or null for a sequence key.</param>
    /// <param name="keyActor">Actor index of the key element (ignored for map keys and <c>_head</c>).</param>
    /// <param name="keyCounter">Counter of the key element; 0 = <c>_head</c> (ignored for map keys).</param>
    /// <param name="insert">The insert flag.</param>
    /// <param name="action">The action.</param>
    /// <param name="value">The value.</param>
    /// <param name="predCount">Number of predecessors.</param>
    /// <param name="expand">The expand flag.</param>
    /// <param name="markName">The mark name, or null.</param>
    /// <exception cref="ArgumentException">A string is not valid Unicode.</exception>
    public void AppendOp(ulong objActor, ulong objCounter, string? mapKey, ulong keyActor, ulong keyCounter, bool insert,
        OpAction action, in ScalarValue value, int predCount, bool expand, string? markName)
    {
        if (objCounter == 0)
        {
            _objActor.AppendNull();
            _objCounter.AppendNull();
        }
        else
        {
            _objActor.Append(objActor);
            _objCounter.Append(objCounter);
        }

        if (mapKey is not null)
        {
            _keyActor.AppendNull();
            _keyCounter.AppendNull();
            _keyString.Append(mapKey);
        }
        else if (keyCounter == 0)
        {
            _keyActor.AppendNull();
            _keyCounter.Append(0);
            _keyString.AppendNull();
        }
        else
        {
            _keyActor.Append(keyActor);
            _keyCounter.Append((long)keyCounter);
            _keyString.AppendNull();
        }

        _insert.Append(insert);
        _action.Append((ulong)action);
        _value.Append(value);
        _predGroup.Append((ulong)predCount);
        _expand.Append(expand);
        if (markName is null)
        {
            _markName.AppendNull();
        }
        else
        {
            _markName.Append(markName);
        }
    }

    /// <summary>Appends one predecessor of the last op appended.</summary>
    public void AppendPred(ulong actor, ulong counter)
    {
        _predActor.Append(actor);
        _predCounter.Append((long)counter);
    }

    /// <summary>
    /// Appends the ops of <paramref name="batch"/> with their predecessors, exactly as <see cref="AppendOp"/> and
    /// <see cref="AppendPred"/> for each would, but column by column (runs of equal values at a time).
    /// </summary>
    /// <exception cref="ArgumentException">A string is not valid Unicode.</exception>
    public void AppendBatch(ChangeOpBatch batch)
    {
        var n = batch.Count;
        ColumnRuns.Append(_objActor, batch.ObjActor.AsSpan(0, n));
        ColumnRuns.Append(_objCounter, batch.ObjCounter.AsSpan(0, n));
        ColumnRuns.Append(_keyActor, batch.KeyActor.AsSpan(0, n));
        _keyCounter.AppendValues(batch.KeyCounter.AsSpan(0, n));
        ColumnRuns.Append(_keyString, batch.KeyString.AsSpan(0, n));
        _insert.AppendValues(batch.Insert.AsSpan(0, n));
        ColumnRuns.Append(_action, batch.Action.AsSpan(0, n));
        _value.AppendEncoded(batch.ValueMeta.AsSpan(0, n), batch.ValueRaw.WrittenSpan);
        ColumnRuns.Append(_predGroup, batch.PredGroup.AsSpan(0, n));
        ColumnRuns.Append(_predActor, batch.PredActor.AsSpan(0, batch.PredCount));
        _predCounter.AppendValues(batch.PredCounter.AsSpan(0, batch.PredCount));
        _expand.AppendValues(batch.Expand.AsSpan(0, n));
        ColumnRuns.Append(_markName, batch.MarkName.AsSpan(0, n));
    }

    /// <summary>Writes the change body (§2.3): header fields, op column metadata and data, extra bytes.</summary>
    /// <param name="deps">Dependencies, sorted ascending.</param>
    /// <param name="actor">The author.</param>
    /// <param name="seq">The seq.</param>
    /// <param name="startOp">The start op.</param>
    /// <param name="time">The time.</param>
    /// <param name="message">The message; null or empty = none.</param>
    /// <param name="others">The other actors, sorted bytewise (actor indices 1.. in the op columns).</param>
    /// <param name="extra">Extra bytes.</param>
    /// <exception cref="ArgumentException">The message is not valid Unicode.</exception>
    public void WriteBody(ReadOnlySpan<ChangeHash> deps, ActorId actor, ulong seq, ulong startOp, long time, string? message,
        ReadOnlySpan<ActorId> others, ReadOnlySpan<byte> extra)
    {
        WriteDeps(deps);
        WriteBodyAfterDeps(actor, seq, startOp, time, message, others, extra);
    }

    /// <summary>
    /// Writes the start of the change body, its deps (count, then the hashes): <see cref="WriteBody"/> is this followed
    /// by <see cref="WriteBodyAfterDeps"/>.
    /// </summary>
    /// <param name="deps">Dependencies, sorted ascending.</param>
    public void WriteDeps(ReadOnlySpan<ChangeHash> deps)
    {
        _body.WriteUInt64((ulong)deps.Length);
        foreach (var dep in deps)
        {
            _body.WriteChangeHash(dep);
        }
    }

    /// <summary>
    /// Writes the part of the change body after its deps (everything <see cref="WriteBody"/> writes but the deps count and
    /// hashes), for callers that hash the deps separately (<see cref="Body"/> then holds only this part).
    /// </summary>
    /// <inheritdoc cref="WriteBody" path="/param[@name!='deps']"/>
    /// <exception cref="ArgumentException">The message is not valid Unicode.</exception>
    public void WriteBodyAfterDeps(ActorId actor, ulong seq, ulong startOp, long time, string? message, ReadOnlySpan<ActorId> others,
        ReadOnlySpan<byte> extra)
    {
        var data = _columnData;
        data[0] = _objActor.Finish();
        data[1] = _objCounter.Finish();
        data[2] = _keyActor.Finish();
        data[3] = _keyCounter.Finish();
        data[4] = _keyString.Finish();
        data[5] = _insert.Finish();
        data[6] = _action.Finish();
        var (valueMeta, valueRaw) = _value.Finish();
        data[7] = valueMeta;
        data[8] = valueRaw;
        data[9] = _predGroup.Finish();
        data[10] = _predActor.Finish();
        data[11] = _predCounter.Finish();
        var expandData = _expand.Finish();
        data[12] = _expand.AnyTrue ? expandData : ReadOnlyMemory<byte>.Empty;
        data[13] = _markName.Finish();

        var body = _body;
        body.WriteLengthPrefixed(actor.Span);
        body.WriteUInt64(seq);
        body.WriteUInt64(startOp);
        body.WriteInt64(time);
        body.WriteString(message ?? string.Empty);
        body.WriteUInt64((ulong)others.Length);
        foreach (var other in others)
        {
            body.WriteLengthPrefixed(other.Span);
        }

        // Column metadata (spec and length of each non-empty column), then the columns' data, written into one span.
        var present = 0;
        var dataLength = 0;
        foreach (var column in data)
        {
            present += column.IsEmpty ? 0 : 1;
            dataLength += column.Length;
        }

        body.WriteUInt64((ulong)present);
        var free = body.GetSpan(present * 2 * Leb128.MaxUInt32Length + dataLength);
        var written = 0;
        for (var c = 0; c < data.Length; c++)
        {
            if (!data[c].IsEmpty)
            {
                written += Leb128.WriteUnsigned(free[written..], Specs[c].Raw);
                written += Leb128.WriteUnsigned(free[written..], (ulong)data[c].Length);
            }
        }

        foreach (var column in data)
        {
            if (!column.IsEmpty)
            {
                column.Span.CopyTo(free[written..]);
                written += column.Length;
            }
        }

        body.Advance(written);
        body.Write(extra);
    }

    /// <summary>The change hash of the body last written: SHA-256 of type 1, uLEB body length, body.</summary>
    public ChangeHash ComputeHash()
    {
        var written = _body.WrittenSpanForUpdate;
        var bodyLength = (ulong)(written.Length - HeaderRoom);
        var start = HeaderRoom - 1 - Leb128.UnsignedLength(bodyLength);
        written[start] = (byte)ChunkType.Change;
        Leb128.WriteUnsigned(written[(start + 1)..], bodyLength);
        Span<byte> digest = stackalloc byte[ChangeHash.Size];
        _sha.Hash(written[start..], digest);
        return ChangeHash.FromBytes(digest);
    }

    /// <summary>The complete change chunk of the body last written, with <paramref name="hash"/> (from <see cref="ComputeHash"/>).</summary>
    public byte[] ToChunk(ChangeHash hash)
    {
        var body = Body;
        Span<byte> header = stackalloc byte[1 + Leb128.MaxLength];
        return ChunkContainer.Assemble(hash, header[..ChunkContainer.WriteHeader(header, ChunkType.Change, body.Length)], body);
    }

    /// <summary>Releases the hash state.</summary>
    public void Dispose() => _sha.Dispose();
}
