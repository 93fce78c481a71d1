namespace PeatMesh.Automerge.Binary;

/// <summary>One row of a document chunk's change columns (its deps are in <see cref="DocumentChangeTable"/>).</summary>
/// <param name="Actor">Index into the document's actors.</param>
/// <param name="Seq">Per-actor sequence number.</param>
/// <param name="MaxOp">The largest op counter of the change.</param>
/// <param name="Time">The change time.</param>
/// <param name="Message">The message, or null.</param>
/// <param name="Extra">Extra bytes appended to the change body.</param>
internal readonly record struct DocumentChangeRow(int Actor, ulong Seq, ulong MaxOp, long Time, string? Message, byte[] Extra);

/// <summary>A document chunk's change rows, and their deps as one flat array.</summary>
/// <param name="Rows">The change rows, in stored order.</param>
/// <param name="DepStart">Row c's deps are <c>DepIndex[DepStart[c]..DepStart[c + 1]]</c> (length rows + 1).</param>
/// <param name="DepIndex">Indices of the rows each change depends on, as stored.</param>
internal sealed record DocumentChangeTable(DocumentChangeRow[] Rows, int[] DepStart, int[] DepIndex);
