namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Column specifications of a bundle chunk (type 3), as Automerge 3.4–3.5 writes them (experimental format, Rust
/// <c>storage/bundle/builder.rs</c>). Change columns differ from a document's (start op and max op both stored,
/// extra bytes as a group of lengths); op columns are a change chunk's with a delta obj counter, the op id actor and,
/// instead of the id counter, an inverse permutation (id 11).
/// </summary>
internal static class BundleColumnSpecs
{
    public static readonly ColumnSpec ChangeActor = ColumnSpec.Create(0, ColumnType.Actor);            // 1
    public static readonly ColumnSpec ChangeSeq = ColumnSpec.Create(0, ColumnType.DeltaInteger);       // 3
    public static readonly ColumnSpec ChangeStartOp = ColumnSpec.Create(1, ColumnType.DeltaInteger);   // 19
    public static readonly ColumnSpec ChangeMaxOp = ColumnSpec.Create(2, ColumnType.DeltaInteger);     // 35
    public static readonly ColumnSpec ChangeTime = ColumnSpec.Create(3, ColumnType.DeltaInteger);      // 51
    public static readonly ColumnSpec ChangeMessage = ColumnSpec.Create(4, ColumnType.String);         // 69
    public static readonly ColumnSpec ChangeDepsGroup = ColumnSpec.Create(5, ColumnType.Group);        // 80
    public static readonly ColumnSpec ChangeDeps = ColumnSpec.Create(5, ColumnType.DeltaInteger);      // 83
    public static readonly ColumnSpec ChangeExtraGroup = ColumnSpec.Create(6, ColumnType.Group);       // 96
    public static readonly ColumnSpec ChangeExtra = ColumnSpec.Create(6, ColumnType.Value);            // 103

    public static readonly ColumnSpec ObjActor = ColumnSpec.Create(0, ColumnType.Actor);               // 1
    public static readonly ColumnSpec ObjCounter = ColumnSpec.Create(0, ColumnType.DeltaInteger);      // 3
    public static readonly ColumnSpec IdCounterInverse = ColumnSpec.Create(11, ColumnType.DeltaInteger); // 179

    /// <summary>The change column specifications a bundle may hold (3.x rejects any other).</summary>
    public static readonly uint[] ChangeColumns =
    [
        ChangeActor.Raw, ChangeSeq.Raw, ChangeStartOp.Raw, ChangeMaxOp.Raw, ChangeTime.Raw, ChangeMessage.Raw,
        ChangeDepsGroup.Raw, ChangeDeps.Raw, ChangeExtraGroup.Raw, ChangeExtra.Raw,
    ];

    /// <summary>The op column specifications a bundle may hold (3.x rejects any other); id counter (35) is the legacy form.</summary>
    public static readonly uint[] OpColumns =
    [
        ObjActor.Raw, ObjCounter.Raw, OpColumnSpecs.KeyActor.Raw, OpColumnSpecs.KeyCounter.Raw, OpColumnSpecs.KeyString.Raw,
        OpColumnSpecs.IdActor.Raw, OpColumnSpecs.IdCounter.Raw, OpColumnSpecs.Insert.Raw, OpColumnSpecs.Action.Raw,
        OpColumnSpecs.ValueMetadata.Raw, OpColumnSpecs.Value.Raw, OpColumnSpecs.PredGroup.Raw, OpColumnSpecs.PredActor.Raw,
        OpColumnSpecs.PredCounter.Raw, OpColumnSpecs.Expand.Raw, OpColumnSpecs.MarkName.Raw, IdCounterInverse.Raw,
    ];
}
