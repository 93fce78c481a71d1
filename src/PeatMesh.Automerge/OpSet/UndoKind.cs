namespace PeatMesh.Automerge.OpSet;

/// <summary>What an <see cref="UndoEntry"/> reverts.</summary>
internal enum UndoKind
{
    /// <summary>An op record was stored.</summary>
    AddedOp,

    /// <summary>An op gained a hiding successor.</summary>
    Hid,

    /// <summary>A counter op was incremented.</summary>
    Incremented,
}
