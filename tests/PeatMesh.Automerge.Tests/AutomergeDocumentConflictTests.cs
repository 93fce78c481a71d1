using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentConflictTests
{
    [Fact]
    public void ConcurrentPuts_BothKept_GreatestOpIdWins_OnEveryReplica()
    {
        var a = Docs.New(Actors.A);
        var b = Docs.New(Actors.B);
        var c = Docs.New(Actors.C);
        a.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Str("from a")));
        b.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Str("from b")));
        c.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Str("from c")));

        foreach (var doc in new[] { a, b, c })
        {
            foreach (var other in new[] { a, b, c })
            {
                doc.Merge(other);
            }
        }

        foreach (var doc in new[] { a, b, c })
        {
            // All three ops are 1@x; the actor bytes break the tie: cc… > bb… > aa….
            Assert.Equal("from c", doc.Get(ObjId.Root, "k")!.Value.Scalar.AsString);
            var all = doc.GetAll(ObjId.Root, "k");
            Assert.Equal(["from a", "from b", "from c"], all.Select(v => v.Scalar.AsString));
            Assert.Equal([new OpId(1, Actors.A), new OpId(1, Actors.B), new OpId(1, Actors.C)], all.Select(v => v.Id));
        }
    }

    [Fact]
    public void HigherCounter_BeatsGreaterActor()
    {
        var a = Docs.New(Actors.A);
        a.Change(tx => tx.Put(ObjId.Root, "x", ScalarValue.Int(0)));
        a.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(1))); // op 2@aa
        var b = Docs.New(Actors.B);
        b.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(2))); // op 1@bb

        Docs.MergeBoth(a, b);

        Assert.Equal(1, a.Get(ObjId.Root, "k")!.Value.Scalar.AsInt64);
        Assert.Equal(1, b.Get(ObjId.Root, "k")!.Value.Scalar.AsInt64);
    }

    [Fact]
    public void PutAfterMerge_ResolvesConflict_PredNamesBothValues()
    {
        var a = Docs.New(Actors.A);
        var b = Docs.New(Actors.B);
        a.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(1)));
        b.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(2)));
        a.Merge(b);

        var change = a.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(3)))!;

        Assert.Equal([new OpId(1, Actors.A), new OpId(1, Actors.B)], change.Ops[0].Pred);
        Assert.Single(a.GetAll(ObjId.Root, "k"));
        Assert.Equal(2, change.Deps.Count);
    }

    [Fact]
    public void ConcurrentDeleteAndPut_PutSurvives()
    {
        var a = Docs.New(Actors.A);
        a.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(1)));
        var b = a.Fork(Actors.B);

        a.Change(tx => tx.Delete(ObjId.Root, "k"));
        b.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(2)));
        Docs.MergeBoth(a, b);

        Assert.Equal(2, a.Get(ObjId.Root, "k")!.Value.Scalar.AsInt64);
        Assert.Equal(2, b.Get(ObjId.Root, "k")!.Value.Scalar.AsInt64);
    }

    [Fact]
    public void ConcurrentNestedMaps_ConflictKeepsBothObjects()
    {
        var a = Docs.New(Actors.A);
        var b = Docs.New(Actors.B);
        a.Change(tx => tx.Put(tx.PutObject(ObjId.Root, "m", ObjType.Map), "x", ScalarValue.Int(1)));
        b.Change(tx => tx.Put(tx.PutObject(ObjId.Root, "m", ObjType.Map), "y", ScalarValue.Int(2)));
        Docs.MergeBoth(a, b);

        var all = a.GetAll(ObjId.Root, "m");
        Assert.Equal(2, all.Count);
        var winner = a.Get(ObjId.Root, "m")!.Value;
        Assert.Equal(ObjId.FromOpId(new OpId(1, Actors.B)), winner.ObjectId);
        Assert.Equal(["y"], a.Keys(winner.ObjectId));
        Assert.Equal(["x"], a.Keys(all[0].ObjectId));
    }
}
