using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.OpSet;

public class SequenceTreeTests
{
    private static SequenceElement NewElement(ulong counter, string value)
    {
        var op = new Op(ObjId.Root, Key.Seq(ElemId.Head), true, OpAction.Set, ScalarValue.Str(value), null);
        return new SequenceElement(new OpRecord(new OpId(counter, Actors.A), op));
    }

    /// <summary>Checks every node's counts against its children and the leaf chain against the tree order.</summary>
    private static void AssertConsistent(SequenceTree tree, List<SequenceElement> expected)
    {
        Assert.Equal(expected, tree.All());
        Assert.Equal(expected.Count, tree.Total);
        Assert.Equal(expected.Count(e => e.CountedVisible), tree.VisibleCount);
        Assert.Equal(expected.Sum(e => e.CountedWidth), tree.Width);
        Assert.Equal(expected.Sum(e => e.CountedCodePoints), tree.CodePointWidth);
        var leaves = new HashSet<SequenceLeaf>(expected.Select(e => e.Leaf!));
        foreach (var leaf in leaves)
        {
            var items = leaf.Items.Take(leaf.Count).ToList();
            Assert.All(items, e => Assert.Same(leaf, e.Leaf));
            Assert.Equal(items.Count, leaf.Total);
            Assert.Equal(items.Count(e => e.CountedVisible), leaf.Visible);
            Assert.Equal(items.Sum(e => e.CountedWidth), leaf.Width);
            Assert.Equal(items.Sum(e => e.CountedCodePoints), leaf.CodePoints);
            for (SequenceNode node = leaf; node.Parent is { } parent; node = parent)
            {
                Assert.Same(node, parent.Children[parent.IndexOf(node)]);
                var children = parent.Children.Take(parent.Count).ToList();
                Assert.Equal(children.Sum(c => c.Total), parent.Total);
                Assert.Equal(children.Sum(c => c.Visible), parent.Visible);
                Assert.Equal(children.Sum(c => c.Width), parent.Width);
                Assert.Equal(children.Sum(c => c.CodePoints), parent.CodePoints);
            }
        }
    }

    [Fact]
    public void InsertUpdateFind_RandomOperations_MatchReferenceList()
    {
        var rng = new Random(2024);
        var tree = new SequenceTree();
        var reference = new List<SequenceElement>();
        for (ulong i = 1; i <= 20_000; i++)
        {
            var element = NewElement(i, i % 7 == 0 ? "😀" : "x");
            var at = rng.Next(reference.Count + 1);
            tree.InsertBefore(at == reference.Count ? null : reference[at], element);
            reference.Insert(at, element);
            SequenceTree.Update(element, true, element.InsertOp.Value.AsString!.Length, 1);
            if (rng.Next(4) == 0)
            {
                var victim = reference[rng.Next(reference.Count)];
                SequenceTree.Update(victim, false, 0, 0);
            }
        }

        AssertConsistent(tree, reference);
        var visible = reference.Where(e => e.CountedVisible).ToList();
        for (var i = 0; i < visible.Count; i += 97)
        {
            Assert.Same(visible[i], tree.FindVisible(i));
        }

        Assert.Null(tree.FindVisible(visible.Count));
        var offset = 0;
        foreach (var e in visible.Take(3000))
        {
            Assert.Same(e, tree.FindByWidth(offset, out var start));
            Assert.Equal(offset, start);
            if (e.CountedWidth == 2)
            {
                Assert.Same(e, tree.FindByWidth(offset + 1, out start));
                Assert.Equal(offset, start);
            }

            offset += e.CountedWidth;
        }

        for (var i = 0; i < visible.Count; i += 89)
        {
            // Every element is one code point, so code point offset i is visible element i.
            Assert.Same(visible[i], tree.FindByOffset(i, TextEncoding.UnicodeCodePoint, out var start));
            Assert.Equal(i, start);
        }

        for (var i = 0; i < reference.Count; i += 101)
        {
            Assert.Equal(i, SequenceTree.PositionOf(reference[i]));
        }

        Assert.Same(reference[1], SequenceTree.Next(reference[0]));
        Assert.Null(SequenceTree.Next(reference[^1]));
    }

    [Fact]
    public void Remove_RandomElements_KeepsCountsConsistent()
    {
        var rng = new Random(77);
        var tree = new SequenceTree();
        var reference = new List<SequenceElement>();
        for (ulong i = 1; i <= 5000; i++)
        {
            var element = NewElement(i, "ab");
            tree.InsertBefore(null, element);
            reference.Add(element);
            SequenceTree.Update(element, true, 2, 2);
        }

        for (var i = 0; i < 4000; i++)
        {
            var victim = reference[rng.Next(reference.Count)];
            SequenceTree.Remove(victim);
            reference.Remove(victim);
        }

        Assert.Equal(reference, tree.All());
        Assert.Equal(reference.Count, tree.Total);
        Assert.Equal(reference.Count * 2, tree.Width);
        Assert.Equal(reference.Count * 2, tree.CodePointWidth);
        Assert.Same(reference[500], tree.FindVisible(500));
        Assert.Same(reference[0], tree.First());
    }

    [Fact]
    public void Empty_Lookups_ReturnNull()
    {
        var tree = new SequenceTree();

        Assert.Null(tree.First());
        Assert.Null(tree.FindVisible(0));
        Assert.Null(tree.FindByWidth(0, out _));
        Assert.Equal(0, tree.Width);
    }
}
