using System.IO.Compression;
using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class DeflateColumnCacheTests
{
    private static readonly byte[] Column = [.. Enumerable.Range(0, 300).Select(i => (byte)(i % 7))];

    [Fact]
    public void TryGet_AfterAdd_ReturnsTheStoredBytes()
    {
        var cache = new DeflateColumnCache();
        cache.Add(Column, [1, 2, 3]);

        Assert.True(cache.TryGet(Column, out var compressed));
        Assert.Equal([1, 2, 3], compressed);
        Assert.False(cache.TryGet(Column.AsSpan(1), out _));
    }

    [Fact]
    public void RetainUsed_DropsEntriesNotUsedSinceLastCall()
    {
        var other = Column.Reverse().ToArray();
        var cache = new DeflateColumnCache();
        cache.Add(Column, [1]);
        cache.Add(other, [2, 2]);
        cache.TryGet(Column, out _);

        cache.RetainUsed();

        Assert.Equal(1, cache.Count);
        Assert.Equal(1, cache.Bytes);
        Assert.True(cache.TryGet(Column, out _));
        cache.RetainUsed();
        cache.RetainUsed(); // not used in between: dropped
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void ReplaceLoaded_DropsEarlierLoadedEntriesButKeepsThoseOfTheLastSave()
    {
        var saved = Column.Reverse().ToArray();
        var loaded = Column.Skip(1).ToArray();
        var cache = new DeflateColumnCache();
        cache.Add(saved, [1]);
        cache.TryGet(saved, out _);
        cache.RetainUsed(); // "saved" was used by the last save
        cache.Add(loaded, [2]);

        cache.ReplaceLoaded([new DeflatedColumn(Column, new byte[] { 3 })]);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(saved, out _));
        Assert.True(cache.TryGet(Column, out _));
        Assert.False(cache.TryGet(loaded, out _));
    }

    [Fact]
    public void Add_BeyondMaxBytes_IsNotKept()
    {
        var cache = new DeflateColumnCache();
        var big = new byte[DeflateColumnCache.MaxBytes];

        cache.Add(Column, big);
        cache.Add(Column.AsSpan(2), [9]);

        Assert.Equal(1, cache.Count);
        Assert.False(cache.TryGet(Column.AsSpan(2), out _));
    }

    [Fact]
    public void Write_WithCachedColumns_WritesTheCachedBytes()
    {
        // Cache every large column in an unusual but valid form (DEFLATE stored blocks, no compression): the writer
        // must write exactly those bytes rather than compressing again.
        var stored = AutomergeFixtures.Read("generated-3.5.0", "paper-trace-one-change.automerge");
        var contents = DocumentChunk.Decode(stored, out _);
        var cache = new DeflateColumnCache();
        var storedForms = new List<byte[]>();
        foreach (var (_, data) in InflatedDocument.Parse(stored).OpColumns.Where(c => c.Data.Length >= DocumentChunkWriter.DeflateThreshold))
        {
            using var output = new MemoryStream();
            using (var deflater = new DeflateStream(output, CompressionLevel.NoCompression, leaveOpen: true))
            {
                deflater.Write(data);
            }

            storedForms.Add(output.ToArray());
            cache.Add(data, output.ToArray());
        }

        var written = DocumentChunkWriter.Write(contents.Changes, deflate: true, cache);

        InflatedDocument.AssertSameContents(stored, written);
        Assert.All(storedForms, form => Assert.True(written.AsSpan().IndexOf(form) > 0, "a cached column was not written verbatim"));
        Assert.True(written.Length > stored.Length * 2);
    }
}
