using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Binary;

public class BundleChunkTests
{
    private static IReadOnlyList<Change> DemoAuthorChanges() =>
        DocumentChunk.Decode(AutomergeFixtures.Read("generated-3.5.0", "demo-author-doc.automerge"), out _).Changes;

    [Fact]
    public void Decode_BundleOfWholeDocument_GivesTheDocumentsChangesByteForByte()
    {
        var expected = DemoAuthorChanges();

        var changes = BundleChunk.Decode(ChunkContainer.Read(BundleVectors.DemoAuthorDocAll, out _));

        Assert.Equal(expected.Select(c => c.RawBytes.ToArray()), changes.Select(c => c.RawBytes.ToArray()));
        Assert.Equal(Convert.FromHexString("0103c0ffee"), changes[0].ExtraBytes.ToArray()); // 3.5.0 author footer
    }

    [Fact]
    public void Decode_PartialBundle_ResolvesExternalDependency()
    {
        var expected = DemoAuthorChanges();

        var change = Assert.Single(BundleChunk.Decode(ChunkContainer.Read(BundleVectors.DemoAuthorDocSecond, out _)));

        Assert.Equal(expected[1].Hash, change.Hash);
        Assert.Equal([expected[0].Hash], change.Deps);
    }

    [Fact]
    public void Load_BundleOfWholeDocument_SavesAsTheDocument()
    {
        var doc = AutomergeDocument.Load(BundleVectors.DemoAuthorDocAll);

        Assert.Equal(AutomergeFixtures.Read("generated-3.5.0", "demo-author-doc.automerge"), doc.Save());
    }

    [Fact]
    public void Load_DeflatedBundleOfThreeActors_HeadsMatchAutomerge()
    {
        var parsed = ChunkContainer.Read(BundleVectors.ThreeActorsDeflated, out _);
        var changes = BundleChunk.Decode(parsed);
        Assert.Equal(28, changes.Count);
        Assert.Contains(changes.SelectMany(c => c.Ops), o => o.Action == OpAction.Mark);
        Assert.Contains(changes.SelectMany(c => c.Ops), o => o.Action == OpAction.Increment);
        Assert.Contains(changes.SelectMany(c => c.Ops), o => o.Action == OpAction.Delete);
        Assert.Contains(changes, c => c.Message is not null);
        Assert.Equal(4, changes.Select(c => c.Actor).Distinct().Count());

        var doc = AutomergeDocument.Load(BundleVectors.ThreeActorsDeflated);

        Assert.Equal([ChangeHash.Parse(BundleVectors.ThreeActorsDeflatedHead)], doc.Heads);
        Assert.Equal(0, doc.QueuedChangeCount);
    }

    [Fact]
    public void LoadIncremental_PartialBundleBeforeItsDependency_QueuesThenApplies()
    {
        var doc = new AutomergeDocument();
        doc.LoadIncremental(BundleVectors.DemoAuthorDocSecond);
        Assert.Equal(1, doc.QueuedChangeCount);

        doc.LoadIncremental(AutomergeFixtures.Read("generated-3.5.0", "demo-author-doc.automerge"));

        Assert.Equal(0, doc.QueuedChangeCount);
        Assert.Equal(2, doc.ChangeCount);
    }

    [Fact]
    public void Decode_UnknownColumn_Rejected()
    {
        // Re-write the whole-document bundle with its message column (69) renumbered to an unknown spec (70).
        var body = ChunkContainer.Read(BundleVectors.DemoAuthorDocAll, out _).Body.ToArray();
        var at = body.AsSpan().IndexOf(new byte[] { 0x45, 0x02, 0x50 });
        Assert.True(at > 0);
        body[at] = 0x46;
        var chunk = ChunkContainer.Write(ChunkType.Bundle, body, out _);

        var e = Assert.Throws<AutomergeFormatException>(() => BundleChunk.Decode(ChunkContainer.Read(chunk, out _)));
        Assert.Contains("column", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MutatedBodies_RejectedWithFormatErrorOrDecoded()
    {
        // Every single-byte change of the body (checksum recomputed, so the parser sees it) either decodes or fails
        // with AutomergeFormatException: never another exception, a hang or a huge allocation.
        var rng = new Random(2024);
        foreach (var vector in new[] { BundleVectors.DemoAuthorDocAll, BundleVectors.DemoAuthorDocSecond, BundleVectors.ThreeActorsDeflated })
        {
            var body = ChunkContainer.Read(vector, out _).Body.ToArray();
            for (var i = 0; i < body.Length; i++)
            {
                var copy = (byte[])body.Clone();
                copy[i] = (byte)(rng.Next(2) == 0 ? copy[i] ^ (1 << rng.Next(8)) : rng.Next(256));
                var chunk = ChunkContainer.Write(ChunkType.Bundle, copy, out _);
                try
                {
                    DocumentChunk.ReadAllChanges(chunk);
                }
                catch (AutomergeFormatException)
                {
                }
            }
        }
    }
}
