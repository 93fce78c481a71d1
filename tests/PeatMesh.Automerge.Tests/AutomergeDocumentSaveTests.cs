using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;
using PeatMesh.Automerge.Tests.Binary;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentSaveTests
{
    /// <summary>The documents written by Automerge 3.5.0 <c>save()</c>.</summary>
    public static TheoryData<string> Generated350Documents => new(AutomergeFixtures.Generated350Documents);

    /// <summary>Files of other recent writers that also round-trip byte for byte.</summary>
    public static TheoryData<string> OtherRecentDocuments => new(AutomergeFixtures.OtherCanonicalDocuments);

    [Theory]
    [MemberData(nameof(Generated350Documents))]
    public void Save_LoadedGenerated350Document_ByteIdentical(string path)
    {
        var stored = AutomergeFixtures.Read(path.Split('/'));

        Assert.Equal(stored, AutomergeDocument.Load(stored).Save());
    }

    [Theory]
    [MemberData(nameof(OtherRecentDocuments))]
    public void Save_LoadedDocumentOfOtherRecentWriter_ByteIdentical(string path)
    {
        var stored = AutomergeFixtures.Read(path.Split('/'));

        Assert.Equal(stored, AutomergeDocument.Load(stored).Save());
    }

    [Theory]
    [InlineData("generated-3.5.0/demo-doc.automerge")]
    [InlineData("generated-3.5.0/demo-author-doc.automerge")]
    public void Save_RebuiltFromChangesUndeflated_ByteIdentical(string path)
    {
        // No cached column bytes: a fresh document that only received the changes.
        var stored = AutomergeFixtures.Read(path.Split('/'));
        var rebuilt = new AutomergeDocument(Actors.C);
        rebuilt.ApplyChanges(AutomergeDocument.Load(stored).GetAllChanges());

        Assert.Equal(stored, rebuilt.Save());
    }

    [Theory]
    [InlineData("generated-3.5.0/paper-trace-one-change.automerge")]
    [InlineData("generated-3.5.0/paper-trace-per-edit.automerge")]
    public void Save_RebuiltFromChangesDeflated_SameColumnsAndSizeAsAutomerge(string path)
    {
        var stored = AutomergeFixtures.Read(path.Split('/'));
        var rebuilt = new AutomergeDocument(Actors.C);
        rebuilt.ApplyChanges(AutomergeDocument.Load(stored).GetAllChanges());

        var saved = rebuilt.Save();

        InflatedDocument.AssertSameContents(stored, saved);
        // JS 3.5.0: 129,107 / 129,125 bytes. .NET's DEFLATE need not produce the same bytes; the size stays close.
        Assert.InRange(saved.Length, stored.Length * 99 / 100, stored.Length * 101 / 100);
        var reloaded = AutomergeDocument.Load(saved);
        Assert.Equal(rebuilt.Heads, reloaded.Heads);
        Assert.Equal(Docs.Json(rebuilt), Docs.Json(reloaded));
    }

    [Fact]
    public void Save_EmptyDocument_IsEmptyDocumentChunk()
    {
        // automerge.md §2.2, and what JS save(init()) returns.
        Assert.Equal(Convert.FromHexString("856f4a83b81a9544000400000000"), Docs.New(Actors.A).Save());
        Assert.Empty(AutomergeDocument.Load(Docs.New(Actors.A).Save()).Heads);
    }

    [Fact]
    public void Save_AfterEdits_ReloadsWithSameHeadsJsonAndBytes()
    {
        var rng = new Random(4242);
        var a = RandomEdits.Base().Fork(Actors.A);
        var b = a.Fork(Actors.B);
        for (var round = 0; round < 8; round++)
        {
            RandomEdits.Apply(a, rng, 3);
            RandomEdits.Apply(b, rng, 3);
            if (round % 3 == 2)
            {
                Docs.MergeBoth(a, b);
            }

            var saved = a.Save();
            var reloaded = AutomergeDocument.Load(saved);
            Assert.Equal(a.Heads, reloaded.Heads);
            Assert.Equal(Docs.Json(a), Docs.Json(reloaded));
            Assert.Equal(saved, reloaded.Save());
        }
    }

    [Fact]
    public void Save_LoadedThenEdited_ReusesUnchangedColumnsAndReloads()
    {
        var stored = AutomergeFixtures.Read("generated-3.5.0", "paper-trace-one-change.automerge");
        var doc = AutomergeDocument.Load(stored);
        var text = doc.Get(ObjId.Root, "text")!.Value.ObjectId;
        doc.Change(tx => tx.SpliceText(text, 0, 0, "X"));

        var saved = doc.Save();

        var reloaded = AutomergeDocument.Load(saved);
        Assert.Equal(doc.Heads, reloaded.Heads);
        Assert.Equal(doc.Text(text), reloaded.Text(text));
        Assert.StartsWith("X\\documentclass", reloaded.Text(text), StringComparison.Ordinal);
        Assert.Equal(saved, reloaded.Save());
    }

    [Fact]
    public void Save_ForkOfLoadedDocument_ByteIdentical()
    {
        var stored = AutomergeFixtures.Read("generated-3.5.0", "paper-trace-one-change.automerge");

        Assert.Equal(stored, AutomergeDocument.Load(stored).Fork(Actors.C).Save());
    }

    [Fact]
    public void Save_WithQueuedChanges_AppendsThemAsChangeChunks()
    {
        var source = Docs.New(Actors.A);
        source.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(1)));
        var first = source.GetAllChanges()[0];
        var second = source.Change(tx => tx.Put(ObjId.Root, "b", ScalarValue.Int(2)))!;
        var third = source.Change(tx => tx.Put(ObjId.Root, "c", ScalarValue.Int(3)))!;
        var doc = Docs.New(Actors.B);
        doc.ApplyChanges([first, third]); // third waits for second
        Assert.Equal(1, doc.QueuedChangeCount);

        var saved = doc.Save();

        var chunks = ChunkContainer.ReadAll(saved).ToList();
        Assert.Equal([ChunkType.Document, ChunkType.Change], chunks.Select(c => c.Type));
        Assert.Equal(third.RawBytes.ToArray(), chunks[1].Bytes.ToArray());
        var reloaded = AutomergeDocument.Load(saved);
        Assert.Equal(1, reloaded.QueuedChangeCount);
        reloaded.ApplyChanges([second]);
        Assert.Equal(source.Heads, reloaded.Heads);
    }

    [Fact]
    public void SaveNoCompress_NeverDeflates_LoadsToSameDocument()
    {
        var stored = AutomergeFixtures.Read("generated-3.5.0", "paper-trace-per-edit.automerge");
        var doc = AutomergeDocument.Load(stored);

        var plain = doc.SaveNoCompress();

        Assert.Empty(InflatedDocument.Parse(plain).DeflatedSpecs);
        Assert.Equal(InflatedDocument.Parse(stored).OpColumns.Select(c => c.Data.Length), InflatedDocument.Parse(plain).OpColumns.Select(c => c.Data.Length));
        Assert.Equal(doc.Heads, AutomergeDocument.Load(plain).Heads);
        Assert.Equal(stored, AutomergeDocument.Load(plain).Save()); // the canonical columns deflate to 3.5.0's bytes again
    }

    [Fact]
    public void SaveSince_Heads_GivesTheLaterChangesAsChangeChunks()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(1)));
        var heads = doc.Heads;
        var later = doc.Change(tx => tx.Put(ObjId.Root, "b", ScalarValue.Int(2)))!;

        Assert.Equal(later.RawBytes.ToArray(), doc.SaveSince(heads));
        Assert.Empty(doc.SaveSince(doc.Heads));
        Assert.Equal(doc.GetAllChanges().SelectMany(c => c.RawBytes.ToArray()), doc.SaveSince([]));
    }

    [Fact]
    public void SaveIncremental_AfterSave_OnlyNewChanges()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(1)));
        var full = doc.Save();
        var later = doc.Change(tx => tx.Put(ObjId.Root, "b", ScalarValue.Int(2)))!;

        var increment = doc.SaveIncremental();

        Assert.Equal(later.RawBytes.ToArray(), increment);
        Assert.Equal(doc.Heads, AutomergeDocument.Load([.. full, .. increment]).Heads);
    }

    [Fact]
    public void GenerateSyncMessage_RebuiltDemoDocument_WholeDocumentReplyMatchesAutomerge()
    {
        // The recorded 3.5.0 session: A (4 changes) to an empty B; message 3 carries A's save(). A is rebuilt from
        // those changes, so its reply's document chunk comes from the writer, not from bytes it loaded.
        var m3 = AutomergeFixtures.Read("generated-3.5.0", "demo-sync-3-a2b.bin");
        var recorded = SyncMessage.Decode(m3).Changes.Single().ToArray();
        var a = new AutomergeDocument(Actors.A);
        a.ApplyChanges(AutomergeDocument.Load(recorded).GetAllChanges());
        var stateA = new SyncState();
        a.GenerateSyncMessage(stateA);
        a.ReceiveSyncMessage(stateA, SyncMessage.Decode(AutomergeFixtures.Read("generated-3.5.0", "demo-sync-2-b2a.bin")));

        var reply = a.GenerateSyncMessage(stateA)!;

        Assert.Equal(m3, reply.Encode());
        Assert.Equal(recorded, reply.Changes.Single().ToArray());
    }

    [Fact]
    public void GenerateSyncMessage_EmptyDocumentToEmptyPeer_SendsEmptyDocumentChunk()
    {
        // JS 3.5.0 between two empty documents: V1 opener, then a V2 reply carrying save() of the empty document.
        var a = Docs.New(Actors.A);
        var b = Docs.New(Actors.B);
        var stateA = new SyncState();
        var stateB = new SyncState();
        var opener = a.GenerateSyncMessage(stateA)!;
        Assert.Equal(Convert.FromHexString("42000001000000020284"), opener.Encode());
        b.ReceiveSyncMessage(stateB, opener);

        var reply = b.GenerateSyncMessage(stateB)!;

        Assert.Equal(Convert.FromHexString("430000010000010e856f4a83b81a9544000400000000020284"), reply.Encode());
        a.ReceiveSyncMessage(stateA, reply);
        Assert.Null(a.GenerateSyncMessage(stateA));
        Assert.Null(b.GenerateSyncMessage(stateB));
    }
}
