using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

public class DocumentChunkTests
{
    private static DocumentChunkContents Load(params string[] path)
    {
        var bytes = AutomergeFixtures.Read(path);
        var contents = DocumentChunk.Decode(bytes, out var consumed);
        Assert.Equal(bytes.Length, consumed);
        return contents;
    }

    /// <summary>README "loads: changes / actors" for the stored documents.</summary>
    public static TheoryData<string, int, int> DocumentsWithCounts => new()
    {
        { "automerge-c/brave-ape-49.automerge", 184, 16 },
        { "benchmark-battery/moby-dick.automerge", 47, 1 },
        { "benchmark-battery/monday-meeting-notes.automerge", 15_529, 69 },
        { "benchmark-battery/stephen.amrg", 2, 1 },
        { "benchmark-battery/webstraits.amrg", 305, 4 },
        { "benchmark-battery/godot-modeled.amrg", 2, 1 },
        { "egwalker/S1.am", 2, 2 },
        { "egwalker/S2.am", 2, 2 },
        { "egwalker/C1.am", 93_152, 3 },
        { "egwalker/C2.am", 134_477, 4 },
        { "egwalker/A1.am", 956, 205 },
        { "automerge-perf/text-doc-50k.amrg", 50_001, 1 },
        { "generated-3.5.0/paper-trace-one-change.automerge", 2, 1 },
        { "generated-3.5.0/paper-trace-per-edit.automerge", 259_779, 1 },
        { "generated-3.5.0/demo-doc.automerge", 4, 2 },
        { "interop/exemplar", 1, 1 },
    };

    [Theory]
    [MemberData(nameof(DocumentsWithCounts))]
    public void Decode_StoredDocument_RebuildsChangesWithMatchingHeads(string path, int changes, int actors)
    {
        var contents = Load(path.Split('/'));
        Assert.Equal(changes, contents.Changes.Count);
        Assert.Equal(actors, contents.Actors.Count);

        // Heads were verified by the decoder; cross-check them independently here.
        var dependedOn = contents.Changes.SelectMany(c => c.Deps).ToHashSet();
        var heads = contents.Changes.Select(c => c.Hash).Where(h => !dependedOn.Contains(h)).Order().ToArray();
        Assert.Equal(contents.Heads.Order().ToArray(), heads);
    }

    [Fact]
    public void Decode_DemoDoc_ContainsDemoChangeByteForByte()
    {
        var contents = Load("generated-3.5.0", "demo-doc.automerge");
        var demoChange = AutomergeFixtures.Read("generated-3.5.0", "demo-change.bin");
        var expected = ChangeChunk.Decode(demoChange, out _);
        var rebuilt = Assert.Single(contents.Changes, c => c.Hash == expected.Hash);
        Assert.Equal(demoChange, rebuilt.RawBytes.ToArray());

        Assert.Equal(new ulong[] { 3, 1 }, contents.HeadsIndex); // automerge.md §2.4
        Assert.Equal(contents.Heads, contents.HeadsIndex!.Select(i => contents.Changes[(int)i].Hash));
        Assert.Equal(62, contents.Changes.Sum(c => c.Ops.Count(o => o.Action != OpAction.Delete)));
    }

    [Fact]
    public void Decode_DemoDoc_ChangesAreTopologicalWithSeqInOrder()
    {
        var contents = Load("generated-3.5.0", "demo-doc.automerge");
        var seen = new HashSet<ChangeHash>();
        var seqByActor = new Dictionary<ActorId, ulong>();
        foreach (var change in contents.Changes)
        {
            Assert.All(change.Deps, d => Assert.Contains(d, seen));
            seen.Add(change.Hash);
            seqByActor[change.Actor] = seqByActor.GetValueOrDefault(change.Actor) + 1;
            Assert.Equal(seqByActor[change.Actor], change.Seq);
        }
    }

    [Fact]
    public void Decode_AuthorDoc_KeepsAuthorFooterAsExtraBytes()
    {
        var contents = Load("generated-3.5.0", "demo-author-doc.automerge");
        var first = Assert.Single(contents.Changes, c => c.Seq == 1);
        Assert.Equal(new byte[] { 0x01, 0x03, 0xc0, 0xff, 0xee }, first.ExtraBytes.ToArray()); // automerge.md §2.3

        // The footer is part of the hashed change chunk.
        Assert.EndsWith("0103c0ffee", Convert.ToHexStringLower(first.RawBytes.Span), StringComparison.Ordinal);
        var decoded = ChangeChunk.Decode(first.RawBytes.Span, out _);
        Assert.Equal(first.Hash, decoded.Hash);
    }

    [Fact]
    public void Decode_Exemplar_HasNoDepsAndTwentyOneOps()
    {
        var contents = Load("interop", "exemplar");
        var change = Assert.Single(contents.Changes);
        Assert.Empty(change.Deps);
        Assert.Equal(21, change.Ops.Count);
        Assert.Contains(change.Ops, o => o.Key == Key.Map("uint") && o.Value == ScalarValue.Uint(ulong.MaxValue));
        Assert.Contains(change.Ops, o => o.Key == Key.Map("timestamp") && o.Value == ScalarValue.Timestamp(-905182979000));
    }

    [Fact]
    public void Decode_LegacyDocumentWithoutHeadsIndex_Loads()
    {
        var contents = Load("automerge-perf", "text-doc-50k.amrg");
        Assert.Null(contents.HeadsIndex);
        Assert.Single(contents.Heads);
    }

    [Fact]
    public void DemoSync_BloomOfSenderChanges_IsReproducedExactly()
    {
        // The V2 whole-document reply carries the sender's document; the opener's bloom covers all its changes.
        var documentEntry = Assert.Single(SyncMessage.Decode(AutomergeFixtures.Read("generated-3.5.0", "demo-sync-3-a2b.bin")).Changes);
        var changes = DocumentChunk.ReadAllChanges(documentEntry);
        var opener = SyncMessage.Decode(AutomergeFixtures.Read("generated-3.5.0", "demo-sync-1-a2b.bin"));
        var bloom = Assert.Single(opener.Have).Bloom;
        Assert.Equal(changes.Count, bloom.Count);
        Assert.All(changes, c => Assert.True(bloom.Contains(c.Hash)));
        Assert.Equal(bloom.Encode(), BloomFilter.Create(changes.Select(c => c.Hash).ToArray()).Encode());

        // The reply's bloom (same shared heads) matches too, and the opener's head is the document's head.
        var reply = SyncMessage.Decode(AutomergeFixtures.Read("generated-3.5.0", "demo-sync-3-a2b.bin"));
        Assert.Equal(bloom.Encode(), Assert.Single(reply.Have).Bloom.Encode());
        Assert.Equal(Assert.Single(opener.Heads), changes[^1].Hash);
    }

    [Fact]
    public void ReadAllChanges_EssayDocumentThenChanges_ReturnsAll()
    {
        var changes = DocumentChunk.ReadAllChanges(AutomergeFixtures.Read("benchmark-battery", "essay.amrg"));
        Assert.Equal(262_961, changes.Select(c => c.Hash).Distinct().Count()); // incremental chunks may repeat document changes
        Assert.Equal(156, changes.Select(c => c.Actor).Distinct().Count());
    }

    [Theory]
    [InlineData("fixtures", "64bit_obj_id_doc.automerge")]
    [InlineData("fuzz-crashers", "crash-da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("fuzz-crashers", "incorrect_max_op.automerge")]
    [InlineData("fuzz-crashers", "invalid_deflate_stream.automerge")]
    [InlineData("fuzz-crashers", "missing_actor.automerge")]
    [InlineData("fuzz-crashers", "overflow_in_length.automerge")]
    [InlineData("fuzz-crashers", "too_many_deps.automerge")]
    [InlineData("fuzz-crashers", "too_many_ops.automerge")]
    [InlineData("fuzz-crashers", "action-is-48.automerge")]
    [InlineData("fixtures", "broken_zero_width_mark.automerge")] // strict load, as 3.x: mark end stored before its begin
    public void ReadAllChanges_MustFailFixture_ThrowsFormatException(string folder, string file)
    {
        var bytes = AutomergeFixtures.Read(folder, file);
        Assert.Throws<AutomergeFormatException>(() => DocumentChunk.ReadAllChanges(bytes));
    }

    [Fact]
    public void Decode_ChangeChunk_IsNotADocument()
    {
        Assert.Throws<AutomergeFormatException>(() => DocumentChunk.Decode(AutomergeFixtures.Read("generated-3.5.0", "demo-change.bin"), out _));
    }

    [Fact]
    public void Decode_EmptyDocumentFromSpec_HasNoChanges()
    {
        var contents = DocumentChunk.Decode(Convert.FromHexString("856f4a83b81a9544000400000000"), out _);
        Assert.Empty(contents.Changes);
        Assert.Empty(contents.Heads);
        Assert.Null(contents.HeadsIndex);
    }

    [Fact]
    public void Decode_MutatedDemoDoc_OnlyFormatExceptions()
    {
        var random = new Random(8080);
        var original = AutomergeFixtures.Read("generated-3.5.0", "demo-doc.automerge");
        var (_, headerLength, _) = ChunkContainer.ReadHeader(original);
        for (var i = 0; i < 5000; i++)
        {
            var body = original[headerLength..];
            for (var f = 1 + random.Next(3); f > 0; f--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            var chunk = ChunkContainer.Write(ChunkType.Document, body, out _);
            try
            {
                DocumentChunk.Decode(chunk, out _);
            }
            catch (AutomergeFormatException)
            {
            }
        }
    }

    private static byte[] DemoDocBody()
    {
        var original = AutomergeFixtures.Read("generated-3.5.0", "demo-doc.automerge");
        var (_, headerLength, _) = ChunkContainer.ReadHeader(original);
        return original[headerLength..];
    }

    [Fact]
    public void Decode_StoredHeadChanged_ThrowsMismatchingHeads()
    {
        var body = DemoDocBody();
        Assert.Equal(2, body[0]); // two actors of 16 bytes, then the heads
        Assert.Equal(2, body[1 + (2 * 17)]);
        body[1 + (2 * 17) + 1] ^= 0x01;
        var chunk = ChunkContainer.Write(ChunkType.Document, body, out _);
        var e = Assert.Throws<AutomergeFormatException>(() => DocumentChunk.Decode(chunk, out _));
        Assert.Contains("Mismatching heads", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StoredHeadChanged_ThrowsMismatchingHeads()
    {
        // The rows of this document are fine (the op set would build from them); only the heads do not verify.
        var body = DemoDocBody();
        body[1 + (2 * 17) + 1] ^= 0x01;
        var chunk = ChunkContainer.Write(ChunkType.Document, body, out _);

        var e = Assert.Throws<AutomergeFormatException>(() => AutomergeDocument.Load(chunk));
        Assert.Contains("Mismatching heads", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LargeDocumentWithAChangedHead_ThrowsMismatchingHeadsAlthoughItsOpSetBuilds()
    {
        // Large enough that the op set is built on one thread while the heads are checked on another.
        var original = AutomergeFixtures.Read("generated-3.5.0", "paper-trace-one-change.automerge");
        DocumentChunk.ReadAllChanges(original, null, out var leading);
        Assert.True(leading!.Ops!.Count >= DocumentChunk.ParallelVerificationOps);
        var (_, headerLength, _) = ChunkContainer.ReadHeader(original);
        var body = original[headerLength..];
        var reader = new ByteReader(body);
        var actors = reader.ReadCount(minItemSize: 2);
        for (var i = 0; i < actors; i++)
        {
            reader.ReadLengthPrefixedBytes();
        }

        Assert.Equal(1UL, reader.ReadUInt64()); // one head follows
        body[reader.Position] ^= 0x01;
        var chunk = ChunkContainer.Write(ChunkType.Document, body, out _);

        var e = Assert.Throws<AutomergeFormatException>(() => AutomergeDocument.Load(chunk));
        Assert.Contains("Mismatching heads", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_LargeChange_KeepsItsEncodingSoTheRowsCanBeReleased()
    {
        var bytes = AutomergeFixtures.Read("generated-3.5.0", "paper-trace-one-change.automerge");
        DocumentChunk.ReadAllChanges(bytes, null, out var leading);
        var expected = DocumentChunk.ReadAllChanges(bytes);
        var ops = leading!.Ops!;
        Assert.True(ops.AllChangesEncoded);

        ops.Release();

        Assert.True(ops.IsReleased);
        Assert.Equal(0, ops.Count);
        Assert.Equal(expected.Count, leading.Changes.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var change = leading.Changes[i];
            Assert.Equal(expected[i].Ops, change.Ops); // built from the change's own chunk, not from the released rows
            Assert.Equal(expected[i].RawBytes.ToArray(), change.RawBytes.ToArray());
            Assert.Equal(change.Hash, ChangeChunk.Decode(change.RawBytes.Span, out _).Hash);
        }

        Assert.Contains(leading.Changes, c => c.Ops.Count > 100_000);
    }

    [Fact]
    public void Decode_ManySmallChanges_KeepTheRowsAndRefuseRelease()
    {
        var doc = Docs.New(Actors.A);
        var text = doc.Change(tx => tx.PutObject(ObjId.Root, "text", ObjType.Text)) is { } first ? first.OpIdAt(0) : default;
        for (var i = 0; i < 50; i++)
        {
            doc.Change(tx => tx.SpliceText(ObjId.FromOpId(text), i, 0, "x"));
        }

        DocumentChunk.ReadAllChanges(doc.Save(), null, out var leading);

        Assert.False(leading!.Ops!.AllChangesEncoded); // a one-op change encodes larger than its row
        Assert.Throws<InvalidOperationException>(leading.Ops.Release);
        Assert.Equal(doc.GetAllChanges().Select(c => c.Hash), leading.Changes.Select(c => c.Hash));
    }

    [Fact]
    public void Load_ValidDocument_SameStateAsDecodeThenApply()
    {
        var bytes = AutomergeFixtures.Read("generated-3.5.0", "demo-doc.automerge");

        var loaded = AutomergeDocument.Load(bytes);
        var decoded = new AutomergeDocument();
        decoded.ApplyLoaded(AutomergeDocument.DecodeChanges(bytes, null, out var leading), leading, storeLoaded: null);

        Assert.Equal(StoreSnapshot.Describe(decoded), StoreSnapshot.Describe(loaded));
        Assert.Equal(decoded.Heads, loaded.Heads);
    }

    [Fact]
    public void Decode_TrailingByteAfterHeadsIndex_Throws()
    {
        var chunk = ChunkContainer.Write(ChunkType.Document, [.. DemoDocBody(), 0x00], out _);
        Assert.Throws<AutomergeFormatException>(() => DocumentChunk.Decode(chunk, out _));
    }

    [Fact]
    public void Decode_RunLengthBombInOpIds_ThrowsWithoutMaterializingRows()
    {
        var body = new ByteWriter();
        body.WriteUInt64(1); // one actor
        body.WriteLengthPrefixed([0xaa]);
        body.WriteUInt64(0); // no heads
        body.WriteUInt64(0); // no change columns
        byte[] idActor = [0x80, 0x80, 0x80, 0x10, 0x00]; // run of 2^25 x actor 0
        byte[] idCounter = [0x80, 0x80, 0x80, 0x10, 0x01]; // run of 2^25 x delta +1
        body.WriteUInt64(2);
        body.WriteUInt64(33);
        body.WriteUInt64((ulong)idActor.Length);
        body.WriteUInt64(35);
        body.WriteUInt64((ulong)idCounter.Length);
        body.Write(idActor);
        body.Write(idCounter);
        var chunk = ChunkContainer.Write(ChunkType.Document, body.WrittenSpan, out _);
        var e = Assert.Throws<AutomergeFormatException>(() => DocumentChunk.Decode(chunk, out _));
        Assert.Contains("rows", e.Message, StringComparison.Ordinal);
    }
}
