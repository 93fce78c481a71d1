namespace PeatMesh.Automerge.Binary;

/// <summary>Column specifications of a document chunk's change columns (Automerge binary format §2.5 "Document change columns").</summary>
/// <remarks>
/// Properties rather than <c>static readonly</c> fields on purpose: the .NET 10.0.12 JIT, compiling fully optimised code
/// before this class's static constructor has run (<c>DOTNET_TieredCompilation=0</c>, <c>TC_QuickJitForLoops=0</c>),
/// miscompiled a comparison against these fields and rejected valid documents. A property returning a constant has no
/// static state to get wrong, and folds to the same constant.
/// </remarks>
internal static class DocumentColumnSpecs
{
    public static ColumnSpec Actor => ColumnSpec.Create(0, ColumnType.Actor);                 // 1
    public static ColumnSpec Seq => ColumnSpec.Create(0, ColumnType.DeltaInteger);            // 3
    public static ColumnSpec MaxOp => ColumnSpec.Create(1, ColumnType.DeltaInteger);          // 19
    public static ColumnSpec Time => ColumnSpec.Create(2, ColumnType.DeltaInteger);           // 35
    public static ColumnSpec Message => ColumnSpec.Create(3, ColumnType.String);              // 53
    public static ColumnSpec DepsGroup => ColumnSpec.Create(4, ColumnType.Group);             // 64
    public static ColumnSpec DepsIndex => ColumnSpec.Create(4, ColumnType.DeltaInteger);      // 67
    public static ColumnSpec ExtraMetadata => ColumnSpec.Create(5, ColumnType.ValueMetadata); // 86
    public static ColumnSpec ExtraRaw => ColumnSpec.Create(5, ColumnType.Value);              // 87
}
