using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentMapTests
{
    [Fact]
    public void Put_ScalarsOnRoot_ReadBack()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            tx.Put(ObjId.Root, "s", ScalarValue.Str("hello"));
            tx.Put(ObjId.Root, "i", ScalarValue.Int(-4));
            tx.Put(ObjId.Root, "u", ScalarValue.Uint(ulong.MaxValue));
            tx.Put(ObjId.Root, "f", ScalarValue.F64(3.5));
            tx.Put(ObjId.Root, "b", ScalarValue.Boolean(true));
            tx.Put(ObjId.Root, "n", ScalarValue.Null);
        });

        Assert.Equal(ScalarValue.Str("hello"), doc.Get(ObjId.Root, "s")!.Value.Scalar);
        Assert.Equal(ScalarValue.Int(-4), doc.Get(ObjId.Root, "i")!.Value.Scalar);
        Assert.Equal(ScalarValue.Uint(ulong.MaxValue), doc.Get(ObjId.Root, "u")!.Value.Scalar);
        Assert.Equal(ScalarValue.F64(3.5), doc.Get(ObjId.Root, "f")!.Value.Scalar);
        Assert.Equal(ScalarValue.Boolean(true), doc.Get(ObjId.Root, "b")!.Value.Scalar);
        Assert.Equal(ScalarValue.Null, doc.Get(ObjId.Root, "n")!.Value.Scalar);
        Assert.Null(doc.Get(ObjId.Root, "missing"));
        Assert.Equal(["b", "f", "i", "n", "s", "u"], doc.Keys(ObjId.Root));
        Assert.Equal(6, doc.Length(ObjId.Root));
    }

    [Fact]
    public void Commit_FirstChange_HasAutomergeHeaderFields()
    {
        var doc = Docs.New(Actors.A);
        var change = doc.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(1)))!;

        Assert.Equal(Actors.A, change.Actor);
        Assert.Equal(1UL, change.Seq);
        Assert.Equal(1UL, change.StartOp);
        Assert.Equal(1_700_000_000L, change.Time);
        Assert.Empty(change.Deps);
        var op = Assert.Single(change.Ops);
        Assert.Equal(OpAction.Set, op.Action);
        Assert.Equal(Key.Map("k"), op.Key);
        Assert.Empty(op.Pred);
        Assert.Equal([change.Hash], doc.Heads);
    }

    [Fact]
    public void Commit_SecondChange_ContinuesSeqAndOpsAndDependsOnHeads()
    {
        var doc = Docs.New(Actors.A);
        var first = doc.Change(tx =>
        {
            tx.Put(ObjId.Root, "k", ScalarValue.Int(1));
            tx.Put(ObjId.Root, "j", ScalarValue.Int(2));
        })!;
        var second = doc.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(3)))!;

        Assert.Equal(2UL, second.Seq);
        Assert.Equal(3UL, second.StartOp);
        Assert.Equal([first.Hash], second.Deps);
        Assert.Equal([new OpId(1, Actors.A)], second.Ops[0].Pred);
        Assert.Equal([second.Hash], doc.Heads);
    }

    [Fact]
    public void Put_SameValueTwice_MakesNoOp()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Str("v")));

        var change = doc.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Str("v")));

        Assert.Null(change);
        Assert.Equal(1, doc.ChangeCount);
    }

    [Fact]
    public void Delete_ExistingKey_RemovesIt_AndAbsentKeyMakesNoOp()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx => tx.Put(ObjId.Root, "k", ScalarValue.Int(1)));

        var del = doc.Change(tx => tx.Delete(ObjId.Root, "k"))!;
        var none = doc.Change(tx => tx.Delete(ObjId.Root, "k"));

        Assert.Equal(OpAction.Delete, del.Ops[0].Action);
        Assert.Equal([new OpId(1, Actors.A)], del.Ops[0].Pred);
        Assert.Null(none);
        Assert.Null(doc.Get(ObjId.Root, "k"));
        Assert.Empty(doc.Keys(ObjId.Root));
    }

    [Fact]
    public void PutObject_NestedMap_IsAddressableById()
    {
        var doc = Docs.New(Actors.A);
        ObjId inner = default;
        doc.Change(tx =>
        {
            inner = tx.PutObject(ObjId.Root, "config", ObjType.Map);
            tx.Put(inner, "depth", ScalarValue.Int(2));
        });

        var value = doc.Get(ObjId.Root, "config")!.Value;
        Assert.True(value.IsObject);
        Assert.Equal(ObjType.Map, value.ObjectType);
        Assert.Equal(inner, value.ObjectId);
        Assert.Equal(ObjType.Map, doc.ObjectType(inner));
        Assert.Equal(ScalarValue.Int(2), doc.Get(inner, "depth")!.Value.Scalar);
    }

    [Fact]
    public void Keys_NonAsciiKeys_SortedByUtf8Bytes()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            tx.Put(ObjId.Root, "\uFB01", ScalarValue.Int(1)); // U+FB01, UTF-8 EF AC 81
            tx.Put(ObjId.Root, "\U0001F600", ScalarValue.Int(2)); // UTF-8 F0 9F 98 80
            tx.Put(ObjId.Root, "z", ScalarValue.Int(3));
        });

        // Ordinal UTF-16 would put the surrogate pair (D83D) before U+FB01; UTF-8 byte order puts it last.
        Assert.Equal(["z", "\uFB01", "\U0001F600"], doc.Keys(ObjId.Root));
    }

    [Fact]
    public void Get_UnknownObject_Throws()
    {
        var doc = Docs.New(Actors.A);
        var bogus = ObjId.FromOpId(new OpId(99, Actors.B));

        Assert.Throws<ArgumentException>(() => doc.Get(bogus, "k"));
        Assert.Null(doc.ObjectType(bogus));
    }
}
