using PeatMesh.Storage;

namespace PeatMesh.Tests.Storage;

public sealed class SqliteDocumentStoreCrudTests : IDisposable
{
    private static readonly DocumentKey Doc = DocumentKey.Create("tracks", "t-1");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetAsync_MissingDocument_ReturnsNull()
    {
        await using var store = await _dir.OpenStoreAsync();

        Assert.Null(await store.GetAsync(Doc));
    }

    [Fact]
    public async Task AppendAsync_MissingDocument_CreatesItWithRevisionOne()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero));
        await using var store = await _dir.OpenStoreAsync(time: clock);

        var result = await store.AppendAsync(Doc, new byte[] { 1, 2, 3 });

        Assert.Equal(StoreWriteResult.Written, result);
        var stored = await store.GetAsync(Doc);
        Assert.NotNull(stored);
        Assert.Equal(Doc, stored.Key);
        Assert.Equal(new byte[] { 1, 2, 3 }, stored.Bytes.ToArray());
        Assert.Equal(1, stored.Revision);
        Assert.Equal(1, stored.ChunkCount);
        Assert.Equal(clock.GetUtcNow(), stored.UpdatedAt);
    }

    [Fact]
    public async Task AppendAsync_SeveralChunks_ConcatenatesInAppendOrder()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        await using var store = await _dir.OpenStoreAsync(time: clock);
        var random = new Random(42);
        var chunks = Enumerable.Range(0, 25).Select(i => RandomBytes(random, 1 + random.Next(300))).ToList();

        foreach (var chunk in chunks)
        {
            Assert.Equal(StoreWriteResult.Written, await store.AppendAsync(Doc, chunk));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var stored = await store.GetAsync(Doc);
        Assert.NotNull(stored);
        Assert.Equal(chunks.SelectMany(c => c).ToArray(), stored.Bytes.ToArray());
        Assert.Equal(25, stored.ChunkCount);
        Assert.Equal(25, stored.Revision);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(1), stored.UpdatedAt);
    }

    [Fact]
    public async Task AppendAsync_SliceOfLargerBuffer_StoresOnlyTheSlice()
    {
        await using var store = await _dir.OpenStoreAsync();
        var buffer = new byte[] { 9, 9, 1, 2, 3, 9 };

        await store.AppendAsync(Doc, buffer.AsMemory(2, 3));

        Assert.Equal(new byte[] { 1, 2, 3 }, (await store.GetAsync(Doc))!.Bytes.ToArray());
    }

    [Fact]
    public async Task AppendAsync_EmptyChunk_CreatesEmptyDocumentThenChangesNothing()
    {
        await using var store = await _dir.OpenStoreAsync();

        Assert.Equal(StoreWriteResult.Written, await store.AppendAsync(Doc, ReadOnlyMemory<byte>.Empty));
        var created = await store.GetAsync(Doc);
        await store.AppendAsync(Doc, new byte[] { 7 });
        await store.AppendAsync(Doc, ReadOnlyMemory<byte>.Empty);
        var after = await store.GetAsync(Doc);

        Assert.NotNull(created);
        Assert.Equal(0, created.Bytes.Length);
        Assert.Equal(0, created.ChunkCount);
        Assert.Equal(new byte[] { 7 }, after!.Bytes.ToArray());
        Assert.Equal(2, after.Revision);
        Assert.Equal(1, after.ChunkCount);
    }

    [Fact]
    public async Task ReplaceAsync_ExistingChunks_LeavesOnlyTheNewBytes()
    {
        await using var store = await _dir.OpenStoreAsync();
        await store.AppendAsync(Doc, new byte[] { 1, 2 });
        await store.AppendAsync(Doc, new byte[] { 3, 4 });

        var result = await store.ReplaceAsync(Doc, new byte[] { 5, 6, 7 });
        await store.AppendAsync(Doc, new byte[] { 8 });

        Assert.Equal(StoreWriteResult.Written, result);
        var stored = await store.GetAsync(Doc);
        Assert.Equal(new byte[] { 5, 6, 7, 8 }, stored!.Bytes.ToArray());
        Assert.Equal(2, stored.ChunkCount);
        Assert.Equal(4, stored.Revision);
    }

    [Fact]
    public async Task ReplaceAsync_MissingDocument_CreatesIt()
    {
        await using var store = await _dir.OpenStoreAsync();

        Assert.Equal(StoreWriteResult.Written, await store.ReplaceAsync(Doc, new byte[] { 1 }));

        Assert.Equal(new byte[] { 1 }, (await store.GetAsync(Doc))!.Bytes.ToArray());
    }

    [Fact]
    public async Task ReplaceAsync_ExpectedRevisionMatches_Replaces()
    {
        await using var store = await _dir.OpenStoreAsync();
        await store.AppendAsync(Doc, new byte[] { 1 });
        await store.AppendAsync(Doc, new byte[] { 2 });
        var read = await store.GetAsync(Doc);

        var result = await store.ReplaceAsync(Doc, new byte[] { 1, 2 }, read!.Revision);

        Assert.Equal(StoreWriteResult.Written, result);
        var stored = await store.GetAsync(Doc);
        Assert.Equal(1, stored!.ChunkCount);
        Assert.Equal(read.Revision + 1, stored.Revision);
    }

    [Fact]
    public async Task ReplaceAsync_AppendHappenedSinceRead_ReturnsRevisionMismatchAndKeepsTheAppend()
    {
        await using var store = await _dir.OpenStoreAsync();
        await store.AppendAsync(Doc, new byte[] { 1 });
        var read = await store.GetAsync(Doc);
        await store.AppendAsync(Doc, new byte[] { 2 });

        var result = await store.ReplaceAsync(Doc, new byte[] { 1 }, read!.Revision);

        Assert.Equal(StoreWriteResult.RevisionMismatch, result);
        Assert.Equal(new byte[] { 1, 2 }, (await store.GetAsync(Doc))!.Bytes.ToArray());
    }

    [Fact]
    public async Task ReplaceAsync_ExpectedRevisionZero_WritesOnlyIfMissing()
    {
        await using var store = await _dir.OpenStoreAsync();

        var first = await store.ReplaceAsync(Doc, new byte[] { 1 }, expectedRevision: 0);
        var second = await store.ReplaceAsync(Doc, new byte[] { 2 }, expectedRevision: 0);

        Assert.Equal(StoreWriteResult.Written, first);
        Assert.Equal(StoreWriteResult.RevisionMismatch, second);
        Assert.Equal(new byte[] { 1 }, (await store.GetAsync(Doc))!.Bytes.ToArray());
    }

    [Fact]
    public async Task ReplaceAsync_NegativeExpectedRevision_Throws()
    {
        await using var store = await _dir.OpenStoreAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ReplaceAsync(Doc, new byte[] { 1 }, -1));
    }

    [Fact]
    public async Task AppendAsync_ChunkLargerThanLimit_ReturnsDocumentTooLargeAndWritesNothing()
    {
        await using var store = await _dir.OpenStoreAsync(o => o.MaxDocumentBytes = 10);

        var result = await store.AppendAsync(Doc, new byte[11]);

        Assert.Equal(StoreWriteResult.DocumentTooLarge, result);
        Assert.Null(await store.GetAsync(Doc));
    }

    [Fact]
    public async Task AppendAsync_TotalWouldExceedLimit_ReturnsDocumentTooLargeAndKeepsDocument()
    {
        await using var store = await _dir.OpenStoreAsync(o => o.MaxDocumentBytes = 10);
        await store.AppendAsync(Doc, new byte[6]);

        var tooMuch = await store.AppendAsync(Doc, new byte[5]);
        var exactlyFull = await store.AppendAsync(Doc, new byte[4]);
        var compacted = await store.ReplaceAsync(Doc, new byte[3]);

        Assert.Equal(StoreWriteResult.DocumentTooLarge, tooMuch);
        Assert.Equal(StoreWriteResult.Written, exactlyFull);
        Assert.Equal(StoreWriteResult.Written, compacted);
        Assert.Equal(3, (await store.GetAsync(Doc))!.Bytes.Length);
    }

    [Fact]
    public async Task ReplaceAsync_BytesLargerThanLimit_ReturnsDocumentTooLarge()
    {
        await using var store = await _dir.OpenStoreAsync(o => o.MaxDocumentBytes = 10);
        await store.AppendAsync(Doc, new byte[] { 1 });

        Assert.Equal(StoreWriteResult.DocumentTooLarge, await store.ReplaceAsync(Doc, new byte[11]));
        Assert.Equal(new byte[] { 1 }, (await store.GetAsync(Doc))!.Bytes.ToArray());
    }

    [Fact]
    public async Task ListAsync_ManyDocumentsInsertedOutOfOrder_StreamsOneCollectionOrderedById()
    {
        await using var store = await _dir.OpenStoreAsync();
        var random = new Random(7);
        // More than one internal page (64 documents) so paging is exercised.
        var ids = Enumerable.Range(0, 150).Select(i => "doc-" + i.ToString("D3")).OrderBy(_ => random.Next()).ToList();
        foreach (var id in ids)
        {
            await store.AppendAsync(DocumentKey.Create("tracks", id), System.Text.Encoding.ASCII.GetBytes(id));
            await store.AppendAsync(DocumentKey.Create("tracks", id), new byte[] { 0xFF });
        }

        await store.AppendAsync(DocumentKey.Create("beacons", "doc-000"), new byte[] { 1 });
        await store.AppendAsync(DocumentKey.Create("tracksx", "doc-000"), new byte[] { 1 });

        var listed = await store.ListAsync("tracks").ToListAsync();

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(d => d.Key.Id));
        Assert.All(listed, d => Assert.Equal("tracks", d.Key.Collection));
        Assert.All(listed, d => Assert.Equal([.. System.Text.Encoding.ASCII.GetBytes(d.Key.Id), 0xFF], d.Bytes.ToArray()));
    }

    [Fact]
    public async Task ListAsync_UnknownCollection_IsEmpty()
    {
        await using var store = await _dir.OpenStoreAsync();

        Assert.Empty(await store.ListAsync("nothing-here").ToListAsync());
    }

    [Fact]
    public async Task ListAsync_InvalidCollection_ThrowsAtTheCall()
    {
        await using var store = await _dir.OpenStoreAsync();

        Assert.Throws<ArgumentException>(() => store.ListAsync("bad collection"));
        Assert.Throws<ArgumentException>(() => store.ListAsync(""));
    }

    [Fact]
    public async Task ListKeysAsync_DocumentsInSeveralCollections_ReturnsAllOrderedByCollectionThenId()
    {
        await using var store = await _dir.OpenStoreAsync();
        var keys = new List<DocumentKey>();
        foreach (var collection in new[] { "nodes", "alerts", "tracks" })
        {
            for (var i = 0; i < 700; i++) // 2100 keys: more than two internal pages of 1000
            {
                keys.Add(DocumentKey.Create(collection, "k" + i.ToString("D4")));
            }
        }

        await Task.WhenAll(keys.Select(k => store.AppendAsync(k, new byte[] { 1 }).AsTask()));

        var listed = await store.ListKeysAsync().ToListAsync();

        var expected = keys.OrderBy(k => k.Collection, StringComparer.Ordinal).ThenBy(k => k.Id, StringComparer.Ordinal);
        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task CountAsync_DocumentsAndTombstones_CountsBoth()
    {
        await using var store = await _dir.OpenStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.AppendAsync(DocumentKey.Create("c", "d" + i), new byte[] { 1 });
        }

        await store.DeleteAsync(new Tombstone(DocumentKey.Create("c", "d0"), DateTimeOffset.UnixEpoch, 1, "node-a"));
        await store.PutTombstoneAsync(new Tombstone(DocumentKey.Create("c", "never-existed"), DateTimeOffset.UnixEpoch, 1, "node-b"));

        Assert.Equal(new StoreCounts(4, 2), await store.CountAsync());
    }

    [Fact]
    public async Task SetMetaAsync_ThenGetMetaAsync_ReturnsLatestValue()
    {
        await using var store = await _dir.OpenStoreAsync();

        Assert.Null(await store.GetMetaAsync("node.lamport"));
        await store.SetMetaAsync("node.lamport", new byte[] { 1 });
        await store.SetMetaAsync("node.lamport", new byte[] { 2, 3 });
        await store.SetMetaAsync("empty", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new byte[] { 2, 3 }, await store.GetMetaAsync("node.lamport"));
        Assert.Equal(Array.Empty<byte>(), await store.GetMetaAsync("empty"));
    }

    [Fact]
    public async Task SetMetaAsync_InvalidKeyOrTooLargeValue_Throws()
    {
        await using var store = await _dir.OpenStoreAsync(o => o.MaxDocumentBytes = 16);

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetMetaAsync("", new byte[] { 1 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetMetaAsync(new string('k', 257), new byte[] { 1 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetMetaAsync("k", new byte[17]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetMetaAsync(null!));
    }

    [Fact]
    public async Task Operations_DefaultKey_ThrowArgumentException()
    {
        await using var store = await _dir.OpenStoreAsync();
        var invalid = default(DocumentKey);

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetAsync(invalid));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(invalid, new byte[] { 1 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ReplaceAsync(invalid, new byte[] { 1 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetTombstoneAsync(invalid));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RemoveTombstoneAsync(invalid));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.DeleteAsync(new Tombstone(invalid, DateTimeOffset.UnixEpoch, 1, "n")));
        Assert.Equal(new StoreCounts(0, 0), await store.CountAsync());
    }

    [Fact]
    public async Task DeleteAsync_InvalidTombstoneFields_ThrowArgumentException()
    {
        await using var store = await _dir.OpenStoreAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.DeleteAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.DeleteAsync(new Tombstone(Doc, DateTimeOffset.UnixEpoch, 1, null!)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.DeleteAsync(new Tombstone(Doc, DateTimeOffset.UnixEpoch, 1, new string('x', 65536))));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.PutTombstoneAsync(new Tombstone(Doc, DateTimeOffset.UnixEpoch, 1, "n", new string('é', 40000))));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.PutTombstoneAsync(new Tombstone(Doc, DateTimeOffset.UnixEpoch, 1, "n", null, (TombstoneDirection)9)));
        Assert.Null(await store.GetTombstoneAsync(Doc));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
