using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Sync;

namespace PeatMesh.Automerge.Tests.Binary;

public class ChunkContainerTests
{
    /// <summary>Every stored Automerge file that 3.5.0 loads (README "loads"), with its chunk types in order.</summary>
    public static TheoryData<string, string> LoadableFiles => new()
    {
        { "fixtures/two_change_chunks.automerge", "1,1" },
        { "fixtures/two_change_chunks_compressed.automerge", "2,2" },
        { "fixtures/two_change_chunks_out_of_order.automerge", "1,1" },
        { "fixtures/counter_value_is_ok.automerge", "1" },
        { "fixtures/broken_zero_width_mark.automerge", "0" },
        { "fixtures/64bit_obj_id_doc.automerge", "0" },
        { "interop/exemplar", "0" },
        { "automerge-c/brave-ape-49.automerge", "0" },
        { "automerge-perf/text-doc.amrg", "0" },
        { "automerge-perf/text-doc-50k.amrg", "0" },
        { "benchmark-battery/moby-dick.automerge", "0" },
        { "benchmark-battery/monday-meeting-notes.automerge", "0" },
        { "benchmark-battery/stephen.amrg", "0" },
        { "benchmark-battery/webstraits.amrg", "0" },
        { "benchmark-battery/godot-modeled.amrg", "0" },
        { "egwalker/S1.am", "0" },
        { "egwalker/S2.am", "0" },
        { "egwalker/C1.am", "0" },
        { "egwalker/C2.am", "0" },
        { "egwalker/A1.am", "0" },
        { "generated-3.5.0/demo-doc.automerge", "0" },
        { "generated-3.5.0/demo-author-doc.automerge", "0" },
        { "generated-3.5.0/paper-trace-one-change.automerge", "0" },
        { "generated-3.5.0/paper-trace-per-edit.automerge", "0" },
    };

    [Theory]
    [MemberData(nameof(LoadableFiles))]
    public void ReadAll_LoadableFile_WalksEveryChunkWithValidChecksums(string path, string expectedTypes)
    {
        var bytes = AutomergeFixtures.Read(path.Split('/'));
        var chunks = ChunkContainer.ReadAll(bytes).ToList();
        Assert.Equal(expectedTypes, string.Join(",", chunks.Select(c => (int)c.Type)));
        Assert.Equal(bytes.Length, chunks.Sum(c => c.Bytes.Length));
        foreach (var chunk in chunks)
        {
            // checksum = first 4 bytes of the hash
            Assert.Equal(chunk.Bytes.Span.Slice(4, 4).ToArray(), chunk.Hash.ToArray()[..4]);
        }
    }

    [Fact]
    public void ReadAll_Essay_IsDocumentThenChangeChunks()
    {
        var chunks = ChunkContainer.ReadAll(AutomergeFixtures.Read("benchmark-battery", "essay.amrg")).ToList();
        Assert.Equal(ChunkType.Document, chunks[0].Type);
        Assert.Equal(449, chunks.Count(c => c.Type == ChunkType.Change));
        Assert.Equal(450, chunks.Count);

        // Every appended change chunk decodes and re-encodes canonically.
        foreach (var chunk in chunks.Skip(1))
        {
            var change = ChangeChunk.Decode(chunk);
            Assert.Equal(chunk.Hash, change.Hash);
            Assert.Equal(chunk.Bytes.ToArray(), ChangeChunk.Encode(change, out _));
        }
    }

    [Fact]
    public void SlowSyncMessage_EveryChangeDecodesAndReencodesByteIdentically()
    {
        var message = SyncMessage.Decode(AutomergeFixtures.Read("benchmark-battery", "slowSyncMessage.amrgsync"));
        var ops = 0;
        foreach (var entry in message.Changes)
        {
            var change = ChangeChunk.Decode(entry.Span, out var consumed);
            Assert.Equal(entry.Length, consumed);
            ops += change.Ops.Count;
            var encoded = ChangeChunk.Encode(change, out var hash);
            Assert.Equal(change.Hash, hash);
            Assert.True(entry.Span.SequenceEqual(encoded), "change " + change + " re-encodes byte-identically");
        }

        Assert.True(ops > message.Changes.Count);
    }

    [Fact]
    public void DemoSync3_DocumentEntry_WalksAsOneDocumentChunk()
    {
        var message = SyncMessage.Decode(AutomergeFixtures.Read("generated-3.5.0", "demo-sync-3-a2b.bin"));
        var chunk = Assert.Single(ChunkContainer.ReadAll(Assert.Single(message.Changes)));
        Assert.Equal(ChunkType.Document, chunk.Type);
    }

    [Fact]
    public void Read_EmptyDocumentFromSpec_IsValid()
    {
        // automerge.md §2.2: 85 6f 4a 83 b8 1a 95 44 00 04 00 00 00 00
        var chunk = ChunkContainer.Read(Convert.FromHexString("856f4a83b81a9544000400000000"), out var consumed);
        Assert.Equal(14, consumed);
        Assert.Equal(ChunkType.Document, chunk.Type);
        Assert.Equal(4, chunk.Body.Length);
    }

    [Fact]
    public void Write_Document_ProducesSpecEmptyDocument()
    {
        var bytes = ChunkContainer.Write(ChunkType.Document, [0, 0, 0, 0], out _);
        Assert.Equal("856f4a83b81a9544000400000000", Convert.ToHexStringLower(bytes));
    }

    [Theory]
    [InlineData("856f4a83b81a954400040000000000")] // one byte of a second, truncated chunk
    [InlineData("856f4a83b81a95440004000000")] // body truncated
    [InlineData("856f4a83b81a954500040000000000")] // checksum wrong
    [InlineData("856f4a84b81a9544000400000000")] // magic wrong
    [InlineData("856f4a83b81a9544040400000000")] // unknown type 4
    [InlineData("856f4a83b81a954400")] // missing length
    [InlineData("856f4a83b81a954400ffffffffffffffffff01")] // huge length
    public void ReadAll_Malformed_ThrowsFormatException(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Throws<AutomergeFormatException>(() => ChunkContainer.ReadAll(bytes).ToList());
    }

    [Fact]
    public void Read_CompressedChunkWithBadDeflate_ThrowsFormatException()
    {
        var body = new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff };
        var chunk = new byte[] { 0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2, 5 }.Concat(body).ToArray();
        Assert.Throws<AutomergeFormatException>(() => ChunkContainer.Read(chunk, out _));
    }

    [Fact]
    public void Read_CompressedChunkInflatingBeyondBound_ThrowsFormatException()
    {
        // 80 MiB of zeros deflate to ~80 KB; the bound is 64 MiB.
        var big = new byte[80 * 1024 * 1024];
        var chunk = ChunkContainer.WriteCompressedChange(big, out _);
        Assert.True(chunk.Length < 200_000);
        Assert.Throws<AutomergeFormatException>(() => ChunkContainer.Read(chunk, out _));
    }
}
