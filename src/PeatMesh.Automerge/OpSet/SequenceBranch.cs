namespace PeatMesh.Automerge.OpSet;

/// <summary>An inner node of the <see cref="SequenceTree"/>: up to <see cref="SequenceNode.Capacity"/> children.</summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class SequenceBranch : SequenceNode
{
    /// <summary>The children; the first <see cref="Count"/> are used.</summary>
    public SequenceNode[] Children { get; } = new SequenceNode[Capacity];

    /// <summary>Number of children.</summary>
    public int Count { get; set; }

    /// <summary>The index of <paramref name="child"/>.</summary>
    public int IndexOf(SequenceNode child)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(Children[i], child))
            {
                return i;
            }
        }

        throw new InvalidOperationException("Sequence node is not in its parent.");
    }

    /// <summary>Recomputes this node's aggregates from its children.</summary>
    public void Recount()
    {
        int total = 0, visible = 0, width = 0, codePoints = 0;
        for (var i = 0; i < Count; i++)
        {
            total += Children[i].Total;
            visible += Children[i].Visible;
            width += Children[i].Width;
            codePoints += Children[i].CodePoints;
        }

        Total = total;
        Visible = visible;
        Width = width;
        CodePoints = codePoints;
    }
}
