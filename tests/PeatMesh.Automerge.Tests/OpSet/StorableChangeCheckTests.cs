using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.OpSet;

/// <summary>Remote changes a document chunk could not record are rejected whole; the document stays savable.</summary>
public class StorableChangeCheckTests
{
    private static (AutomergeDocument Doc, ObjId List, OpId A, OpId Elem) Setup()
    {
        var doc = Docs.New(Actors.A);
        var list = default(ObjId);
        doc.Change(tx =>
        {
            tx.Put(ObjId.Root, "a", ScalarValue.Int(1));
            list = tx.PutObject(ObjId.Root, "list", ObjType.List);
            tx.Insert(list, 0, ScalarValue.Str("x"));
        });
        return (doc, list, new OpId(1, Actors.A), new OpId(3, Actors.A));
    }

    private static Change Remote(AutomergeDocument doc, params Op[] ops) => new(Actors.B, 1, doc.MaxOp + 1, 0, null, doc.Heads, ops);

    public static TheoryData<string> Unstorable => new()
    {
        "pred at another key",
        "pred in another object",
        "pred names a delete",
        "delete without pred",
        "delete with a value",
        "insert with a pred",
    };

    [Theory]
    [MemberData(nameof(Unstorable))]
    public void ApplyChanges_UnstorableChange_RejectedAndDocumentUnchanged(string what)
    {
        var (doc, list, a, elem) = Setup();
        var op = what switch
        {
            "pred at another key" => new Op(ObjId.Root, Key.Map("b"), false, OpAction.Set, ScalarValue.Int(2), [a]),
            "pred in another object" => new Op(list, Key.Seq(ElemId.FromOpId(elem)), false, OpAction.Set, ScalarValue.Int(2), [a]),
            "pred names a delete" => new Op(ObjId.Root, Key.Map("a"), false, OpAction.Set, ScalarValue.Int(2), [new OpId(4, Actors.A)]),
            "delete without pred" => new Op(ObjId.Root, Key.Map("a"), false, OpAction.Delete, ScalarValue.Null, []),
            "delete with a value" => new Op(ObjId.Root, Key.Map("a"), false, OpAction.Delete, ScalarValue.Int(7), [a]),
            _ => new Op(list, Key.Seq(ElemId.FromOpId(elem)), true, OpAction.Set, ScalarValue.Int(2), [elem]),
        };
        if (what == "pred names a delete")
        {
            doc.Change(tx => tx.Delete(ObjId.Root, "a")); // op 4@A, a delete
        }

        var saved = doc.Save();

        Assert.Throws<AutomergeFormatException>(() => doc.ApplyChanges([Remote(doc, op)]));
        Assert.Equal(saved, doc.Save());
    }

    [Fact]
    public void ApplyChanges_JsShapedOverwriteAndDeletes_AppliedAndSavable()
    {
        var (doc, list, a, elem) = Setup();
        var change = Remote(doc,
            new Op(ObjId.Root, Key.Map("a"), false, OpAction.Set, ScalarValue.Int(2), [a]),
            new Op(ObjId.Root, Key.Map("a"), false, OpAction.Delete, ScalarValue.Null, [new OpId(doc.MaxOp + 1, Actors.B)]),
            new Op(list, Key.Seq(ElemId.FromOpId(elem)), false, OpAction.Delete, ScalarValue.Null, [elem]));

        Assert.Equal(1, doc.ApplyChanges([change]));

        var reloaded = AutomergeDocument.Load(doc.Save());
        Assert.Equal(doc.Heads, reloaded.Heads);
        Assert.Null(reloaded.Get(ObjId.Root, "a"));
        Assert.Equal(0, reloaded.Length(list));
    }
}
