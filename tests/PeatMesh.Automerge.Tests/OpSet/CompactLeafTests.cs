using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.OpSet;

/// <summary>
/// A load keeps plain sequence elements as compact slots (ADR 0025) and creates their objects only when an element is
/// needed: these tests pin that reads, remote changes naming such elements by id, local edits among them, and checks
/// against reused op ids all behave exactly as on a document built by replaying the same changes.
/// </summary>
public class CompactLeafTests
{
    [Fact]
    public void Load_PlainText_KeepsElementsAsSlotsUntilAnElementIsNeeded()
    {
        var (doc, text, _) = Document(new Random(1), 3000);
        var loaded = AutomergeDocument.Load(doc.Save(), Actors.C, FixedTimeProvider.Default);
        var tree = loaded.RequireSequence(text).Tree;
        var compactLeaves = tree.CompactLeafCount;
        Assert.True(compactLeaves > 10, "a loaded plain text should be held in compact leaves, found " + compactLeaves);
        Assert.Equal(doc.Store.OpCount, loaded.Store.OpCount);

        Assert.Equal(doc.Text(text), loaded.Text(text));
        Assert.Equal(doc.Length(text), loaded.Length(text));
        Assert.Equal(compactLeaves, tree.CompactLeafCount); // reading the text creates no element objects

        var middle = doc.Length(text) / 2;
        Assert.Equal(doc.Get(text, middle), loaded.Get(text, middle));
        Assert.Equal(compactLeaves - 1, tree.CompactLeafCount); // one leaf turned into objects, the rest untouched
        Assert.Equal(doc.Store.OpCount, loaded.Store.OpCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Load_ThenConcurrentAndLocalEdits_MatchReplay(int seed)
    {
        var rng = new Random(seed);
        var (a, text, list) = Document(rng, 2000);
        var b = a.Fork(Actors.B);
        for (var i = 0; i < 40; i++)
        {
            EditConcurrently(b, text, list, rng);
        }

        var bytes = a.Save();
        var loaded = AutomergeDocument.Load(bytes, Actors.C, FixedTimeProvider.Default);
        var replayed = Docs.Replay(bytes, Actors.C);
        Assert.True(loaded.RequireSequence(text).Tree.CompactLeafCount > 0, "the text should load into compact leaves");
        Assert.True(loaded.RequireSequence(list).Tree.CompactLeafCount > 0, "the list should load into compact leaves");

        // B's changes delete, overwrite and insert next to elements that are still compact slots in the loaded copy.
        var remote = b.GetChanges(a.Heads);
        Assert.Equal(remote.Count, loaded.ApplyChanges(remote));
        Assert.Equal(remote.Count, replayed.ApplyChanges(remote));
        Assert.Equal(replayed.Text(text), loaded.Text(text));

        for (var round = 0; round < 10; round++)
        {
            var editSeed = rng.Next();
            var expected = replayed.Change(tx => EditLocally(tx, replayed, text, list, new Random(editSeed)));
            var actual = loaded.Change(tx => EditLocally(tx, loaded, text, list, new Random(editSeed)));
            Assert.Equal(expected?.Hash, actual?.Hash);
        }

        Assert.Equal(Docs.Json(replayed), Docs.Json(loaded));
        Assert.Equal(replayed.Save(), loaded.Save());
        Assert.Equal(StoreSnapshot.Describe(replayed), StoreSnapshot.Describe(loaded));
    }

    [Fact]
    public void ApplyChanges_ClaimingTheOpIdsOfCompactElements_IsRejectedAndChangesNothing()
    {
        var (a, text, _) = Document(new Random(3), 500);
        var bytes = a.Save();
        var seq = (ulong)a.GetAllChanges().Count(c => c.Actor == Actors.A);
        // A's next change, claiming counters its earlier changes used for characters of the text.
        var forged = new Change(Actors.A, seq + 1, startOp: 10, time: 0, message: null, a.Heads,
            [new Op(text, Key.Seq(ElemId.Head), insert: true, OpAction.Set, ScalarValue.Str("x"), [])]);

        foreach (var doc in new[] { AutomergeDocument.Load(bytes, Actors.C, FixedTimeProvider.Default), Docs.Replay(bytes, Actors.C) })
        {
            var before = doc.Text(text);
            var error = Assert.Throws<AutomergeFormatException>(() => doc.ApplyChanges([forged]));
            Assert.Contains("starts at op 10", error.Message);
            Assert.Equal(before, doc.Text(text));
            Assert.Equal(a.Heads, doc.Heads);
        }
    }

    /// <summary>A document with a text of about <paramref name="length"/> characters (typed with deletions) and a list of ints.</summary>
    private static (AutomergeDocument Doc, ObjId Text, ObjId List) Document(Random rng, int length)
    {
        var doc = Docs.New(Actors.A);
        ObjId text = default, list = default;
        doc.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            list = tx.PutObject(ObjId.Root, "list", ObjType.List);
        });
        while (doc.Length(text) < length)
        {
            doc.Change(tx =>
            {
                for (var i = 0; i < 20; i++)
                {
                    var current = doc.Length(text);
                    var at = rng.Next(current + 1);
                    var delete = rng.Next(4) == 0 ? Math.Min(rng.Next(1, 4), current - at) : 0;
                    tx.SpliceText(text, at, delete, Chars(rng, rng.Next(1, 8)));
                }

                tx.Insert(list, rng.Next(doc.Length(list) + 1), ScalarValue.Int(rng.Next(1000)));
            });
        }

        return (doc, text, list);
    }

    private static void EditConcurrently(AutomergeDocument doc, ObjId text, ObjId list, Random rng) =>
        doc.Change(tx => EditLocally(tx, doc, text, list, rng));

    /// <summary>A few edits anywhere: text splices (deleting and inserting), list overwrites, deletes and inserts.</summary>
    private static void EditLocally(Transaction tx, AutomergeDocument doc, ObjId text, ObjId list, Random rng)
    {
        for (var n = rng.Next(1, 6); n > 0; n--)
        {
            var length = doc.Length(text);
            var listLength = doc.Length(list);
            switch (rng.Next(5))
            {
                case 0 or 1:
                    var at = rng.Next(length + 1);
                    tx.SpliceText(text, at, Math.Min(rng.Next(0, 4), length - at), Chars(rng, rng.Next(0, 4)));
                    break;
                case 2 when listLength > 0:
                    tx.Set(list, rng.Next(listLength), ScalarValue.Str("set" + rng.Next(9)));
                    break;
                case 3 when listLength > 0:
                    tx.Delete(list, rng.Next(listLength));
                    break;
                default:
                    tx.Insert(list, rng.Next(listLength + 1), ScalarValue.Int(rng.Next(1000)));
                    break;
            }
        }
    }

    private static string Chars(Random rng, int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('a' + rng.Next(26));
        }

        return new string(chars);
    }
}
