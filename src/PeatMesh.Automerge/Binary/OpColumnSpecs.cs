namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Column specifications of op columns (Automerge binary format §2.5, "Change-chunk op columns" and
/// "Document op columns"; the implementation's numbers, which differ from the 2023 spec text in places).
/// </summary>
/// <remarks>
/// Properties rather than <c>static readonly</c> fields on purpose: the .NET 10.0.12 JIT, compiling fully optimised code
/// before this class's static constructor has run (<c>DOTNET_TieredCompilation=0</c>, <c>TC_QuickJitForLoops=0</c>),
/// miscompiled a comparison against these fields and rejected valid documents. A property returning a constant has no
/// static state to get wrong, and folds to the same constant.
/// </remarks>
internal static class OpColumnSpecs
{
    public static ColumnSpec ObjActor => ColumnSpec.Create(0, ColumnType.Actor);             // 1
    public static ColumnSpec ObjCounter => ColumnSpec.Create(0, ColumnType.Integer);         // 2
    public static ColumnSpec KeyActor => ColumnSpec.Create(1, ColumnType.Actor);             // 17
    public static ColumnSpec KeyCounter => ColumnSpec.Create(1, ColumnType.DeltaInteger);    // 19
    public static ColumnSpec KeyString => ColumnSpec.Create(1, ColumnType.String);           // 21
    public static ColumnSpec IdActor => ColumnSpec.Create(2, ColumnType.Actor);              // 33 (documents)
    public static ColumnSpec IdCounter => ColumnSpec.Create(2, ColumnType.DeltaInteger);     // 35 (documents)
    public static ColumnSpec Insert => ColumnSpec.Create(3, ColumnType.Boolean);             // 52
    public static ColumnSpec Action => ColumnSpec.Create(4, ColumnType.Integer);             // 66
    public static ColumnSpec ValueMetadata => ColumnSpec.Create(5, ColumnType.ValueMetadata); // 86
    public static ColumnSpec Value => ColumnSpec.Create(5, ColumnType.Value);                // 87
    public static ColumnSpec PredGroup => ColumnSpec.Create(7, ColumnType.Group);            // 112
    public static ColumnSpec PredActor => ColumnSpec.Create(7, ColumnType.Actor);            // 113
    public static ColumnSpec PredCounter => ColumnSpec.Create(7, ColumnType.DeltaInteger);   // 115
    public static ColumnSpec SuccGroup => ColumnSpec.Create(8, ColumnType.Group);            // 128 (documents)
    public static ColumnSpec SuccActor => ColumnSpec.Create(8, ColumnType.Actor);            // 129 (documents)
    public static ColumnSpec SuccCounter => ColumnSpec.Create(8, ColumnType.DeltaInteger);   // 131 (documents)
    public static ColumnSpec Expand => ColumnSpec.Create(9, ColumnType.Boolean);             // 148
    public static ColumnSpec MarkName => ColumnSpec.Create(10, ColumnType.String);           // 165
}
