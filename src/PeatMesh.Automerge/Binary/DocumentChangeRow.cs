namespace PeatMesh.Automerge.Binary;

/// <summary>One row of a document chunk's change columns.</summary>
/// <param name="Actor">Index into the document's actors.</param>
/// <param name="Seq">Per-actor sequence number.</param>
/// <param name="MaxOp">The largest op counter of the change.</param>
/// <param name="Time">The change time.</param>
/// <param name="Message">The message, or null.</param>
/// <param name="Deps">Indices of earlier rows this change depends on.</param>
/// <param name="Extra">Extra bytes appended to the change body.</param>
internal readonly record struct DocumentChangeRow(int Actor, ulong Seq, ulong MaxOp, long Time, string? Message, int[] Deps, byte[] Extra);
