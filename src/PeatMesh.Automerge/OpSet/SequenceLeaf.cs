namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// A leaf of the <see cref="SequenceTree"/>: up to <see cref="SequenceNode.Capacity"/> elements in order, either as
/// <see cref="SequenceElement"/> objects or — for leaves written by a document load whose elements are all plain — as
/// <see cref="CompactSlot"/>s, which become objects the first time <see cref="Items"/> is read (ADR 0025).
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class SequenceLeaf : SequenceNode
{
    private SequenceElement[]? _items;
    private CompactSlot[]? _slots;
    private int _offset;
    private CompactElements? _compact;

    /// <summary>Creates an empty leaf of element objects.</summary>
    public SequenceLeaf()
    {
        _items = new SequenceElement[Capacity];
    }

    private SequenceLeaf(CompactSlot[] slots, int offset, int count, CompactElements compact)
    {
        _slots = slots;
        _offset = offset;
        _compact = compact;
        Count = count;
    }

    /// <summary>
    /// Creates a compact leaf holding <c>slots[offset..offset + count]</c> (one array is shared by all the compact leaves
    /// of a tree, so that a loaded text is a few large arrays rather than thousands of small ones); the caller sets its
    /// counts.
    /// </summary>
    public static SequenceLeaf CreateCompact(CompactSlot[] slots, int offset, int count, CompactElements compact) =>
        new(slots, offset, count, compact);

    /// <summary>The elements; the first <see cref="Count"/> are used. Reading it turns a compact leaf into objects.</summary>
    public SequenceElement[] Items => _items ?? Materialize();

    /// <summary>The <see cref="Count"/> slots of a compact leaf; empty once it holds objects.</summary>
    public ReadOnlySpan<CompactSlot> Slots => _slots is null ? default : _slots.AsSpan(_offset, Count);

    /// <summary>Whether the leaf still holds its elements as slots.</summary>
    public bool IsCompact => _slots is not null;

    /// <summary>Number of elements held.</summary>
    public int Count { get; set; }

    /// <summary>The next leaf in sequence order.</summary>
    public SequenceLeaf? Next { get; set; }

    /// <summary>The previous leaf in sequence order.</summary>
    public SequenceLeaf? Prev { get; set; }

    /// <summary>The index of <paramref name="element"/> in this leaf.</summary>
    public int IndexOf(SequenceElement element)
    {
        var items = Items;
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(items[i], element))
            {
                return i;
            }
        }

        throw new InvalidOperationException("Sequence element is not in its leaf.");
    }

    /// <summary>Sets the leaf's counts from its element objects' counted visibility and widths.</summary>
    public void Recount()
    {
        int visible = 0, width = 0, codePoints = 0;
        var items = Items;
        for (var i = 0; i < Count; i++)
        {
            var e = items[i];
            visible += e.CountedVisible ? 1 : 0;
            width += e.CountedWidth;
            codePoints += e.CountedCodePoints;
        }

        SetCounts(Count, visible, width, codePoints);
    }

    private SequenceElement[] Materialize()
    {
        var compact = _compact!;
        var items = compact.CreateElements(this, Slots);
        _items = items;
        _slots = null;
        _compact = null;
        compact.Register(items.AsSpan(0, Count));
        return items;
    }
}
