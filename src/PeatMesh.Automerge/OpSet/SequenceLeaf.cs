namespace PeatMesh.Automerge.OpSet;

/// <summary>A leaf of the <see cref="SequenceTree"/>: up to <see cref="SequenceNode.Capacity"/> elements in order.</summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class SequenceLeaf : SequenceNode
{
    /// <summary>The elements; the first <see cref="Count"/> are used.</summary>
    public SequenceElement[] Items { get; } = new SequenceElement[Capacity];

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
}
