using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// The elements of one list or text in sequence (RGA) order, tombstones included, as a B+ tree whose
/// nodes count elements, visible elements, visible UTF-16 width and visible code points. Lookup by visible index or by
/// UTF-16 offset, insertion, and visibility updates are O(log n); stepping to the next element is O(1)
/// amortised (leaves are linked).
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class SequenceTree
{
    private SequenceNode _root;
    private SequenceLeaf _firstLeaf;
    private SequenceLeaf _lastLeaf;

    public SequenceTree()
    {
        _firstLeaf = new SequenceLeaf();
        _lastLeaf = _firstLeaf;
        _root = _firstLeaf;
    }

    /// <summary>How full <see cref="Load"/> fills leaves and branches (48 of 64 slots), leaving room for later inserts.</summary>
    public const int LoadFill = 48;

    /// <summary>Number of elements, tombstones included.</summary>
    public int Total => _root.Total;

    /// <summary>Number of visible elements (list length).</summary>
    public int VisibleCount => _root.Visible;

    /// <summary>Sum of visible widths in UTF-16 code units (text length as Automerge JS counts it).</summary>
    public int Width => _root.Width;

    /// <summary>Sum of visible widths in Unicode code points.</summary>
    public int CodePointWidth => _root.CodePoints;

    /// <summary>Sum of visible widths in <paramref name="encoding"/>.</summary>
    public int WidthIn(TextEncoding encoding) => encoding == TextEncoding.UnicodeCodePoint ? _root.CodePoints : _root.Width;

    /// <summary>Number of leaves still holding their elements as compact slots (diagnostics and tests; O(leaves)).</summary>
    public int CompactLeafCount
    {
        get
        {
            var count = 0;
            for (var leaf = _firstLeaf; leaf is not null; leaf = leaf.Next)
            {
                count += leaf.IsCompact ? 1 : 0;
            }

            return count;
        }
    }

    /// <summary>The first element, or <see langword="null"/> when empty.</summary>
    public SequenceElement? First()
    {
        for (var leaf = _firstLeaf; leaf is not null; leaf = leaf.Next)
        {
            if (leaf.Count > 0)
            {
                return leaf.Items[0];
            }
        }

        return null;
    }

    /// <summary>The element after <paramref name="element"/>, or <see langword="null"/> at the end.</summary>
    public static SequenceElement? Next(SequenceElement element)
    {
        var leaf = element.Leaf!;
        var i = leaf.IndexOf(element) + 1;
        if (i < leaf.Count)
        {
            return leaf.Items[i];
        }

        for (leaf = leaf.Next; leaf is not null; leaf = leaf.Next)
        {
            if (leaf.Count > 0)
            {
                return leaf.Items[0];
            }
        }

        return null;
    }

    /// <summary>The position of <paramref name="element"/> among all elements (tombstones and marks included), in O(log n).</summary>
    public static int PositionOf(SequenceElement element)
    {
        var leaf = element.Leaf!;
        var position = leaf.IndexOf(element);
        SequenceNode node = leaf;
        for (var parent = node.Parent; parent is not null; node = parent, parent = parent.Parent)
        {
            for (var c = 0; c < parent.Count && !ReferenceEquals(parent.Children[c], node); c++)
            {
                position += parent.Children[c].Total;
            }
        }

        return position;
    }

    /// <summary>All elements in order, tombstones included.</summary>
    public IEnumerable<SequenceElement> All()
    {
        for (var leaf = _firstLeaf; leaf is not null; leaf = leaf.Next)
        {
            for (var i = 0; i < leaf.Count; i++)
            {
                yield return leaf.Items[i];
            }
        }
    }

    /// <summary>The visible elements in order.</summary>
    public IEnumerable<SequenceElement> VisibleElements()
    {
        for (var leaf = _firstLeaf; leaf is not null; leaf = leaf.Next)
        {
            if (leaf.Visible == 0)
            {
                continue;
            }

            for (var i = 0; i < leaf.Count; i++)
            {
                if (leaf.Items[i].CountedVisible)
                {
                    yield return leaf.Items[i];
                }
            }
        }
    }

    /// <summary>The visible element at <paramref name="index"/> (0-based), or <see langword="null"/> if out of range.</summary>
    public SequenceElement? FindVisible(int index)
    {
        if (index < 0 || index >= _root.Visible)
        {
            return null;
        }

        var node = _root;
        while (node is SequenceBranch branch)
        {
            for (var c = 0; c < branch.Count; c++)
            {
                var child = branch.Children[c];
                if (index < child.Visible)
                {
                    node = child;
                    break;
                }

                index -= child.Visible;
            }
        }

        var leaf = (SequenceLeaf)node;
        for (var i = 0; i < leaf.Count; i++)
        {
            var e = leaf.Items[i];
            if (e.CountedVisible)
            {
                if (index == 0)
                {
                    return e;
                }

                index--;
            }
        }

        throw new InvalidOperationException("Sequence tree counts are inconsistent.");
    }

    /// <summary>
    /// The visible element covering UTF-16 offset <paramref name="offset"/>, and the offset at which it
    /// starts; <see langword="null"/> when <paramref name="offset"/> is outside <c>[0, Width)</c>.
    /// </summary>
    public SequenceElement? FindByWidth(int offset, out int elementStart) =>
        FindByOffset(offset, TextEncoding.Utf16CodeUnit, out elementStart);

    /// <summary>
    /// The visible element covering offset <paramref name="offset"/> counted in <paramref name="encoding"/>, and
    /// the offset at which it starts; <see langword="null"/> when <paramref name="offset"/> is outside the text.
    /// </summary>
    public SequenceElement? FindByOffset(int offset, TextEncoding encoding, out int elementStart)
    {
        elementStart = 0;
        var codePoints = encoding == TextEncoding.UnicodeCodePoint;
        if (offset < 0 || offset >= (codePoints ? _root.CodePoints : _root.Width))
        {
            return null;
        }

        var start = 0;
        var node = _root;
        while (node is SequenceBranch branch)
        {
            for (var c = 0; c < branch.Count; c++)
            {
                var child = branch.Children[c];
                var width = codePoints ? child.CodePoints : child.Width;
                if (offset < start + width)
                {
                    node = child;
                    break;
                }

                start += width;
            }
        }

        var leaf = (SequenceLeaf)node;
        for (var i = 0; i < leaf.Count; i++)
        {
            var e = leaf.Items[i];
            var width = codePoints ? e.CountedCodePoints : e.CountedWidth;
            if (offset < start + width)
            {
                elementStart = start;
                return e;
            }

            start += width;
        }

        throw new InvalidOperationException("Sequence tree widths are inconsistent.");
    }

    /// <summary>Inserts <paramref name="element"/> before <paramref name="before"/> (or at the end when null).</summary>
    public void InsertBefore(SequenceElement? before, SequenceElement element)
    {
        SequenceLeaf leaf;
        int index;
        if (before is null)
        {
            leaf = _lastLeaf;
            index = leaf.Count;
        }
        else
        {
            leaf = before.Leaf!;
            index = leaf.IndexOf(before);
        }

        if (leaf.Count == SequenceNode.Capacity)
        {
            var right = SplitLeaf(leaf);
            if (index > leaf.Count)
            {
                index -= leaf.Count;
                leaf = right;
            }
        }

        Array.Copy(leaf.Items, index, leaf.Items, index + 1, leaf.Count - index);
        leaf.Items[index] = element;
        leaf.Count++;
        element.Leaf = leaf;
        Propagate(leaf, 1, element.CountedVisible ? 1 : 0, element.CountedWidth, element.CountedCodePoints);
    }

    /// <summary>
    /// Fills an empty tree with <paramref name="elements"/> in the given order, bottom-up in O(n): leaves and branches
    /// take <see cref="LoadFill"/> entries each (see <see cref="NodeSizes"/>). Each element's counted visibility and
    /// widths must already be set.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tree is not empty.</exception>
    public void Load(ReadOnlySpan<SequenceElement> elements)
    {
        RequireEmpty();
        if (elements.IsEmpty)
        {
            return;
        }

        var leaves = new List<SequenceLeaf>((elements.Length / LoadFill) + 1);
        var next = 0;
        foreach (var size in NodeSizes(elements.Length))
        {
            var leaf = new SequenceLeaf { Count = size };
            for (var i = 0; i < size; i++)
            {
                var e = elements[next + i];
                leaf.Items[i] = e;
                e.Leaf = leaf;
            }

            leaf.Recount();
            leaves.Add(leaf);
            next += size;
        }

        LoadLeaves(leaves);
    }

    /// <summary>
    /// Fills an empty tree with ready leaves (element objects or compact slots, counts set), in order, building the
    /// branches above them bottom-up with <see cref="LoadFill"/> children each.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tree is not empty.</exception>
    public void LoadLeaves(List<SequenceLeaf> leaves)
    {
        RequireEmpty();
        if (leaves.Count == 0)
        {
            return;
        }

        for (var i = 1; i < leaves.Count; i++)
        {
            leaves[i - 1].Next = leaves[i];
            leaves[i].Prev = leaves[i - 1];
        }

        _firstLeaf = leaves[0];
        _lastLeaf = leaves[^1];
        var level = new List<SequenceNode>(leaves);
        while (level.Count > 1)
        {
            var parents = new List<SequenceNode>((level.Count / LoadFill) + 1);
            var child = 0;
            foreach (var size in NodeSizes(level.Count))
            {
                var branch = new SequenceBranch();
                for (var i = 0; i < size; i++)
                {
                    var node = level[child + i];
                    branch.Children[i] = node;
                    node.Parent = branch;
                }

                branch.Count = size;
                branch.Recount();
                parents.Add(branch);
                child += size;
            }

            level = parents;
        }

        _root = level[0];
    }

    /// <summary>
    /// Appends the visible elements' values to <paramref name="text"/> as <see cref="AutomergeDocument.Text"/> shows them
    /// (strings as they are, any other value as U+FFFC), reading compact leaves without creating element objects.
    /// </summary>
    public void AppendText(System.Text.StringBuilder text)
    {
        for (var leaf = _firstLeaf; leaf is not null; leaf = leaf.Next)
        {
            if (leaf.Visible == 0)
            {
                continue;
            }

            if (leaf.IsCompact)
            {
                foreach (ref readonly var slot in leaf.Slots)
                {
                    if (slot.Visible)
                    {
                        AppendValue(text, OpAction.Set, slot.Value);
                    }
                }

                continue;
            }

            for (var i = 0; i < leaf.Count; i++)
            {
                var element = leaf.Items[i];
                if (element.CountedVisible)
                {
                    var winner = element.Winner!;
                    AppendValue(text, winner.Action, winner.Value);
                }
            }
        }
    }

    private static void AppendValue(System.Text.StringBuilder text, OpAction action, in ScalarValue value)
    {
        if (action == OpAction.Set && value.Kind == ScalarKind.Str)
        {
            text.Append(value.AsString);
        }
        else
        {
            text.Append('\uFFFC');
        }
    }

    private void RequireEmpty()
    {
        if (_root.Total != 0 || _firstLeaf.Next is not null)
        {
            throw new InvalidOperationException("Only an empty sequence tree can be bulk-loaded.");
        }
    }

    /// <summary>
    /// Splits <paramref name="count"/> entries into nodes of <see cref="LoadFill"/>, evening out the last two (the last
    /// node of a level may hold fewer, but at least half when the level has more than one node).
    /// </summary>
    public static List<int> NodeSizes(int count)
    {
        var sizes = new List<int>((count / LoadFill) + 1);
        var remaining = count;
        while (remaining > 0)
        {
            var size = Math.Min(LoadFill, remaining);
            if (remaining > LoadFill && remaining - LoadFill < SequenceNode.Capacity / 2)
            {
                size = remaining / 2; // leave the last node at least half full
            }

            sizes.Add(size);
            remaining -= size;
        }

        return sizes;
    }

    /// <summary>Removes <paramref name="element"/> (used by transaction rollback only).</summary>
    public static void Remove(SequenceElement element)
    {
        var leaf = element.Leaf!;
        var index = leaf.IndexOf(element);
        Array.Copy(leaf.Items, index + 1, leaf.Items, index, leaf.Count - index - 1);
        leaf.Count--;
        leaf.Items[leaf.Count] = null!;
        element.Leaf = null;
        Propagate(leaf, -1, element.CountedVisible ? -1 : 0, -element.CountedWidth, -element.CountedCodePoints);
    }

    /// <summary>Sets an element's visibility and widths (UTF-16 units, code points), updating the counts of its ancestors.</summary>
    public static void Update(SequenceElement element, bool visible, int width, int codePoints)
    {
        var dv = (visible ? 1 : 0) - (element.CountedVisible ? 1 : 0);
        var dw = width - element.CountedWidth;
        var dc = codePoints - element.CountedCodePoints;
        element.SetCounted(visible, width, codePoints);
        if ((dv != 0 || dw != 0 || dc != 0) && element.Leaf is { } leaf)
        {
            Propagate(leaf, 0, dv, dw, dc);
        }
    }

    private static void Propagate(SequenceNode node, int dTotal, int dVisible, int dWidth, int dCodePoints)
    {
        for (SequenceNode? n = node; n is not null; n = n.Parent)
        {
            n.Total += dTotal;
            n.Visible += dVisible;
            n.Width += dWidth;
            n.CodePoints += dCodePoints;
        }
    }

    private SequenceLeaf SplitLeaf(SequenceLeaf leaf)
    {
        var right = new SequenceLeaf();
        var half = leaf.Count / 2;
        var moved = leaf.Count - half;
        Array.Copy(leaf.Items, half, right.Items, 0, moved);
        Array.Clear(leaf.Items, half, moved);
        right.Count = moved;
        leaf.Count = half;
        for (var i = 0; i < moved; i++)
        {
            right.Items[i].Leaf = right;
        }

        right.Recount();
        leaf.SetCounts(leaf.Total - right.Total, leaf.Visible - right.Visible, leaf.Width - right.Width, leaf.CodePoints - right.CodePoints);

        right.Next = leaf.Next;
        right.Prev = leaf;
        if (leaf.Next is not null)
        {
            leaf.Next.Prev = right;
        }
        else
        {
            _lastLeaf = right;
        }

        leaf.Next = right;
        AddSibling(leaf, right);
        return right;
    }

    private void AddSibling(SequenceNode node, SequenceNode right)
    {
        var parent = node.Parent;
        if (parent is null)
        {
            var root = new SequenceBranch();
            root.Children[0] = node;
            root.Children[1] = right;
            root.Count = 2;
            node.Parent = root;
            right.Parent = root;
            root.Recount();
            _root = root;
            return;
        }

        // Detach the new node's counts from the ancestors (they still include them), so every node's
        // counts equal the sum of its children while the parent may split; re-add them once attached.
        Propagate(parent, -right.Total, -right.Visible, -right.Width, -right.CodePoints);
        if (parent.Count == SequenceNode.Capacity)
        {
            var parentRight = SplitBranch(parent);
            if (node.Parent != parent)
            {
                parent = parentRight;
            }
        }

        var index = parent.IndexOf(node) + 1;
        Array.Copy(parent.Children, index, parent.Children, index + 1, parent.Count - index);
        parent.Children[index] = right;
        parent.Count++;
        right.Parent = parent;
        Propagate(parent, right.Total, right.Visible, right.Width, right.CodePoints);
    }

    private SequenceBranch SplitBranch(SequenceBranch branch)
    {
        var right = new SequenceBranch();
        var half = branch.Count / 2;
        var moved = branch.Count - half;
        Array.Copy(branch.Children, half, right.Children, 0, moved);
        Array.Clear(branch.Children, half, moved);
        right.Count = moved;
        branch.Count = half;
        for (var i = 0; i < moved; i++)
        {
            right.Children[i].Parent = right;
        }

        right.Recount();
        branch.Total -= right.Total;
        branch.Visible -= right.Visible;
        branch.Width -= right.Width;
        branch.CodePoints -= right.CodePoints;
        AddSibling(branch, right);
        return right;
    }
}
