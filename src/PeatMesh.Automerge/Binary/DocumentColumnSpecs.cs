namespace PeatMesh.Automerge.Binary;

/// <summary>Column specifications of a document chunk's change columns (Automerge binary format §2.5 "Document change columns").</summary>
internal static class DocumentColumnSpecs
{
    public static readonly ColumnSpec Actor = ColumnSpec.Create(0, ColumnType.Actor);                 // 1
    public static readonly ColumnSpec Seq = ColumnSpec.Create(0, ColumnType.DeltaInteger);            // 3
    public static readonly ColumnSpec MaxOp = ColumnSpec.Create(1, ColumnType.DeltaInteger);          // 19
    public static readonly ColumnSpec Time = ColumnSpec.Create(2, ColumnType.DeltaInteger);           // 35
    public static readonly ColumnSpec Message = ColumnSpec.Create(3, ColumnType.String);              // 53
    public static readonly ColumnSpec DepsGroup = ColumnSpec.Create(4, ColumnType.Group);             // 64
    public static readonly ColumnSpec DepsIndex = ColumnSpec.Create(4, ColumnType.DeltaInteger);      // 67
    public static readonly ColumnSpec ExtraMetadata = ColumnSpec.Create(5, ColumnType.ValueMetadata); // 86
    public static readonly ColumnSpec ExtraRaw = ColumnSpec.Create(5, ColumnType.Value);              // 87
}
