namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Column specifications of a bundle chunk (type 3), as Automerge 3.4–3.5 writes them (experimental format, Rust
/// <c>storage/bundle/builder.rs</c>). Change columns differ from a document's (start op and max op both stored,
/// extra bytes as a group of lengths); op columns are a change chunk's with a delta obj counter, the op id actor and,
/// instead of the id counter, an inverse permutation (id 11).
/// </summary>
/// <remarks>
/// Properties rather than <c>static readonly</c> fields on purpose: the .NET 10.0.12 JIT, compiling fully optimised code
/// before this class's static constructor has run (<c>DOTNET_TieredCompilation=0</c>, <c>TC_QuickJitForLoops=0</c>),
/// miscompiled a comparison against these fields and rejected valid documents. A property returning a constant has no
/// static state to get wrong, and folds to the same constant.
/// </remarks>
internal static class BundleColumnSpecs
{
    public static ColumnSpec ChangeActor => ColumnSpec.Create(0, ColumnType.Actor);            // 1
    public static ColumnSpec ChangeSeq => ColumnSpec.Create(0, ColumnType.DeltaInteger);       // 3
    public static ColumnSpec ChangeStartOp => ColumnSpec.Create(1, ColumnType.DeltaInteger);   // 19
    public static ColumnSpec ChangeMaxOp => ColumnSpec.Create(2, ColumnType.DeltaInteger);     // 35
    public static ColumnSpec ChangeTime => ColumnSpec.Create(3, ColumnType.DeltaInteger);      // 51
    public static ColumnSpec ChangeMessage => ColumnSpec.Create(4, ColumnType.String);         // 69
    public static ColumnSpec ChangeDepsGroup => ColumnSpec.Create(5, ColumnType.Group);        // 80
    public static ColumnSpec ChangeDeps => ColumnSpec.Create(5, ColumnType.DeltaInteger);      // 83
    public static ColumnSpec ChangeExtraGroup => ColumnSpec.Create(6, ColumnType.Group);       // 96
    public static ColumnSpec ChangeExtra => ColumnSpec.Create(6, ColumnType.Value);            // 103

    public static ColumnSpec ObjActor => ColumnSpec.Create(0, ColumnType.Actor);               // 1
    public static ColumnSpec ObjCounter => ColumnSpec.Create(0, ColumnType.DeltaInteger);      // 3
    public static ColumnSpec IdCounterInverse => ColumnSpec.Create(11, ColumnType.DeltaInteger); // 179

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
