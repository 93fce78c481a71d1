namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Column specifications of op columns (Automerge binary format §2.5, "Change-chunk op columns" and
/// "Document op columns"; the implementation's numbers, which differ from the 2023 spec text in places).
/// </summary>
internal static class OpColumnSpecs
{
    public static readonly ColumnSpec ObjActor = ColumnSpec.Create(0, ColumnType.Actor);             // 1
    public static readonly ColumnSpec ObjCounter = ColumnSpec.Create(0, ColumnType.Integer);         // 2
    public static readonly ColumnSpec KeyActor = ColumnSpec.Create(1, ColumnType.Actor);             // 17
    public static readonly ColumnSpec KeyCounter = ColumnSpec.Create(1, ColumnType.DeltaInteger);    // 19
    public static readonly ColumnSpec KeyString = ColumnSpec.Create(1, ColumnType.String);           // 21
    public static readonly ColumnSpec IdActor = ColumnSpec.Create(2, ColumnType.Actor);              // 33 (documents)
    public static readonly ColumnSpec IdCounter = ColumnSpec.Create(2, ColumnType.DeltaInteger);     // 35 (documents)
    public static readonly ColumnSpec Insert = ColumnSpec.Create(3, ColumnType.Boolean);             // 52
    public static readonly ColumnSpec Action = ColumnSpec.Create(4, ColumnType.Integer);             // 66
    public static readonly ColumnSpec ValueMetadata = ColumnSpec.Create(5, ColumnType.ValueMetadata); // 86
    public static readonly ColumnSpec Value = ColumnSpec.Create(5, ColumnType.Value);                // 87
    public static readonly ColumnSpec PredGroup = ColumnSpec.Create(7, ColumnType.Group);            // 112
    public static readonly ColumnSpec PredActor = ColumnSpec.Create(7, ColumnType.Actor);            // 113
    public static readonly ColumnSpec PredCounter = ColumnSpec.Create(7, ColumnType.DeltaInteger);   // 115
    public static readonly ColumnSpec SuccGroup = ColumnSpec.Create(8, ColumnType.Group);            // 128 (documents)
    public static readonly ColumnSpec SuccActor = ColumnSpec.Create(8, ColumnType.Actor);            // 129 (documents)
    public static readonly ColumnSpec SuccCounter = ColumnSpec.Create(8, ColumnType.DeltaInteger);   // 131 (documents)
    public static readonly ColumnSpec Expand = ColumnSpec.Create(9, ColumnType.Boolean);             // 148
    public static readonly ColumnSpec MarkName = ColumnSpec.Create(10, ColumnType.String);           // 165
}
