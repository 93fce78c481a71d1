using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class TransactionTests
{
    [Fact]
    public void Rollback_RestoresDocument_AndNextCommitReusesCounters()
    {
        var doc = Docs.New(Actors.A);
        ObjId text = default;
        ObjId list = default;
        doc.Change(tx =>
        {
            tx.Put(ObjId.Root, "k", ScalarValue.Int(1));
            tx.Put(ObjId.Root, "c", ScalarValue.Counter(1));
            text = tx.PutObject(ObjId.Root, "t", ObjType.Text);
            tx.SpliceText(text, 0, 0, "abc");
            list = tx.PutObject(ObjId.Root, "l", ObjType.List);
            tx.Insert(list, 0, ScalarValue.Int(1));
        });
        var before = Docs.Json(doc);
        var heads = doc.Heads;
        var maxOp = doc.MaxOp;

        using (var tx = doc.BeginTransaction())
        {
            tx.Put(ObjId.Root, "k", ScalarValue.Int(2));
            tx.Increment(ObjId.Root, "c", 1);
            tx.Delete(ObjId.Root, "c");
            tx.SpliceText(text, 1, 1, "XYZ");
            var nested = tx.PutObject(ObjId.Root, "new", ObjType.Map);
            tx.Put(nested, "x", ScalarValue.Int(1));
            tx.Insert(list, 0, ScalarValue.Int(0));
            tx.Delete(list, 1);
            Assert.Equal("aXYZc", doc.Text(text));
            tx.Rollback();
        }

        Assert.Equal(before, Docs.Json(doc));
        Assert.Equal(heads, doc.Heads);
        Assert.Equal(maxOp, doc.MaxOp);
        var next = doc.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(3)))!;
        Assert.Equal(maxOp + 1, next.StartOp);
        Assert.Equal(2UL, next.Seq);
    }

    [Fact]
    public void Dispose_WithoutCommit_RollsBack()
    {
        var doc = Docs.New(Actors.A);
        using (var tx = doc.BeginTransaction())
        {
            tx.Put(ObjId.Root, "k", ScalarValue.Int(1));
        }

        Assert.Null(doc.Get(ObjId.Root, "k"));
        Assert.Empty(doc.Heads);
    }

    [Fact]
    public void BeginTransaction_WhileOpen_Throws_AndApplyChangesThrows()
    {
        var doc = Docs.New(Actors.A);
        using var tx = doc.BeginTransaction();

        Assert.Throws<InvalidOperationException>(() => doc.BeginTransaction());
        Assert.Throws<InvalidOperationException>(() => doc.ApplyChanges([]));
        Assert.Throws<InvalidOperationException>(() => doc.Save());
    }

    [Fact]
    public void Commit_Empty_ReturnsNull_AndFinishesTransaction()
    {
        var doc = Docs.New(Actors.A);
        var tx = doc.BeginTransaction();

        Assert.Null(tx.Commit());
        Assert.Throws<InvalidOperationException>(() => tx.Put(ObjId.Root, "k", ScalarValue.Null));
        Assert.Throws<InvalidOperationException>(() => tx.Commit());
        using var next = doc.BeginTransaction();
    }

    [Fact]
    public void Commit_MessageAndTime_Recorded()
    {
        var doc = Docs.New(Actors.A);
        var tx = doc.BeginTransaction();
        tx.Put(ObjId.Root, "k", ScalarValue.Int(1));

        var change = tx.Commit("first", 12345)!;

        Assert.Equal("first", change.Message);
        Assert.Equal(12345, change.Time);
        var loaded = AutomergeDocument.Load(doc.Save());
        Assert.Equal("first", loaded.GetAllChanges()[0].Message);
    }
}
