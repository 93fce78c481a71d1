namespace PeatMesh.Automerge.OpSet;

/// <summary>A node of the <see cref="SequenceTree"/> with the aggregate counts of its subtree.</summary>
/// <remarks>Not thread-safe.</remarks>
internal abstract class SequenceNode
{
    /// <summary>Maximum number of items (leaf) or children (branch) per node.</summary>
    public const int Capacity = 64;

    /// <summary>The parent branch, or <see langword="null"/> for the root.</summary>
    public SequenceBranch? Parent { get; set; }

    /// <summary>Number of elements in the subtree, tombstones included.</summary>
    public int Total { get; set; }

    /// <summary>Number of visible elements in the subtree.</summary>
    public int Visible { get; set; }

    /// <summary>Sum of the visible elements' UTF-16 widths.</summary>
    public int Width { get; set; }

    /// <summary>Sum of the visible elements' widths in Unicode code points.</summary>
    public int CodePoints { get; set; }

    /// <summary>Sets the node's four counts at once.</summary>
    public void SetCounts(int total, int visible, int width, int codePoints)
    {
        Total = total;
        Visible = visible;
        Width = width;
        CodePoints = codePoints;
    }
}
