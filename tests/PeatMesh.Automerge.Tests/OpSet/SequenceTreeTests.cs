using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.OpSet;

public class SequenceTreeTests
{
    private static readonly SequenceState Owner = new(ObjId.FromOpId(new OpId(1, Actors.B)), ObjType.Text);

    private static SequenceElement NewElement(ulong counter, string value) =>
        new(new OpId(counter, Actors.A), Owner, null, OpAction.Set, ScalarValue.Str(value));

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

    [Theory]
    [InlineData(1)]
    [InlineData(48)]
    [InlineData(49)]
    [InlineData(3000)]
    [InlineData(120_000)]
    public void Load_OrderedElements_MatchesTreeBuiltByInserts(int count)
    {
        var rng = new Random(count);
        var elements = new List<SequenceElement>();
        for (ulong i = 1; i <= (ulong)count; i++)
        {
            var element = NewElement(i, i % 5 == 0 ? "😀" : "x");
            var visible = rng.Next(3) != 0;
            element.SetCounted(visible, element.InsertOp.Value.AsString!.Length, 1);
            elements.Add(element);
        }

        var loaded = new SequenceTree();
        loaded.Load(elements.ToArray());
        AssertConsistent(loaded, elements);

        var inserted = new SequenceTree();
        var copies = elements.ConvertAll(e => NewElement(e.Id.Counter, e.InsertOp.Value.AsString!));
        foreach (var (copy, original) in copies.Zip(elements))
        {
            inserted.InsertBefore(null, copy);
            SequenceTree.Update(copy, original.CountedVisible, original.CountedWidth, original.CountedCodePoints);
        }

        Assert.Equal((inserted.Total, inserted.VisibleCount, inserted.Width, inserted.CodePointWidth),
            (loaded.Total, loaded.VisibleCount, loaded.Width, loaded.CodePointWidth));
        for (var i = 0; i < inserted.VisibleCount; i += Math.Max(1, count / 500))
        {
            Assert.Equal(inserted.FindVisible(i)!.Id, loaded.FindVisible(i)!.Id);
            Assert.Equal(inserted.FindByWidth(i, out var insertedStart)!.Id, loaded.FindByWidth(i, out var loadedStart)!.Id);
            Assert.Equal(insertedStart, loadedStart);
        }

        for (var i = 0; i < count; i += Math.Max(1, count / 500))
        {
            Assert.Equal(i, SequenceTree.PositionOf(elements[i]));
        }

        // The loaded tree keeps working as an ordinary one: random inserts, updates and removals.
        for (ulong i = 1; i <= 2000; i++)
        {
            var element = NewElement((ulong)count + i, "y");
            var at = rng.Next(elements.Count + 1);
            loaded.InsertBefore(at == elements.Count ? null : elements[at], element);
            elements.Insert(at, element);
            SequenceTree.Update(element, true, 1, 1);
            var other = elements[rng.Next(elements.Count)];
            SequenceTree.Update(other, !other.CountedVisible, other.CountedVisible ? 0 : 2, other.CountedVisible ? 0 : 1);
            if (rng.Next(5) == 0)
            {
                var victim = elements[rng.Next(elements.Count)];
                SequenceTree.Remove(victim);
                elements.Remove(victim);
            }
        }

        AssertConsistent(loaded, elements);
    }

    [Fact]
    public void Load_NonEmptyTree_Throws()
    {
        var tree = new SequenceTree();
        tree.InsertBefore(null, NewElement(1, "a"));

        Assert.Throws<InvalidOperationException>(() => tree.Load([NewElement(2, "b")]));
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
