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
        if (winner is null)
        {
            SequenceTree.Update(element, false, 0, 0);
        }
        else
        {
            SequenceTree.Update(element, true, SequenceElement.WidthOf(winner), SequenceElement.CodePointWidthOf(winner));
        }
    }

    /// <summary>Number of mark elements (begin and end ops) in the sequence; 0 lets inserts skip the mark rules.</summary>
    public int MarkCount { get; set; }

    /// <summary>
    /// The visible element at list index <paramref name="index"/>, or for text the one covering offset
    /// <paramref name="index"/> in <paramref name="encoding"/>; null when out of range.
    /// </summary>
    public SequenceElement? ElementAt(int index, TextEncoding encoding = TextEncoding.Utf16CodeUnit) =>
        Type == ObjType.Text ? Tree.FindByOffset(index, encoding, out _) : Tree.FindVisible(index);

    /// <summary>Length: visible elements for lists, UTF-16 code units for text.</summary>
    public int Length => Type == ObjType.Text ? Tree.Width : Tree.VisibleCount;

    /// <summary>Length: visible elements for lists; for text, its length in <paramref name="encoding"/>.</summary>
    public int LengthIn(TextEncoding encoding) => Type != ObjType.Text ? Tree.VisibleCount : Tree.WidthIn(encoding);

    /// <summary>The width of a visible element in <paramref name="encoding"/> (1 for list elements).</summary>
    public int WidthOf(SequenceElement element, TextEncoding encoding) =>
        Type != ObjType.Text ? 1 : encoding == TextEncoding.UnicodeCodePoint ? element.CountedCodePoints : element.CountedWidth;
}
