using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentListTests
{
    private static (AutomergeDocument Doc, ObjId List) NewList(ActorId actor, params long[] values)
    {
        var doc = Docs.New(actor);
        ObjId list = default;
        doc.Change(tx =>
        {
            list = tx.PutObject(ObjId.Root, "list", ObjType.List);
            for (var i = 0; i < values.Length; i++)
            {
                tx.Insert(list, i, ScalarValue.Int(values[i]));
            }
        });
        return (doc, list);
    }

    private static long[] Ints(AutomergeDocument doc, ObjId list) =>
        doc.Values(list).Select(v => v.Scalar.AsInt64).ToArray();

    [Fact]
    public void Insert_AtFrontMiddleEnd_KeepsOrder()
    {
        var (doc, list) = NewList(Actors.A, 1, 3);
        doc.Change(tx =>
        {
            tx.Insert(list, 0, ScalarValue.Int(0));
            tx.Insert(list, 2, ScalarValue.Int(2));
            tx.Insert(list, 4, ScalarValue.Int(4));
        });

        Assert.Equal([0, 1, 2, 3, 4], Ints(doc, list));
        Assert.Equal(5, doc.Length(list));
        Assert.Equal(ScalarValue.Int(2), doc.Get(list, 2)!.Value.Scalar);
        Assert.Null(doc.Get(list, 5));
    }

    [Fact]
    public void Insert_References_PrecedingVisibleElementOrHead()
    {
        var (doc, list) = NewList(Actors.A, 10);
        var change = doc.Change(tx =>
        {
            tx.Insert(list, 0, ScalarValue.Int(9));
            tx.Insert(list, 2, ScalarValue.Int(11));
        })!;

        Assert.True(change.Ops[0].Insert);
        Assert.Equal(Key.Seq(ElemId.Head), change.Ops[0].Key);
        // Element "10" was inserted by op 2@A (op 1 made the list).
        Assert.Equal(Key.Seq(ElemId.FromOpId(new OpId(2, Actors.A))), change.Ops[1].Key);
    }

    [Fact]
    public void SetAndDelete_ByIndex_ChangeElements()
    {
        var (doc, list) = NewList(Actors.A, 1, 2, 3);

        doc.Change(tx =>
        {
            tx.Set(list, 0, ScalarValue.Int(100));
            tx.Delete(list, 1);
        });

        Assert.Equal([100, 3], Ints(doc, list));
    }

    [Fact]
    public void Insert_OutOfRange_Throws()
    {
        var (doc, list) = NewList(Actors.A, 1);
        using var tx = doc.BeginTransaction();

        Assert.Throws<ArgumentOutOfRangeException>(() => tx.Insert(list, 2, ScalarValue.Int(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.Set(list, 1, ScalarValue.Int(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.Delete(list, -1));
    }

    [Fact]
    public void ConcurrentInsertsAtSamePosition_ConvergeWithGreaterOpIdFirst()
    {
        var (a, list) = NewList(Actors.A, 1, 2);
        var b = a.Fork(Actors.B);

        a.Change(tx => tx.Insert(list, 1, ScalarValue.Int(10)));
        b.Change(tx => tx.Insert(list, 1, ScalarValue.Int(20)));
        Docs.MergeBoth(a, b);

        // Both inserts have counter 4 and reference element "1"; siblings are ordered by DESCENDING OpId,
        // and 4@bb > 4@aa, so B's element comes first (spec §1).
        Assert.Equal([1, 20, 10, 2], Ints(a, list));
        Assert.Equal(Ints(a, list), Ints(b, list));
        Assert.Equal(a.Heads, b.Heads);
    }

    [Fact]
    public void ConcurrentRuns_DoNotInterleave()
    {
        var (a, list) = NewList(Actors.A);
        var b = a.Fork(Actors.B);

        a.Change(tx =>
        {
            for (var i = 0; i < 3; i++)
            {
                tx.Insert(list, i, ScalarValue.Int(10 + i));
            }
        });
        b.Change(tx =>
        {
            for (var i = 0; i < 3; i++)
            {
                tx.Insert(list, i, ScalarValue.Int(20 + i));
            }
        });
        Docs.MergeBoth(a, b);

        // Each run is a chain (every element references the previous one), so runs stay contiguous;
        // the heads of the runs are siblings at _head ordered by descending OpId (2@bb before 2@aa).
        Assert.Equal([20, 21, 22, 10, 11, 12], Ints(a, list));
        Assert.Equal(Ints(a, list), Ints(b, list));
    }

    [Fact]
    public void DeleteVsConcurrentUpdate_UpdateSurvives()
    {
        var (a, list) = NewList(Actors.A, 1, 2, 3);
        var b = a.Fork(Actors.B);

        a.Change(tx => tx.Delete(list, 1));
        b.Change(tx => tx.Set(list, 1, ScalarValue.Int(42)));
        Docs.MergeBoth(a, b);

        // The delete's pred is only the original value op; B's concurrent overwrite is not hidden by it.
        Assert.Equal([1, 42, 3], Ints(a, list));
        Assert.Equal(Ints(a, list), Ints(b, list));
    }

    [Fact]
    public void ConcurrentDeletesOfSameElement_DeleteOnce()
    {
        var (a, list) = NewList(Actors.A, 1, 2, 3);
        var b = a.Fork(Actors.B);

        a.Change(tx => tx.Delete(list, 1));
        b.Change(tx => tx.Delete(list, 1));
        Docs.MergeBoth(a, b);

        Assert.Equal([1, 3], Ints(a, list));
        Assert.Equal([1, 3], Ints(b, list));
    }

    [Fact]
    public void InsertAfterDeletedElement_ConcurrentlyStillPlacedAfterTombstone()
    {
        var (a, list) = NewList(Actors.A, 1, 2, 3);
        var b = a.Fork(Actors.B);

        a.Change(tx => tx.Delete(list, 1));
        b.Change(tx => tx.Insert(list, 2, ScalarValue.Int(25)));
        Docs.MergeBoth(a, b);

        Assert.Equal([1, 25, 3], Ints(a, list));
        Assert.Equal([1, 25, 3], Ints(b, list));
    }

    [Fact]
    public void InsertObject_NestedMapInList_Readable()
    {
        var (doc, list) = NewList(Actors.A);
        ObjId item = default;
        doc.Change(tx =>
        {
            item = tx.InsertObject(list, 0, ObjType.Map);
            tx.Put(item, "name", ScalarValue.Str("x"));
        });

        var v = doc.Get(list, 0)!.Value;
        Assert.Equal(ObjType.Map, v.ObjectType);
        Assert.Equal(item, v.ObjectId);
        Assert.Equal("x", doc.Get(item, "name")!.Value.Scalar.AsString);
    }

    [Fact]
    public void LargeList_RandomEdits_MatchReferenceList()
    {
        var rng = new Random(1234);
        var (doc, list) = NewList(Actors.A);
        var expected = new List<long>();
        for (var round = 0; round < 40; round++)
        {
            doc.Change(tx =>
            {
                for (var k = 0; k < 100; k++)
                {
                    var choice = rng.Next(10);
                    if (choice < 6 || expected.Count == 0)
                    {
                        var at = rng.Next(expected.Count + 1);
                        var v = rng.NextInt64(1_000_000);
                        tx.Insert(list, at, ScalarValue.Int(v));
                        expected.Insert(at, v);
                    }
                    else if (choice < 9)
                    {
                        var at = rng.Next(expected.Count);
                        tx.Delete(list, at);
                        expected.RemoveAt(at);
                    }
                    else
                    {
                        var at = rng.Next(expected.Count);
                        var v = rng.NextInt64(1_000_000);
                        tx.Set(list, at, ScalarValue.Int(v));
                        expected[at] = v;
                    }
                }
            });
        }

        Assert.Equal(expected, Ints(doc, list));
        for (var i = 0; i < expected.Count; i += 37)
        {
            Assert.Equal(expected[i], doc.Get(list, i)!.Value.Scalar.AsInt64);
        }

        var reloaded = AutomergeDocument.Load(doc.Save());
        Assert.Equal(expected, Ints(reloaded, list));
    }
}
