using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

public class DocumentChunkWriterTests
{
    /// <summary>
    /// Documents whose changes, written again by <see cref="DocumentChunkWriter"/>, give exactly the stored columns
    /// (inflated), actor table, heads, heads index and choice of deflated columns: everything but the DEFLATE bytes.
    /// The 3.5.0 files, and the files of the other recent Rust/JS writers in the fixtures.
    /// </summary>
    public static TheoryData<string> DocumentsWrittenCanonically =>
        new([.. AutomergeFixtures.Generated350Documents, .. AutomergeFixtures.OtherCanonicalDocuments]);

    [Theory]
    [MemberData(nameof(DocumentsWrittenCanonically))]
    public void Write_ChangesOfStoredDocument_SameColumnsAsStored(string path)
    {
        var stored = AutomergeFixtures.Read(path.Split('/'));
        var contents = DocumentChunk.Decode(stored, out _);

        var written = DocumentChunkWriter.Write(contents.Changes);

        InflatedDocument.AssertSameContents(stored, written);
    }

    [Theory]
    [InlineData("generated-3.5.0/demo-doc.automerge")]
    [InlineData("generated-3.5.0/demo-author-doc.automerge")]
    [InlineData("interop/exemplar")]
    public void Write_ChangesOfUndeflatedDocument_ByteIdentical(string path)
    {
        // No column reaches 256 bytes, so no DEFLATE is involved: the whole chunk must match.
        var stored = AutomergeFixtures.Read(path.Split('/'));
        Assert.Empty(InflatedDocument.Parse(stored).DeflatedSpecs);

        var written = DocumentChunkWriter.Write(DocumentChunk.Decode(stored, out _).Changes);

        Assert.Equal(stored, written);
    }

    [Fact]
    public void Write_LegacyDocument_DiffersOnlyInEmptyMessagesAndHeadsIndex()
    {
        // automerge 1.0-preview JS (2020) stored "" instead of null for changes without a message, and no heads
        // index; a change chunk cannot tell "" from none (length 0 = none), so both hash the same and the rewrite
        // writes nulls, as 3.x writes them, and adds the heads index.
        var stored = AutomergeFixtures.Read("automerge-perf", "text-doc-50k.amrg");
        var contents = DocumentChunk.Decode(stored, out _);
        var written = InflatedDocument.Parse(DocumentChunkWriter.Write(contents.Changes));
        var legacy = InflatedDocument.Parse(stored);

        Assert.Empty(legacy.HeadsIndex);
        Assert.Equal([0xd0, 0x86, 0x03], written.HeadsIndex); // uLEB 50,000: the last change is the head
        Assert.Equal(legacy.OpColumns.Select(c => Convert.ToHexString(c.Data)), written.OpColumns.Select(c => Convert.ToHexString(c.Data)));
        var messageSpec = 53u;
        Assert.Equal(
            legacy.ChangeColumns.Where(c => c.Spec != messageSpec).Select(c => Convert.ToHexString(c.Data)),
            written.ChangeColumns.Where(c => c.Spec != messageSpec).Select(c => Convert.ToHexString(c.Data)));
        Assert.Equal(
            DecodeStrings(legacy.ChangeColumns.Single(c => c.Spec == messageSpec).Data).Select(m => m is "" ? null : m),
            DecodeStrings(written.ChangeColumns.Single(c => c.Spec == messageSpec).Data));
    }

    [Fact]
    public void Write_NoChanges_GivesEmptyDocument()
    {
        // automerge.md §2.2: 0 actors, 0 heads, no columns, no heads index.
        Assert.Equal(Convert.FromHexString("856f4a83b81a95440004" + "00000000"), DocumentChunkWriter.Write([]));
    }

    [Fact]
    public void Write_NoCompress_NoDeflatedColumnsAndSameContents()
    {
        var stored = AutomergeFixtures.Read("generated-3.5.0", "paper-trace-one-change.automerge");
        var changes = DocumentChunk.Decode(stored, out _).Changes;

        var plain = DocumentChunkWriter.Write(changes, deflate: false);

        var parsed = InflatedDocument.Parse(plain);
        Assert.Empty(parsed.DeflatedSpecs);
        Assert.Contains(parsed.OpColumns, c => c.Data.Length >= DocumentChunkWriter.DeflateThreshold);
        var stripped = InflatedDocument.Parse(stored);
        Assert.Equal(stripped.OpColumns.Select(c => Convert.ToHexString(c.Data)), parsed.OpColumns.Select(c => Convert.ToHexString(c.Data)));
        Assert.Equal(changes.Select(c => c.Hash), DocumentChunk.Decode(plain, out _).Changes.Select(c => c.Hash));
    }

    [Fact]
    public void Write_DependencyAfterDependent_Throws()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(1)));
        doc.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(2)));

        var e = Assert.Throws<ArgumentException>(() => DocumentChunkWriter.Write(doc.GetAllChanges().Reverse().ToList()));
        Assert.Contains("not an earlier change", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_DuplicateChange_Throws()
    {
        var doc = Docs.New(Actors.A);
        var change = doc.Change(tx => tx.Put(ObjId.Root, "a", ScalarValue.Int(1)))!;

        Assert.Throws<ArgumentException>(() => DocumentChunkWriter.Write([change, change]));
    }

    [Fact]
    public void Write_PredecessorNotInChanges_Throws()
    {
        // A delete naming an op that no change holds cannot be stored as a succ entry.
        var orphan = new Change(Actors.A, 1, 1, 0, null, null,
            [new Op(ObjId.Root, Key.Map("k"), false, OpAction.Delete, ScalarValue.Null, [new OpId(9, Actors.A)])]);

        var e = Assert.Throws<ArgumentException>(() => DocumentChunkWriter.Write([orphan]));
        Assert.Contains("predecessor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MapKeys_OrderedByUtf8Bytes()
    {
        // UTF-16 ordinal order would put U+1F600 (a surrogate pair, D83D…) before U+FFFD; UTF-8 order puts it after.
        string[] keys = ["😀", "\uFFFD", "b", "a", "ab", ""];
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            foreach (var key in keys)
            {
                tx.Put(ObjId.Root, key, ScalarValue.Int(key.Length));
            }
        });

        var written = InflatedDocument.Parse(DocumentChunkWriter.Write(doc.GetAllChanges()));

        var keyColumn = written.OpColumns.Single(c => c.Spec == 21).Data;
        Assert.Equal(["", "a", "ab", "b", "\uFFFD", "😀"], DecodeStrings(keyColumn));
    }

    [Fact]
    public void Write_ConcurrentInserts_RgaOrderSurvivesReload()
    {
        // Three replicas insert at the same places concurrently, then merge: the document op order must be the
        // sequence order, so that the reloaded text (rebuilt from that order) equals the merged text.
        var a = Docs.New(Actors.A);
        var text = default(ObjId);
        a.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, "hello");
        });
        var b = a.Fork(Actors.B);
        var c = a.Fork(Actors.C);
        a.Change(tx => tx.SpliceText(text, 2, 1, "AA"));
        b.Change(tx => tx.SpliceText(text, 2, 0, "BBB"));
        c.Change(tx => tx.SpliceText(text, 0, 5, "C"));
        b.Change(tx => tx.SpliceText(text, 1, 0, "b"));
        a.Merge(b);
        a.Merge(c);

        var reloaded = AutomergeDocument.Load(DocumentChunkWriter.Write(a.GetAllChanges()));

        Assert.Equal(a.Text(text), reloaded.Text(text));
        Assert.Equal(a.Heads, reloaded.Heads);
    }

    private static List<string?> DecodeStrings(byte[] column)
    {
        var values = new List<string?>();
        var decoder = new RleDecoder<string, StringCodec>(column, "test");
        while (!decoder.IsDone)
        {
            values.Add(decoder.TryNext(out var value) ? value : null);
        }

        return values;
    }
}
