namespace PeatMesh.Automerge.OpSet;

/// <summary>One reversible effect of applying a local op, recorded so a transaction can roll back.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Op">The op record affected.</param>
/// <param name="Amount">For <see cref="UndoKind.Incremented"/>: the increment.</param>
internal readonly record struct UndoEntry(UndoKind Kind, OpRecord Op, long Amount = 0);
