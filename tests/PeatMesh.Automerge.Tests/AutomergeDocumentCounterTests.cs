using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentCounterTests
{
    [Fact]
    public void Increment_Counter_AddsToInitialValue_AndStaysVisible()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx => tx.Put(ObjId.Root, "c", ScalarValue.Counter(5)));
        var inc = doc.Change(tx =>
        {
            tx.Increment(ObjId.Root, "c", 1);
            tx.Increment(ObjId.Root, "c", 2);
        })!;

        Assert.Equal(ScalarValue.Counter(8), doc.Get(ObjId.Root, "c")!.Value.Scalar);
        Assert.All(inc.Ops, op => Assert.Equal(OpAction.Increment, op.Action));
        Assert.All(inc.Ops, op => Assert.Equal([new OpId(1, Actors.A)], op.Pred));
        Assert.Single(doc.GetAll(ObjId.Root, "c"));
    }

    [Fact]
    public void ConcurrentIncrements_AllCount()
    {
        var a = Docs.New(Actors.A);
        a.Change(tx => tx.Put(ObjId.Root, "c", ScalarValue.Counter(0)));
        var b = a.Fork(Actors.B);
        var c = a.Fork(Actors.C);

        a.Change(tx => tx.Increment(ObjId.Root, "c", 3));
        b.Change(tx => tx.Increment(ObjId.Root, "c", 4));
        c.Change(tx => tx.Increment(ObjId.Root, "c", -2));
        a.Merge(b);
        a.Merge(c);
        b.Merge(a);

        Assert.Equal(ScalarValue.Counter(5), a.Get(ObjId.Root, "c")!.Value.Scalar);
        Assert.Equal(ScalarValue.Counter(5), b.Get(ObjId.Root, "c")!.Value.Scalar);
    }

    [Fact]
    public void Increment_NonCounter_Throws()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx => tx.Put(ObjId.Root, "i", ScalarValue.Int(1)));
        using var tx = doc.BeginTransaction();

        Assert.Throws<InvalidOperationException>(() => tx.Increment(ObjId.Root, "i", 1));
        Assert.Throws<InvalidOperationException>(() => tx.Increment(ObjId.Root, "missing", 1));
    }

    [Fact]
    public void Increment_CounterInList_AddsToElement()
    {
        var doc = Docs.New(Actors.A);
        ObjId list = default;
        doc.Change(tx =>
        {
            list = tx.PutObject(ObjId.Root, "l", ObjType.List);
            tx.Insert(list, 0, ScalarValue.Counter(10));
        });
        doc.Change(tx => tx.Increment(list, 0, 5));

        Assert.Equal(ScalarValue.Counter(15), doc.Get(list, 0)!.Value.Scalar);
    }

    [Fact]
    public void IncrementConcurrentWithOverwrite_OverwriteWins()
    {
        var a = Docs.New(Actors.A);
        a.Change(tx => tx.Put(ObjId.Root, "c", ScalarValue.Counter(1)));
        var b = a.Fork(Actors.B);

        a.Change(tx => tx.Increment(ObjId.Root, "c", 10));
        b.Change(tx => tx.Put(ObjId.Root, "c", ScalarValue.Int(7)));
        Docs.MergeBoth(a, b);

        // The put hides the counter; the increment (a successor that does not hide) changes nothing visible.
        Assert.Equal(ScalarValue.Int(7), a.Get(ObjId.Root, "c")!.Value.Scalar);
        Assert.Equal(ScalarValue.Int(7), b.Get(ObjId.Root, "c")!.Value.Scalar);
    }
}
