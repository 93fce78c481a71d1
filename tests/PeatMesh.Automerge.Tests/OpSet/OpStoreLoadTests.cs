using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;
using PeatMesh.Automerge.Tests.Binary;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.OpSet;

/// <summary>
/// Loading a document chunk builds the op set directly from its rows (<see cref="OpStore.TryLoad"/>); these tests pin
/// that the result is exactly what replaying the document's changes one by one builds, and that rows in a form the
/// direct build cannot vouch for fall back to replaying.
/// </summary>
public class OpStoreLoadTests
{
    public static TheoryData<string, string> Documents => new()
    {
        { "generated-3.5.0", "demo-doc.automerge" },
        { "generated-3.5.0", "demo-author-doc.automerge" },
        { "generated-3.5.0", "paper-trace-one-change.automerge" },
        { "automerge-c", "brave-ape-49.automerge" },
        { "benchmark-battery", "stephen.amrg" },
        { "automerge-perf", "text-doc-50k.amrg" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Load_FixtureDocument_EqualsReplayingItsChanges(string folder, string file)
    {
        var bytes = AutomergeFixtures.Read(folder, file);

        AssertDirectLoad(bytes);
        var loaded = AutomergeDocument.Load(bytes);
        var replayed = Docs.Replay(bytes);

        Assert.Equal(StoreSnapshot.Describe(replayed), StoreSnapshot.Describe(loaded));
        Assert.Equal(replayed.SaveNoCompress(), loaded.SaveNoCompress());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Load_RandomConcurrentDocument_EqualsReplayAndKeepsEditingAlike(int seed)
    {
        var rng = new Random(seed);
        var bytes = RandomDocument(rng).Save();

        AssertDirectLoad(bytes);
        var loaded = AutomergeDocument.Load(bytes, Actors.C, FixedTimeProvider.Default);
        var replayed = Docs.Replay(bytes, Actors.C);
        Assert.Equal(StoreSnapshot.Describe(replayed), StoreSnapshot.Describe(loaded));

        // The bulk-built trees keep working: the same edits give the same changes and the same state.
        for (var round = 0; round < 5; round++)
        {
            var editSeed = rng.Next();
            var change = Edit(replayed, new Random(editSeed));
            Assert.Equal(change?.Hash, Edit(loaded, new Random(editSeed))?.Hash);
        }

        Assert.Equal(StoreSnapshot.Describe(replayed), StoreSnapshot.Describe(loaded));
        Assert.Equal(Docs.Json(replayed), Docs.Json(loaded));
    }

    [Fact]
    public void Load_SiblingsStoredInAscendingOrder_FallsBackToReplay()
    {
        // Two concurrent inserts at the head of a text: RGA puts the greater OpId first.
        var a = Docs.New(Actors.A);
        var text = default(ObjId);
        a.Change(tx => text = tx.PutObject(ObjId.Root, "t", ObjType.Text));
        var b = a.Fork(Actors.B);
        a.Change(tx => tx.SpliceText(text, 0, 0, "x"));
        b.Change(tx => tx.SpliceText(text, 0, 0, "y"));
        a.Merge(b);
        Assert.Equal("yx", a.Text(text));

        var bytes = TamperedDocuments.Write(a.GetAllChanges(), order =>
        {
            var x = Array.FindIndex(order.Order, r => order.Ops[r].Value == ScalarValue.Str("x"));
            var y = Array.FindIndex(order.Order, r => order.Ops[r].Value == ScalarValue.Str("y"));
            (order.Order[x], order.Order[y]) = (order.Order[y], order.Order[x]);
        });

        Assert.False(TryDirectLoad(bytes));
        var loaded = AutomergeDocument.Load(bytes);
        Assert.Equal("yx", loaded.Text(text));
        Assert.Equal(StoreSnapshot.Describe(Docs.Replay(bytes)), StoreSnapshot.Describe(loaded));
    }

    [Fact]
    public void Load_ElementCounterBelowItsReference_FallsBackToReplay()
    {
        // B's change depends on A's but starts at a lower counter (no Automerge writer does this), so its element's
        // counter is below its reference's and the stored pre-order walk need not be the RGA order.
        var text = ObjId.FromOpId(new OpId(1, Actors.A));
        var make = new Change(Actors.A, 1, 1, 0, null, null,
        [
            new Op(ObjId.Root, Key.Map("t"), false, OpAction.MakeText, ScalarValue.Null, null),
            new Op(text, Key.Seq(ElemId.Head), true, OpAction.Set, ScalarValue.Str("a"), null),
            new Op(text, Key.Seq(ElemId.FromOpId(new OpId(2, Actors.A))), true, OpAction.Set, ScalarValue.Str("b"), null),
            new Op(text, Key.Seq(ElemId.FromOpId(new OpId(3, Actors.A))), true, OpAction.Set, ScalarValue.Str("c"), null),
        ]);
        var low = new Change(Actors.B, 1, 2, 0, null, [make.Hash],
        [
            new Op(text, Key.Seq(ElemId.FromOpId(new OpId(2, Actors.A))), true, OpAction.Set, ScalarValue.Str("z"), null),
        ]);
        var bytes = DocumentChunkWriter.Write([make, low]);

        Assert.False(TryDirectLoad(bytes));
        var loaded = AutomergeDocument.Load(bytes);
        var replayed = Docs.Replay(bytes);
        Assert.Equal(replayed.Text(text), loaded.Text(text));
        Assert.Equal(StoreSnapshot.Describe(replayed), StoreSnapshot.Describe(loaded));
    }

    [Fact]
    public void Load_PredecessorInALaterChange_IsRejectedLikeReplay()
    {
        // B's change (stored first, not depending on A's) overwrites an op of A's change: replaying rejects it because
        // the predecessor is unknown when B's change is applied, so the direct build must not accept it either.
        var bOverwrites = new Change(Actors.B, 1, 2, 0, null, null,
        [
            new Op(ObjId.Root, Key.Map("k"), false, OpAction.Set, ScalarValue.Int(2), [new OpId(1, Actors.A)]),
        ]);
        var aWrites = new Change(Actors.A, 1, 1, 0, null, null,
        [
            new Op(ObjId.Root, Key.Map("k"), false, OpAction.Set, ScalarValue.Int(1), null),
        ]);
        var bytes = DocumentChunkWriter.Write([bOverwrites, aWrites]);

        Assert.False(TryDirectLoad(bytes));
        Assert.Throws<AutomergeFormatException>(() => Docs.Replay(bytes));
        Assert.Throws<AutomergeFormatException>(() => AutomergeDocument.Load(bytes));
    }

    [Fact]
    public void Load_DocumentThenChangeChunks_AppliesTheTrailingChanges()
    {
        var doc = RandomDocument(new Random(9));
        var saved = doc.Save();
        var more = doc.Fork(Actors.C);
        Edit(more, new Random(10));
        Edit(more, new Random(11));
        var bytes = saved.Concat(more.SaveSince(doc.Heads)).ToArray();

        var loaded = AutomergeDocument.Load(bytes);

        Assert.Equal(more.Heads, loaded.Heads);
        Assert.Equal(StoreSnapshot.Describe(Docs.Replay(bytes)), StoreSnapshot.Describe(loaded));
    }

    [Fact]
    public void LoadIncremental_DocumentIntoNonEmptyDocument_MergesByReplaying()
    {
        var doc = RandomDocument(new Random(12));
        var other = Docs.New(Actors.C);
        other.Change(tx => tx.Put(ObjId.Root, "own", ScalarValue.Int(1)));

        other.LoadIncremental(doc.Save());

        var expected = Docs.New(Actors.C);
        expected.ApplyChanges(other.GetAllChanges());
        Assert.Equal(StoreSnapshot.Describe(expected), StoreSnapshot.Describe(other));
        Assert.Equal(doc.ChangeCount + 1, other.ChangeCount);
    }

    private static void AssertDirectLoad(byte[] bytes) => Assert.True(TryDirectLoad(bytes), "The document should load directly from its rows.");

    private static bool TryDirectLoad(byte[] bytes)
    {
        DocumentChunk.ReadAllChanges(bytes, null, out var leading);
        Assert.NotNull(leading);
        return new OpStore().TryLoad(leading.Ops!);
    }

    /// <summary>Three replicas editing maps, lists (of objects and counters), texts with marks, then merged.</summary>
    private static AutomergeDocument RandomDocument(Random rng)
    {
        var a = Docs.New(Actors.A);
        a.Change(tx =>
        {
            tx.PutObject(ObjId.Root, "list", ObjType.List);
            var text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, "base 😀 text");
            tx.Put(ObjId.Root, "counter", ScalarValue.Counter(3));
            tx.PutObject(ObjId.Root, "map", ObjType.Map);
        });
        var b = a.Fork(Actors.B);
        var c = a.Fork(Actors.Numbered(7));
        for (var round = 0; round < 15; round++)
        {
            foreach (var replica in new[] { a, b, c })
            {
                for (var i = rng.Next(1, 4); i > 0; i--)
                {
                    Edit(replica, rng);
                }
            }

            Docs.MergeBoth(a, rng.Next(2) == 0 ? b : c);
        }

        a.Merge(b);
        a.Merge(c);
        return a;
    }

    private static Change? Edit(AutomergeDocument doc, Random rng)
    {
        using var tx = doc.BeginTransaction();
        var list = doc.Get(ObjId.Root, "list")!.Value.ObjectId;
        var text = doc.Get(ObjId.Root, "text")!.Value.ObjectId;
        var map = doc.Get(ObjId.Root, "map")!.Value.ObjectId;
        for (var n = rng.Next(1, 5); n > 0; n--)
        {
            var length = doc.Length(text);
            var listLength = doc.Length(list);
            switch (rng.Next(12))
            {
                case 0:
                    tx.Put(ObjId.Root, "k" + rng.Next(3), ScalarValue.Int(rng.Next(100)));
                    break;
                case 1:
                    tx.Delete(ObjId.Root, "k" + rng.Next(3));
                    break;
                case 2:
                    tx.Insert(list, rng.Next(listLength + 1), ScalarValue.Counter(rng.Next(5)));
                    break;
                case 3 when listLength > 0:
                    var at = rng.Next(listLength);
                    if (doc.Get(list, at) is { Scalar.Kind: ScalarKind.Counter })
                    {
                        tx.Increment(list, at, rng.Next(1, 4));
                    }
                    else
                    {
                        tx.Delete(list, at);
                    }

                    break;
                case 4:
                    var nested = tx.InsertObject(list, rng.Next(listLength + 1), ObjType.Map);
                    tx.Put(nested, "v", ScalarValue.Str("n" + rng.Next(9)));
                    break;
                case 5 when listLength > 0:
                    tx.Set(list, rng.Next(listLength), ScalarValue.Boolean(rng.Next(2) == 0));
                    break;
                case 6 when length > 1:
                    var start = rng.Next(length - 1);
                    var end = Math.Min(length, start + rng.Next(0, 4));
                    if (!(IsInsidePair(doc, text, start) || IsInsidePair(doc, text, end)))
                    {
                        tx.Mark(text, start, end, rng.Next(2) == 0 ? "bold" : "link", ScalarValue.Boolean(true), (MarkExpand)rng.Next(4));
                    }

                    break;
                case 7:
                    tx.Increment(ObjId.Root, "counter", rng.Next(-3, 4));
                    break;
                case 8:
                    tx.Put(map, "m" + rng.Next(3), ScalarValue.Str("v" + rng.Next(9)));
                    break;
                default:
                    var pos = rng.Next(length + 1);
                    if (!IsInsidePair(doc, text, pos))
                    {
                        var del = pos < length && rng.Next(2) == 0 && !IsInsidePair(doc, text, pos + 1) ? 1 : 0;
                        tx.SpliceText(text, pos, del, rng.Next(5) == 0 ? "🎉" : ((char)('a' + rng.Next(26))).ToString());
                    }

                    break;
            }
        }

        return tx.Commit(time: 1);
    }

    /// <summary>Whether UTF-16 offset <paramref name="offset"/> falls between the halves of a surrogate pair.</summary>
    private static bool IsInsidePair(AutomergeDocument doc, ObjId text, int offset)
    {
        var s = doc.Text(text);
        return offset > 0 && offset < s.Length && char.IsLowSurrogate(s[offset]);
    }
}
