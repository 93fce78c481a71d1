namespace PeatMesh.Automerge.Binary;

/// <summary>
/// The decoders of a document chunk's op columns (Automerge binary format §2.5 "Document op columns"), held together
/// so that <see cref="DocumentOpReader"/> can decode one block of rows per call: the per-block work then runs as fully
/// optimised code from the first document on, instead of as on-stack-replaced code of a once-per-load loop.
/// </summary>
/// <remarks>Mutable <see langword="ref struct"/>: pass it by <see langword="ref"/>; not thread-safe.</remarks>
internal ref struct DocumentOpColumnDecoders
{
    /// <summary>The op id actor column (it drives the row count).</summary>
    public RleDecoder<ulong, UInt64Codec> IdActor;

    /// <summary>The op id counter column.</summary>
    public DeltaDecoder IdCounter;

    /// <summary>The object actor column.</summary>
    public RleDecoder<ulong, UInt64Codec> ObjActor;

    /// <summary>The object counter column.</summary>
    public RleDecoder<ulong, UInt64Codec> ObjCounter;

    /// <summary>The key actor column.</summary>
    public RleDecoder<ulong, UInt64Codec> KeyActor;

    /// <summary>The key counter column.</summary>
    public DeltaDecoder KeyCounter;

    /// <summary>The key string column.</summary>
    public RleDecoder<string, StringCodec> KeyString;

    /// <summary>The insert column.</summary>
    public BooleanDecoder Insert;

    /// <summary>The action column.</summary>
    public RleDecoder<ulong, UInt64Codec> Action;

    /// <summary>The value metadata and raw value columns.</summary>
    public ValueColumnDecoder Value;

    /// <summary>The succ group column.</summary>
    public RleDecoder<ulong, UInt64Codec> SuccGroup;

    /// <summary>The grouped succ actor column.</summary>
    public RleDecoder<ulong, UInt64Codec> SuccActor;

    /// <summary>The grouped succ counter column.</summary>
    public DeltaDecoder SuccCounter;

    /// <summary>The expand column.</summary>
    public BooleanDecoder Expand;

    /// <summary>The mark name column.</summary>
    public RleDecoder<string, StringCodec> MarkName;

    /// <summary>Creates the decoders over the (inflated) op columns, each capped at <paramref name="maxRows"/> rows.</summary>
    public DocumentOpColumnDecoders(DocumentColumns columns, int maxRows)
    {
        IdActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.IdActor), "id actor", maxRows);
        IdCounter = new DeltaDecoder(columns.Get(OpColumnSpecs.IdCounter), "id counter", maxRows);
        ObjActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.ObjActor), "obj actor", maxRows);
        ObjCounter = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.ObjCounter), "obj counter", maxRows);
        KeyActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.KeyActor), "key actor", maxRows);
        KeyCounter = new DeltaDecoder(columns.Get(OpColumnSpecs.KeyCounter), "key counter", maxRows);
        KeyString = new RleDecoder<string, StringCodec>(columns.Get(OpColumnSpecs.KeyString), "key string", maxRows);
        Insert = new BooleanDecoder(columns.Get(OpColumnSpecs.Insert), "insert", maxRows);
        Action = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.Action), "action", maxRows);
        Value = new ValueColumnDecoder(columns.Get(OpColumnSpecs.ValueMetadata), columns.Get(OpColumnSpecs.Value), "value", maxRows);
        SuccGroup = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.SuccGroup), "succ group", maxRows);
        SuccActor = new RleDecoder<ulong, UInt64Codec>(columns.Get(OpColumnSpecs.SuccActor), "succ actor", maxRows);
        SuccCounter = new DeltaDecoder(columns.Get(OpColumnSpecs.SuccCounter), "succ counter", maxRows);
        Expand = new BooleanDecoder(columns.Get(OpColumnSpecs.Expand), "expand", maxRows);
        MarkName = new RleDecoder<string, StringCodec>(columns.Get(OpColumnSpecs.MarkName), "mark name", maxRows);
    }

    /// <summary>Whether every column other than the op id actor column has been read to its end.</summary>
    public readonly bool OthersDone => IdCounter.IsDone && ObjActor.IsDone && ObjCounter.IsDone && KeyActor.IsDone && KeyCounter.IsDone
        && KeyString.IsDone && Insert.IsDone && Action.IsDone && Value.IsDone && SuccGroup.IsDone && SuccActor.IsDone
        && SuccCounter.IsDone && Expand.IsDone && MarkName.IsDone;
}
