namespace PeatMesh.Automerge.Binary;

/// <summary>One column from a metadata block: its specification and where its data lies.</summary>
/// <param name="Spec">The specification.</param>
/// <param name="Offset">Offset of the data from the start of the column data block, in bytes.</param>
/// <param name="Length">Length of the data, in bytes (never 0 for columns Automerge writes).</param>
internal readonly record struct RawColumn(ColumnSpec Spec, int Offset, int Length);
