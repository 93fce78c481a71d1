using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class FuzzCrasherTests
{
    public static TheoryData<string> Crashers => new(AutomergeFixtures.FuzzCrashers());

    /// <summary>Walks the chunks and decodes every change chunk; returns the document chunks left for a document loader.</summary>
    private static List<Chunk> WalkAndDecodeChanges(byte[] bytes)
    {
        var documents = new List<Chunk>();
        foreach (var chunk in ChunkContainer.ReadAll(bytes))
        {
            if (chunk.Type is ChunkType.Change or ChunkType.CompressedChange)
            {
                ChangeChunk.Decode(chunk);
            }
            else
            {
                documents.Add(chunk);
            }
        }

        return documents;
    }

    [Theory]
    [MemberData(nameof(Crashers))]
    public void Crasher_ChunkAndChangeLayers_RejectOrDeferToDocumentLoader(string file)
    {
        var bytes = AutomergeFixtures.Read("fuzz-crashers", file);
        try
        {
            var documents = WalkAndDecodeChanges(bytes);

            // Only document chunks can get past the chunk and change layers; the document loader rejects them.
            Assert.NotEmpty(documents);
            Assert.All(documents, d => Assert.Equal(ChunkType.Document, d.Type));
        }
        catch (AutomergeFormatException)
        {
        }
    }

    [Fact]
    public void InvalidDeflateStream_FailsAtTheChunkLayer()
    {
        Assert.Throws<AutomergeFormatException>(() => WalkAndDecodeChanges(AutomergeFixtures.Read("fuzz-crashers", "invalid_deflate_stream.automerge")));
    }
}
