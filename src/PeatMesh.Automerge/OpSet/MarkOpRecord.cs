using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// A stored mark op (action 7): a zero-width sequence element that begins a mark (it has a name; its expand flag
/// is "before") or ends one (no name; expand = "after"; it closes the begin whose OpId is its own counter − 1 of
/// the same actor). Spec <c>automerge.md</c> §1.
/// </summary>
/// <remarks>Not thread-safe; owned by one <see cref="OpStore"/>.</remarks>
internal sealed class MarkOpRecord : SequenceElement
{
    public MarkOpRecord(OpId id, ObjectState owner, object? reference, ScalarValue value, string? name, bool expand)
        : base(id, owner, reference, OpAction.Mark, value)
    {
        Name = name;
        Expand = expand;
    }

    /// <summary>The mark's name for a begin op; <see langword="null"/> for an end op.</summary>
    public string? Name { get; }

    /// <summary>Whether this op begins a mark.</summary>
    public bool IsBegin => Name is not null;

    /// <summary>The expand flag: "before" on a begin op, "after" on an end op.</summary>
    public bool Expand { get; }

    /// <summary>For an end op: the id of the begin op it closes (counter − 1, same actor).</summary>
    public OpId BeginId => new(Id.Counter - 1, Id.Actor);
}
