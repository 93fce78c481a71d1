using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentPersistenceTests
{
    private static AutomergeDocument Sample()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            tx.Put(ObjId.Root, "title", ScalarValue.Str("hello"));
            var list = tx.PutObject(ObjId.Root, "list", ObjType.List);
            tx.Insert(list, 0, ScalarValue.F64(1.5));
            tx.Insert(list, 1, ScalarValue.Bytes([1, 2, 3]));
            var text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, "héllo 😀");
            tx.Put(ObjId.Root, "count", ScalarValue.Counter(3));
            tx.Put(ObjId.Root, "when", ScalarValue.Timestamp(1_700_000_000_123));
        });
        doc.Change(tx => tx.Increment(ObjId.Root, "count", 4));
        var other = doc.Fork(Actors.B);
        other.Change(tx => tx.Put(ObjId.Root, "title", ScalarValue.Str("concurrent")));
        doc.Change(tx => tx.Put(ObjId.Root, "title", ScalarValue.Str("mine")));
        doc.Merge(other);
        return doc;
    }

    [Fact]
    public void SaveLoad_RoundTrip_SameHeadsAndContent()
    {
        var doc = Sample();

        var loaded = AutomergeDocument.Load(doc.Save());

        Assert.Equal(doc.Heads, loaded.Heads);
        Assert.Equal(Docs.Json(doc), Docs.Json(loaded));
        Assert.Equal(2, loaded.GetAll(ObjId.Root, "title").Count);
        Assert.Equal(doc.GetAllChanges().Select(c => c.Hash), loaded.GetAllChanges().Select(c => c.Hash));
    }

    [Fact]
    public void SaveOfLoad_IsByteIdentical()
    {
        var saved = Sample().Save();

        Assert.Equal(saved, AutomergeDocument.Load(saved).Save());
    }

    [Fact]
    public void Save_IsOneDocumentChunkHoldingEveryChange()
    {
        var doc = Sample();

        var saved = doc.Save();

        var chunk = Assert.Single(ChunkContainer.ReadAll(saved));
        Assert.Equal(ChunkType.Document, chunk.Type);
        var contents = DocumentChunk.Decode(chunk);
        Assert.Equal(doc.GetAllChanges().Select(c => c.RawBytes.ToArray()), contents.Changes.Select(c => c.RawBytes.ToArray()));
        Assert.Equal(doc.Heads, contents.Heads);
    }

    [Fact]
    public void SaveIncremental_ReturnsOnlyNewChanges_AndAppendsToSave()
    {
        var doc = Sample();
        var full = doc.Save();
        Assert.Empty(doc.SaveIncremental());

        var change = doc.Change(tx => tx.Put(ObjId.Root, "later", ScalarValue.Boolean(false)))!;
        var increment = doc.SaveIncremental();

        Assert.Equal(change.RawBytes.ToArray(), increment);
        Assert.Empty(doc.SaveIncremental());
        var loaded = AutomergeDocument.Load([.. full, .. increment]);
        Assert.Equal(doc.Heads, loaded.Heads);
    }

    [Fact]
    public void Load_Empty_GivesEmptyDocument()
    {
        var doc = AutomergeDocument.Load([]);

        Assert.Empty(doc.Heads);
        Assert.Empty(doc.Keys(ObjId.Root));
    }

    [Fact]
    public void Load_ChangesInReverseOrder_QueuesAndConverges()
    {
        var doc = Sample();
        var reversed = doc.GetAllChanges().Reverse().SelectMany(c => c.RawBytes.ToArray()).ToArray();

        var loaded = AutomergeDocument.Load(reversed);

        Assert.Equal(doc.Heads, loaded.Heads);
        Assert.Equal(Docs.Json(doc), Docs.Json(loaded));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(9)]
    public void Load_Truncated_ThrowsFormatException(int cut)
    {
        var saved = Sample().Save();

        Assert.Throws<AutomergeFormatException>(() => AutomergeDocument.Load(saved.AsSpan(0, saved.Length - 1 - cut)));
    }

    [Fact]
    public void Load_Garbage_ThrowsFormatException()
    {
        var rng = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[rng.Next(1, 64)];
            rng.NextBytes(bytes);
            Assert.Throws<AutomergeFormatException>(() => AutomergeDocument.Load(bytes));
        }
    }

    [Fact]
    public void Load_CorruptedByte_ThrowsFormatException()
    {
        var saved = Sample().Save();
        for (var i = 0; i < saved.Length; i += 7)
        {
            var copy = (byte[])saved.Clone();
            copy[i] ^= 0x5a;
            Assert.Throws<AutomergeFormatException>(() => AutomergeDocument.Load(copy));
        }
    }
}
