using PeatMesh.Storage;

namespace PeatMesh.Tests.Storage;

public sealed class SqliteDocumentStoreTombstoneTests : IDisposable
{
    private static readonly DocumentKey Doc = DocumentKey.Create("nodes", "node-7");
    private static readonly DateTimeOffset Time = new(2025, 6, 1, 8, 30, 15, 250, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DeleteAsync_ExistingDocument_RemovesBytesAndStoresTombstone()
    {
        await using var store = await _dir.OpenStoreAsync();
        await store.AppendAsync(Doc, new byte[] { 1, 2 });
        await store.AppendAsync(Doc, new byte[] { 3 });
        var tombstone = new Tombstone(Doc, Time, 5, "node-a", "operator request", TombstoneDirection.SystemWide);

        var result = await store.DeleteAsync(tombstone);

        Assert.Equal(TombstoneWriteResult.Stored, result);
        Assert.Null(await store.GetAsync(Doc));
        Assert.Equal(tombstone, await store.GetTombstoneAsync(Doc));
        Assert.Empty(await store.ListKeysAsync().ToListAsync());
        using var raw = new RawDatabase(_dir.DatabasePath, readOnly: true);
        Assert.Equal(0L, raw.Scalar("SELECT count(*) FROM chunks"));
    }

    [Fact]
    public async Task GetTombstoneAsync_AllFieldsAtTheirLimits_RoundTrip()
    {
        await using var store = await _dir.OpenStoreAsync();
        var maxLamport = new Tombstone(Doc, Time, ulong.MaxValue, "node-\u00e9", null, TombstoneDirection.DownOnly);
        var other = DocumentKey.Create("cells", "c~1:@x");
        var withSubMillisecond = new Tombstone(other, Time.AddTicks(5_678), 0, string.Empty, "r", TombstoneDirection.UpOnly);

        await store.PutTombstoneAsync(maxLamport);
        await store.PutTombstoneAsync(withSubMillisecond);

        Assert.Equal(maxLamport, await store.GetTombstoneAsync(Doc));
        var stored = await store.GetTombstoneAsync(other);
        Assert.Equal(withSubMillisecond with { DeletedAt = Time }, stored); // stored at millisecond precision
        Assert.Equal(TimeSpan.Zero, stored!.DeletedAt.Offset);
    }

    [Fact]
    public async Task AppendAsync_TombstonedKey_ReturnsTombstonedAndDoesNotResurrect()
    {
        await using var store = await _dir.OpenStoreAsync();
        await store.AppendAsync(Doc, new byte[] { 1 });
        await store.DeleteAsync(new Tombstone(Doc, Time, 1, "node-a"));

        var append = await store.AppendAsync(Doc, new byte[] { 2 });
        var replace = await store.ReplaceAsync(Doc, new byte[] { 3 });
        var conditional = await store.ReplaceAsync(Doc, new byte[] { 3 }, expectedRevision: 0);
        var empty = await store.AppendAsync(Doc, ReadOnlyMemory<byte>.Empty);

        Assert.Equal(StoreWriteResult.Tombstoned, append);
        Assert.Equal(StoreWriteResult.Tombstoned, replace);
        Assert.Equal(StoreWriteResult.Tombstoned, conditional);
        Assert.Equal(StoreWriteResult.Tombstoned, empty);
        Assert.Null(await store.GetAsync(Doc));
        Assert.Equal(new StoreCounts(0, 1), await store.CountAsync());
    }

    [Fact]
    public async Task PutTombstoneAsync_HigherLamport_ReplacesStoredTombstone()
    {
        await using var store = await _dir.OpenStoreAsync();
        var older = new Tombstone(Doc, Time, 3, "node-z");
        var newer = new Tombstone(Doc, Time.AddMinutes(-5), 4, "node-a"); // wall clock is not used

        Assert.Equal(TombstoneWriteResult.Stored, await store.PutTombstoneAsync(older));
        Assert.Equal(TombstoneWriteResult.Stored, await store.PutTombstoneAsync(newer));

        Assert.Equal(newer, await store.GetTombstoneAsync(Doc));
    }

    [Fact]
    public async Task PutTombstoneAsync_LowerLamport_IsSupersededAndKeepsStored()
    {
        await using var store = await _dir.OpenStoreAsync();
        var newer = new Tombstone(Doc, Time, 10, "node-a");
        var older = new Tombstone(Doc, Time.AddHours(1), 9, "node-z", "late");

        await store.DeleteAsync(newer);
        var result = await store.PutTombstoneAsync(older);

        Assert.Equal(TombstoneWriteResult.Superseded, result);
        Assert.Equal(newer, await store.GetTombstoneAsync(Doc));
    }

    [Fact]
    public async Task PutTombstoneAsync_EqualLamport_GreaterDeletedByWinsInEitherOrder()
    {
        await using var storeA = await _dir.OpenStoreAsync();
        var fromA = new Tombstone(Doc, Time, 7, "node-a");
        var fromB = new Tombstone(Doc, Time, 7, "node-b");
        var other = DocumentKey.Create("nodes", "node-8");

        // Order 1: a then b; order 2 (another key): b then a. Both converge on node-b.
        var a1 = await storeA.PutTombstoneAsync(fromA);
        var b1 = await storeA.PutTombstoneAsync(fromB);
        var b2 = await storeA.PutTombstoneAsync(fromB with { Key = other });
        var a2 = await storeA.PutTombstoneAsync(fromA with { Key = other });

        Assert.Equal([TombstoneWriteResult.Stored, TombstoneWriteResult.Stored, TombstoneWriteResult.Stored, TombstoneWriteResult.Superseded], new[] { a1, b1, b2, a2 });
        Assert.Equal("node-b", (await storeA.GetTombstoneAsync(Doc))!.DeletedBy);
        Assert.Equal("node-b", (await storeA.GetTombstoneAsync(other))!.DeletedBy);
    }

    [Fact]
    public async Task PutTombstoneAsync_SameTombstoneTwice_SecondIsSuperseded()
    {
        await using var store = await _dir.OpenStoreAsync();
        var tombstone = new Tombstone(Doc, Time, 2, "node-a");

        Assert.Equal(TombstoneWriteResult.Stored, await store.PutTombstoneAsync(tombstone));
        Assert.Equal(TombstoneWriteResult.Superseded, await store.PutTombstoneAsync(tombstone));
    }

    [Fact]
    public async Task PutTombstoneAsync_LamportAboveSignedRange_ComparesAsUnsigned()
    {
        await using var store = await _dir.OpenStoreAsync();
        var big = new Tombstone(Doc, Time, (ulong)long.MaxValue + 1, "node-a"); // negative if read as signed
        var small = new Tombstone(Doc, Time, long.MaxValue, "node-z");

        await store.PutTombstoneAsync(big);

        Assert.Equal(TombstoneWriteResult.Superseded, await store.PutTombstoneAsync(small));
        Assert.Equal(big, await store.GetTombstoneAsync(Doc));
    }

    [Fact]
    public async Task PutTombstoneAsync_DocumentExists_RemovesItLikeDelete()
    {
        await using var store = await _dir.OpenStoreAsync();
        await store.AppendAsync(Doc, new byte[] { 1 });

        await store.PutTombstoneAsync(new Tombstone(Doc, Time, 1, "peer"));

        Assert.Null(await store.GetAsync(Doc));
    }

    [Fact]
    public async Task RemoveTombstoneAsync_ThenAppend_WritesAgain()
    {
        await using var store = await _dir.OpenStoreAsync();
        await store.DeleteAsync(new Tombstone(Doc, Time, 1, "node-a"));

        var removed = await store.RemoveTombstoneAsync(Doc);
        var removedAgain = await store.RemoveTombstoneAsync(Doc);
        var append = await store.AppendAsync(Doc, new byte[] { 4 });

        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Equal(StoreWriteResult.Written, append);
        Assert.Equal(new byte[] { 4 }, (await store.GetAsync(Doc))!.Bytes.ToArray());
    }

    [Fact]
    public async Task PurgeTombstonesAsync_Cutoff_RemovesOnlyStrictlyOlder()
    {
        await using var store = await _dir.OpenStoreAsync();
        var cutoff = Time;
        await store.PutTombstoneAsync(new Tombstone(DocumentKey.Create("c", "old"), cutoff.AddMilliseconds(-1), 1, "n"));
        await store.PutTombstoneAsync(new Tombstone(DocumentKey.Create("c", "edge"), cutoff, 1, "n"));
        await store.PutTombstoneAsync(new Tombstone(DocumentKey.Create("c", "new"), cutoff.AddDays(1), 1, "n"));

        var purged = await store.PurgeTombstonesAsync(cutoff);

        Assert.Equal(1, purged);
        Assert.Equal(["edge", "new"], (await store.ListTombstonesAsync().ToListAsync()).Select(t => t.Key.Id));
    }

    [Fact]
    public async Task ListTombstonesAsync_ManyTombstones_ReturnsAllOrderedByKey()
    {
        await using var store = await _dir.OpenStoreAsync();
        var random = new Random(3);
        var keys = Enumerable.Range(0, 1200).Select(i => DocumentKey.Create(i % 2 == 0 ? "b" : "a", "t" + i.ToString("D4"))).ToList();
        await Task.WhenAll(keys.OrderBy(_ => random.Next()).Select(k =>
            store.PutTombstoneAsync(new Tombstone(k, Time, (ulong)k.Id.Length, "node-" + k.Collection)).AsTask()));

        var listed = await store.ListTombstonesAsync().ToListAsync();

        Assert.Equal(keys.OrderBy(k => k.Collection, StringComparer.Ordinal).ThenBy(k => k.Id, StringComparer.Ordinal), listed.Select(t => t.Key));
        Assert.All(listed, t => Assert.Equal("node-" + t.Key.Collection, t.DeletedBy));
    }
}
