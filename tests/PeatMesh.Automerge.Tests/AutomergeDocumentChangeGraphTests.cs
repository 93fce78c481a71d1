using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentChangeGraphTests
{
    private static List<Change> ThreeChanges(AutomergeDocument doc)
    {
        var changes = new List<Change>();
        for (var i = 0; i < 3; i++)
        {
            changes.Add(doc.Change(tx => tx.Put(ObjId.Root, "k" + i, ScalarValue.Int(i)))!);
        }

        return changes;
    }

    [Fact]
    public void ApplyChanges_OutOfOrder_QueuesUntilDepsArrive()
    {
        var source = Docs.New(Actors.A);
        var changes = ThreeChanges(source);
        var target = Docs.New(Actors.B);

        Assert.Equal(0, target.ApplyChanges([changes[2], changes[1]]));
        Assert.Equal(2, target.QueuedChangeCount);
        Assert.Empty(target.Heads);
        Assert.Equal([changes[0].Hash], target.GetMissingDeps([]));
        Assert.Null(target.Get(ObjId.Root, "k2"));

        Assert.Equal(3, target.ApplyChanges([changes[0]]));

        Assert.Equal(0, target.QueuedChangeCount);
        Assert.Equal(source.Heads, target.Heads);
        Assert.Equal(2, target.Get(ObjId.Root, "k2")!.Value.Scalar.AsInt64);
        Assert.Empty(target.GetMissingDeps([]));
    }

    [Fact]
    public void ApplyChanges_Duplicates_Ignored()
    {
        var source = Docs.New(Actors.A);
        var changes = ThreeChanges(source);
        var target = Docs.New(Actors.B);

        Assert.Equal(3, target.ApplyChanges([.. changes, .. changes]));
        Assert.Equal(0, target.ApplyChanges(changes));
        Assert.Equal(3, target.ChangeCount);
    }

    [Fact]
    public void GetMissingDeps_UnknownHead_IsReported()
    {
        var doc = Docs.New(Actors.A);
        ThreeChanges(doc);
        var unknown = ChangeHash.Parse(new string('7', 64));

        Assert.Equal([unknown], doc.GetMissingDeps([.. doc.Heads, unknown]));
    }

    [Fact]
    public void GetChanges_SinceHeads_ReturnsOnlyNewerInTopologicalOrder()
    {
        var a = Docs.New(Actors.A);
        var first = ThreeChanges(a);
        var b = a.Fork(Actors.B);
        var heads = a.Heads.ToList();
        var a4 = a.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(4)))!;
        var b1 = b.Change(tx => tx.Put(ObjId.Root, "b", ScalarValue.Int(1)))!;
        a.Merge(b);
        var a5 = a.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(5)))!;

        var since = a.GetChanges(heads);

        Assert.Equal(3, since.Count);
        Assert.Equal(new[] { a4.Hash, b1.Hash }.Order(), since.Take(2).Select(c => c.Hash).Order());
        Assert.Equal(a5.Hash, since[2].Hash);
        Assert.Equal(6, a.GetChanges([]).Count);
        Assert.Empty(a.GetChanges(a.Heads));
        Assert.Equal([b1.Hash], a.GetChanges([a4.Hash]).Select(c => c.Hash).Where(h => h != a5.Hash));
        Assert.Same(first[1], a.GetChangeByHash(first[1].Hash));
        Assert.Equal(2, a5.Deps.Count);
    }

    [Fact]
    public void ApplyChanges_SeqGap_RejectedButRestOfBatchApplied()
    {
        var source = Docs.New(Actors.A);
        var changes = ThreeChanges(source);
        var forged = new Change(Actors.A, 5, 10, 0, null, [changes[2].Hash],
            [new Op(ObjId.Root, Key.Map("x"), false, OpAction.Set, ScalarValue.Int(1), null)]);
        var target = Docs.New(Actors.B);

        var e = Assert.Throws<AutomergeFormatException>(() => target.ApplyChanges([.. changes, forged]));

        Assert.Contains("seq", e.Message);
        Assert.Equal(source.Heads, target.Heads);
    }

    [Fact]
    public void ApplyChanges_OpOnUnknownObject_RejectedWhole()
    {
        var bogus = ObjId.FromOpId(new OpId(50, Actors.C));
        var change = new Change(Actors.C, 1, 1, 0, null, null,
        [
            new Op(ObjId.Root, Key.Map("ok"), false, OpAction.Set, ScalarValue.Int(1), null),
            new Op(bogus, Key.Map("x"), false, OpAction.Set, ScalarValue.Int(1), null),
        ]);
        var doc = Docs.New(Actors.A);

        Assert.Throws<AutomergeFormatException>(() => doc.ApplyChanges([change]));

        Assert.Null(doc.Get(ObjId.Root, "ok"));
        Assert.Equal(0, doc.ChangeCount);
    }

    [Fact]
    public void ApplyChanges_RemoteMarkOps_KeptAsZeroWidthElements()
    {
        var doc = Docs.New(Actors.A);
        ObjId text = default;
        var base1 = doc.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "t", ObjType.Text);
            tx.SpliceText(text, 0, 0, "ab");
        })!;
        var e1 = ElemId.FromOpId(new OpId(2, Actors.A));
        var e2 = ElemId.FromOpId(new OpId(3, Actors.A));
        var marks = new Change(Actors.B, 1, 4, 0, null, [base1.Hash],
        [
            new Op(text, Key.Seq(e1), true, OpAction.Mark, ScalarValue.Boolean(true), null, expand: true, markName: "bold"),
            new Op(text, Key.Seq(e2), true, OpAction.Mark, ScalarValue.Null, null, expand: true),
        ]);

        doc.ApplyChanges([marks]);
        doc.Change(tx => tx.SpliceText(doc.Get(ObjId.Root, "t")!.Value.ObjectId, 2, 0, "c"));

        Assert.Equal("abc", doc.Text(text));
        Assert.Equal(3, doc.Length(text));
        Assert.Equal(3, doc.Values(text).Count);
    }

    [Fact]
    public void Merge_IsIdempotent_AndSelfMergeNoop()
    {
        var a = Docs.New(Actors.A);
        ThreeChanges(a);
        var b = Docs.New(Actors.B);

        b.Merge(a);
        var heads = b.Heads;
        b.Merge(a);
        b.Merge(b);

        Assert.Equal(heads, b.Heads);
        Assert.Equal(3, b.ChangeCount);
    }

    [Fact]
    public void Fork_CopiesHistory_WithNewActor()
    {
        var a = Docs.New(Actors.A);
        ThreeChanges(a);

        var fork = a.Fork(Actors.B);
        var change = fork.Change(tx => tx.Put(ObjId.Root, "f", ScalarValue.Int(1)))!;

        Assert.Equal(Actors.B, fork.Actor);
        Assert.Equal(1UL, change.Seq);
        Assert.Equal(4UL, change.StartOp);
        Assert.Null(a.Get(ObjId.Root, "f"));
        Assert.Equal(3, a.ChangeCount);
    }
}
