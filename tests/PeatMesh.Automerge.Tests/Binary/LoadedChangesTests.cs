using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

public class LoadedChangesTests
{
    /// <summary>
    /// Two actors editing a text and a map, one small change at a time (so the loaded changes keep the document's rows)
    /// or several ops per change (so they keep their encoded chunks), with messages, times and merges (two deps).
    /// </summary>
    private static AutomergeDocument History(int opsPerChange)
    {
        var a = Docs.New(Actors.A);
        ObjId text = default;
        a.Change(tx => text = tx.PutObject(ObjId.Root, "text", ObjType.Text));
        var b = a.Fork(Actors.B);
        for (var round = 0; round < 12; round++)
        {
            foreach (var (doc, name) in new[] { (a, "a"), (b, "b") })
            {
                var tx = doc.BeginTransaction();
                for (var k = 0; k < opsPerChange; k++)
                {
                    tx.SpliceText(text, 0, 0, name);
                }

                tx.Put(ObjId.Root, name + round % 3, ScalarValue.Int(round));
                tx.Commit(round % 4 == 0 ? "round " + round : null, 1_700_000_000 + round);
            }

            if (round % 3 == 2)
            {
                Docs.MergeBoth(a, b);
            }
        }

        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Decode_CreatesNoChangeUntilRead_ThenEachChangeOnce(int opsPerChange)
    {
        var doc = History(opsPerChange);
        DocumentChunk.ReadAllChanges(doc.Save(), null, out var leading);
        var changes = Assert.IsType<LoadedChanges>(leading!.Changes);
        Assert.Equal(opsPerChange >= DocumentChangeBuilder.KeepEncodedMinOpsPerChange, leading.Ops!.AllChangesEncoded);
        Assert.Equal(0, changes.CreatedCount);

        var originals = doc.GetAllChanges();
        Assert.Equal(originals.Count, changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            Assert.Equal(originals[i].Hash, changes.HashAt(i));
            Assert.Equal(originals[i].Actor, changes.ActorAt(i));
            Assert.Equal(originals[i].Seq, changes.SeqAt(i));
            Assert.Equal(originals[i].MaxOp, changes.MaxOpAt(i));
        }

        Assert.Equal(0, changes.CreatedCount);
        var third = changes[3];
        Assert.Same(third, changes[3]);
        Assert.Equal(1, changes.CreatedCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Changes_EqualTheOriginals_FieldByField(int opsPerChange)
    {
        var doc = History(opsPerChange);
        var loaded = AutomergeDocument.Load(doc.Save());

        var originals = doc.GetAllChanges();
        var changes = loaded.GetAllChanges();
        Assert.Equal(originals.Count, changes.Count);
        Assert.Contains(originals, c => c.Deps.Count == 2);
        Assert.Contains(originals, c => c.Message is not null);
        for (var i = 0; i < originals.Count; i++)
        {
            var (expected, actual) = (originals[i], changes[i]);
            Assert.Equal(expected.Hash, actual.Hash);
            Assert.Equal(expected.MaxOp, actual.MaxOp);
            ChangeAssert.Same(expected, actual);
            Assert.Equal(expected.RawBytes.ToArray(), actual.RawBytes.ToArray());
            Assert.Same(actual, loaded.GetChangeByHash(expected.Hash));
        }
    }

    [Fact]
    public async Task ConcurrentReads_AllGetTheSameChange()
    {
        var doc = History(1);
        DocumentChunk.ReadAllChanges(doc.Save(), null, out var leading);
        var changes = Assert.IsType<LoadedChanges>(leading!.Changes);

        var seen = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            var mine = new Change[changes.Count];
            for (var k = 0; k < changes.Count; k++)
            {
                var i = (k * 7 + worker) % changes.Count; // each worker in its own order
                mine[i] = changes[i];
            }

            return mine;
        })));

        for (var i = 0; i < changes.Count; i++)
        {
            Assert.All(seen, mine => Assert.Same(changes[i], mine[i]));
        }

        Assert.Equal(changes.Count, changes.CreatedCount);
    }

    [Fact]
    public void ApplyLoaded_DocumentThenChangeChunks_CreatesNoLeadingChange()
    {
        var doc = History(1);
        var more = doc.Fork(Actors.C);
        more.Change(tx => tx.Put(ObjId.Root, "c", ScalarValue.Int(1)));
        var bytes = doc.Save().Concat(more.SaveSince(doc.Heads)).ToArray();

        var all = AutomergeDocument.DecodeChanges(bytes, null, out var leading);
        var loaded = new AutomergeDocument(Actors.C, FixedTimeProvider.Default);
        loaded.ApplyLoaded(all, leading, storeLoaded: null);

        var changes = Assert.IsType<LoadedChanges>(leading!.Changes);
        Assert.Equal(0, changes.CreatedCount);
        Assert.Equal(more.Heads, loaded.Heads);
        Assert.Equal(more.ChangeCount, loaded.ChangeCount);
        Assert.Equal(Docs.Json(more), Docs.Json(loaded));
        Assert.Equal(0, changes.CreatedCount);

        // The decoded list is the leading document's changes, then the trailing chunk's.
        Assert.Equal(more.GetAllChanges().Select(c => c.Hash), all.Select(c => c.Hash));
        Assert.Equal(changes.Count, changes.CreatedCount);
        Assert.Equal(more.GetAllChanges().Select(c => c.Hash), loaded.GetAllChanges().Select(c => c.Hash));
    }

    [Fact]
    public void Load_ManyChanges_BothHalvesEncodeLikeTheOriginals()
    {
        // Over DocumentChangeBuilder.ParallelEncodeMinChanges changes, so the later half is encoded without deps on
        // another thread and hashed here; five ops per change, so the loaded changes keep chunks built from those halves.
        var a = Docs.New(Actors.A);
        ObjId text = default;
        a.Change(tx => text = tx.PutObject(ObjId.Root, "text", ObjType.Text));
        var b = a.Fork(Actors.B);
        for (var i = 0; i < DocumentChangeBuilder.ParallelEncodeMinChanges / 2 + 40; i++)
        {
            foreach (var doc in new[] { a, b })
            {
                var tx = doc.BeginTransaction();
                tx.SpliceText(text, 0, 0, "abcde");
                tx.Commit(i % 500 == 0 ? "message " + i : null, 1_700_000_000 + i);
            }

            if (i % 700 == 0)
            {
                Docs.MergeBoth(a, b); // changes with two deps in both halves
            }
        }

        Docs.MergeBoth(a, b);
        var saved = a.Save();
        DocumentChunk.ReadAllChanges(saved, null, out var leading);
        Assert.True(leading!.Ops!.AllChangesEncoded);
        var loaded = AutomergeDocument.Load(saved);

        var originals = a.GetAllChanges();
        var changes = loaded.GetAllChanges();
        Assert.True(originals.Count >= DocumentChangeBuilder.ParallelEncodeMinChanges);
        Assert.Equal(originals.Count, changes.Count);
        for (var i = 0; i < originals.Count; i++)
        {
            Assert.Equal(originals[i].Hash, changes[i].Hash);
            Assert.Equal(originals[i].RawBytes.ToArray(), changes[i].RawBytes.ToArray());
        }

        Assert.Equal(a.Heads, loaded.Heads);
        Assert.Equal(saved, loaded.Save());
    }

    [Fact]
    public void Load_ManyChanges_ForwardDependencyInTheLaterHalf_IsRejected()
    {
        // Actor B's change depends on actor A's change just before it; swapping the two (each actor's seqs stay in
        // order) makes B's change name a later change, past the middle of a document large enough to split.
        var a = Docs.New(Actors.A);
        var b = a.Fork(Actors.B);
        var count = DocumentChangeBuilder.ParallelEncodeMinChanges + 100;
        for (var i = 0; i < count - 2; i++)
        {
            a.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(i)));
        }

        b.ApplyChanges(a.GetAllChanges());
        b.Change(tx => tx.Put(ObjId.Root, "b", ScalarValue.Int(1)));
        var changes = b.GetAllChanges().ToList();
        var dependent = changes.Count - 1;
        Assert.Contains(changes[dependent - 1].Hash, changes[dependent].Deps);
        (changes[dependent - 1], changes[dependent]) = (changes[dependent], changes[dependent - 1]);

        var bytes = TamperedDocuments.Write(changes);

        var error = Assert.Throws<AutomergeFormatException>(() => AutomergeDocument.Load(bytes));
        Assert.Contains("depends on change " + dependent + ", which does not precede it", error.Message);
    }
}
