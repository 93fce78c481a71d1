using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>A list or text object: its elements in RGA order.</summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class SequenceState : ObjectState
{
    public SequenceState(ObjId id, ObjType type)
        : base(id, type)
    {
    }

    /// <summary>The elements, tombstones included.</summary>
    public SequenceTree Tree { get; } = new();

    /// <summary>
    /// Places a new element after its reference element (<see langword="null"/> = <c>_head</c>), skipping
    /// the siblings with a greater OpId and their subtrees (spec §1 RGA order). Because an element's
    /// descendants all have greater OpIds than it (their counters are larger), the siblings to skip and
    /// their subtrees are exactly the run of elements with an OpId greater than the new one.
    /// </summary>
    public void Integrate(SequenceElement? reference, SequenceElement element)
    {
        var cursor = reference is null ? Tree.First() : SequenceTree.Next(reference);
        while (cursor is not null && cursor.Id.CompareTo(element.Id) > 0)
        {
            cursor = SequenceTree.Next(cursor);
        }

        Tree.InsertBefore(cursor, element);
        Refresh(element);
    }

    /// <summary>Recomputes an element's visibility and width after its ops changed.</summary>
    public static void Refresh(SequenceElement element)
    {
        var winner = element.Winner;
        SequenceTree.Update(element, winner is not null, winner is null ? 0 : SequenceElement.WidthOf(winner));
    }

    /// <summary>The visible element at list index <paramref name="index"/>, or null.</summary>
    public SequenceElement? ElementAt(int index) =>
        Type == ObjType.Text ? Tree.FindByWidth(index, out _) : Tree.FindVisible(index);

    /// <summary>Length: visible elements for lists, UTF-16 code units for text.</summary>
    public int Length => Type == ObjType.Text ? Tree.Width : Tree.VisibleCount;
}
