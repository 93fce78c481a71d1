using Microsoft.Data.Sqlite;
using PeatMesh.Storage;

namespace PeatMesh.Tests.Storage;

public sealed class SqliteDocumentStoreDurabilityTests : IDisposable
{
    private static readonly DateTimeOffset Time = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAsync_Completed_IsVisibleToABrandNewConnection()
    {
        await using var store = await _dir.OpenStoreAsync();
        var key = DocumentKey.Create("tracks", "t-1");

        await store.AppendAsync(key, new byte[] { 10, 20 });
        await store.AppendAsync(key, new byte[] { 30 });

        // An unpooled connection opened now, on the file, while the store is still open.
        using var raw = new RawDatabase(_dir.DatabasePath, readOnly: true);
        using var command = raw.Connection.CreateCommand();
        command.CommandText = """
            SELECT c.bytes FROM chunks c JOIN documents d ON d.doc_id = c.doc_id
            WHERE d.collection = 'tracks' AND d.id = 't-1' ORDER BY c.ordinal
            """;
        var chunks = new List<byte[]>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                chunks.Add((byte[])reader[0]);
            }
        }

        Assert.Equal([new byte[] { 10, 20 }, new byte[] { 30 }], chunks);
    }

    [Fact]
    public async Task OpenAsync_AfterDispose_RestoresDocumentsTombstonesAndMeta()
    {
        var clock = new ManualTimeProvider(Time);
        var kept = DocumentKey.Create("platforms", "p-1");
        var deleted = DocumentKey.Create("platforms", "p-2");
        var tombstone = new Tombstone(deleted, Time, 42, "node-a", "gone", TombstoneDirection.UpOnly);
        await using (var store = await _dir.OpenStoreAsync(time: clock))
        {
            await store.AppendAsync(kept, new byte[] { 1 });
            await store.AppendAsync(kept, new byte[] { 2, 3 });
            await store.AppendAsync(deleted, new byte[] { 9 });
            await store.DeleteAsync(tombstone);
            await store.SetMetaAsync("lamport", new byte[] { 0, 0, 0, 42 });
        }

        await using var reopened = await _dir.OpenStoreAsync();

        var document = await reopened.GetAsync(kept);
        Assert.NotNull(document);
        Assert.Equal(new byte[] { 1, 2, 3 }, document.Bytes.ToArray());
        Assert.Equal(2, document.Revision);
        Assert.Equal(2, document.ChunkCount);
        Assert.Equal(Time, document.UpdatedAt);
        Assert.Null(await reopened.GetAsync(deleted));
        Assert.Equal(tombstone, await reopened.GetTombstoneAsync(deleted));
        Assert.Equal(new byte[] { 0, 0, 0, 42 }, await reopened.GetMetaAsync("lamport"));
        Assert.Equal(StoreWriteResult.Tombstoned, await reopened.AppendAsync(deleted, new byte[] { 1 }));
        Assert.Equal(new StoreCounts(1, 1), await reopened.CountAsync());
    }

    [Fact]
    public async Task AppendAsync_200ConcurrentWritersOf10Chunks_AllDurableInPerWriterOrder()
    {
        const int Writers = 200;
        const int WritesEach = 10;
        await using (var store = await _dir.OpenStoreAsync())
        {
            var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var key = DocumentKey.Create("load", "w" + w.ToString("D3"));
                for (var i = 0; i < WritesEach; i++)
                {
                    var result = await store.AppendAsync(key, new[] { (byte)w, (byte)i });
                    Assert.Equal(StoreWriteResult.Written, result);
                }
            }));
            await Task.WhenAll(tasks);

            var statistics = store.Statistics;
            Assert.Equal(Writers * WritesEach, statistics.CommittedWrites);
            Assert.Equal(0, statistics.FailedWrites);
            Assert.Equal(Writers, (await store.CountAsync()).Documents);
        }

        await using var reopened = await _dir.OpenStoreAsync();
        var documents = await reopened.ListAsync("load").ToListAsync();
        Assert.Equal(Writers, documents.Count);
        foreach (var document in documents)
        {
            var w = byte.Parse(document.Key.Id[1..]);
            var expected = Enumerable.Range(0, WritesEach).SelectMany(i => new[] { w, (byte)i }).ToArray();
            Assert.Equal(expected, document.Bytes.ToArray());
        }
    }

    [Fact]
    public async Task WriterLoop_WritesQueuedWhileWriterIsBlocked_CommitsThemInAtMostTwoTransactions()
    {
        const int Writes = 100;
        await using var store = await _dir.OpenStoreAsync();
        var before = store.Statistics;
        Assert.Equal(0, before.CommittedTransactions);

        Task<StoreWriteResult>[] pending;
        using (var writeLock = new WriteLockHolder(_dir.DatabasePath))
        {
            // The writer takes what is queued, then blocks in BEGIN IMMEDIATE until the lock is released.
            pending = Enumerable.Range(0, Writes)
                .Select(i => store.AppendAsync(DocumentKey.Create("batch", "d" + i), new[] { (byte)i }).AsTask())
                .ToArray();
            Assert.All(pending, t => Assert.False(t.IsCompleted, "a write completed while the database write lock was held elsewhere"));
        }

        var results = await Task.WhenAll(pending);

        Assert.All(results, r => Assert.Equal(StoreWriteResult.Written, r));
        var statistics = store.Statistics;
        Assert.Equal(Writes, statistics.CommittedWrites);
        Assert.InRange(statistics.CommittedTransactions, 1, 2);
        Assert.InRange(statistics.LargestBatch, Writes / 2, Writes);
        Assert.Equal(Writes, (await store.CountAsync()).Documents);
    }

    [Fact]
    public async Task AppendAsync_QueueCapacityOne_CallersWaitAndAllWritesComplete()
    {
        const int Writes = 20;
        await using var store = await _dir.OpenStoreAsync(o =>
        {
            o.WriteQueueCapacity = 1;
            o.MaxBatchSize = 1;
        });

        Task<StoreWriteResult>[] pending;
        using (var writeLock = new WriteLockHolder(_dir.DatabasePath))
        {
            pending = Enumerable.Range(0, Writes)
                .Select(i => store.AppendAsync(DocumentKey.Create("bp", "d" + i), new[] { (byte)i }).AsTask())
                .ToArray();

            // The blocked writer holds at most one write (MaxBatchSize 1) and the queue one more: the rest wait.
            var statistics = store.Statistics;
            Assert.True(statistics.BackpressureWaits >= Writes - 2, $"expected at least {Writes - 2} writers to wait for queue space, saw {statistics.BackpressureWaits}");
            Assert.InRange(statistics.QueuedWrites, 0, 1);
        }

        var results = await Task.WhenAll(pending);

        Assert.All(results, r => Assert.Equal(StoreWriteResult.Written, r));
        var keys = await store.ListKeysAsync().ToListAsync();
        Assert.Equal(Enumerable.Range(0, Writes).Select(i => "d" + i).Order(StringComparer.Ordinal), keys.Select(k => k.Id));
        Assert.Equal(Writes, store.Statistics.CommittedTransactions);
    }

    [Fact]
    public async Task AppendAsync_CancelledWhileWaitingForQueueSpace_ThrowsAndWritesNothing()
    {
        await using var store = await _dir.OpenStoreAsync(o =>
        {
            o.WriteQueueCapacity = 1;
            o.MaxBatchSize = 1;
        });
        using var cts = new CancellationTokenSource();

        Task<StoreWriteResult> first, second, cancelled;
        using (var writeLock = new WriteLockHolder(_dir.DatabasePath))
        {
            first = store.AppendAsync(DocumentKey.Create("c", "first"), new byte[] { 1 }).AsTask();
            second = store.AppendAsync(DocumentKey.Create("c", "second"), new byte[] { 2 }).AsTask();
            cancelled = store.AppendAsync(DocumentKey.Create("c", "cancelled"), new byte[] { 3 }, cts.Token).AsTask();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }

        Assert.Equal(StoreWriteResult.Written, await first);
        Assert.Equal(StoreWriteResult.Written, await second);
        Assert.Null(await store.GetAsync(DocumentKey.Create("c", "cancelled")));
    }

    [Fact]
    public async Task AppendAsync_CancelledWhileQueued_IsNotExecuted()
    {
        await using var store = await _dir.OpenStoreAsync(o => o.MaxBatchSize = 1);
        using var cts = new CancellationTokenSource();

        Task<StoreWriteResult> first, cancelled;
        using (var writeLock = new WriteLockHolder(_dir.DatabasePath))
        {
            first = store.AppendAsync(DocumentKey.Create("c", "first"), new byte[] { 1 }).AsTask();
            cancelled = store.AppendAsync(DocumentKey.Create("c", "queued"), new byte[] { 2 }, cts.Token).AsTask();
            cts.Cancel(); // the writer is stuck on "first"'s batch, so "queued" has not run
        }

        Assert.Equal(StoreWriteResult.Written, await first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Null(await store.GetAsync(DocumentKey.Create("c", "queued")));
    }

    [Fact]
    public async Task AppendAsync_AlreadyCancelledToken_ReturnsCancelledTask()
    {
        await using var store = await _dir.OpenStoreAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await store.AppendAsync(DocumentKey.Create("c", "d"), new byte[] { 1 }, new CancellationToken(canceled: true)));
        Assert.Equal(new StoreCounts(0, 0), await store.CountAsync());
    }

    [Fact]
    public async Task DisposeAsync_WritesStillQueued_CommitsThemAllBeforeClosing()
    {
        const int Writes = 100;
        var store = await _dir.OpenStoreAsync();
        Task<StoreWriteResult>[] pending;
        Task disposing;
        using (var writeLock = new WriteLockHolder(_dir.DatabasePath))
        {
            pending = Enumerable.Range(0, Writes)
                .Select(i => store.AppendAsync(DocumentKey.Create("drain", "d" + i), new[] { (byte)i }).AsTask())
                .ToArray();
            disposing = store.DisposeAsync().AsTask();
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync(DocumentKey.Create("drain", "late"), new byte[] { 1 }));
            Assert.False(disposing.IsCompleted, "dispose finished while queued writes could not commit");
        }

        await disposing;

        Assert.All(pending, t => Assert.Equal(StoreWriteResult.Written, t.Result));
        await using var reopened = await _dir.OpenStoreAsync();
        Assert.Equal(new StoreCounts(Writes, 0), await reopened.CountAsync());
    }

    [Fact]
    public async Task DisposeAsync_CalledTwice_IsIdempotentAndLaterCallsThrowObjectDisposed()
    {
        var store = await _dir.OpenStoreAsync();
        await store.AppendAsync(DocumentKey.Create("c", "d"), new byte[] { 1 });

        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetAsync(DocumentKey.Create("c", "d")));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync(DocumentKey.Create("c", "d"), new byte[] { 1 }));
        Assert.Throws<ObjectDisposedException>(() => store.ListKeysAsync());
        // Closed for real: the directory can be removed and nothing is left open on it.
        Assert.False(File.Exists(_dir.DatabasePath + "-wal"), "the WAL file should be checkpointed and removed when the last connection closes");
    }

    [Fact]
    public async Task WriterLoop_OneWriteFailsInsideTheBatch_OnlyThatWriteFaults()
    {
        await using var store = await _dir.OpenStoreAsync();
        using (var raw = new RawDatabase(_dir.DatabasePath))
        {
            raw.Execute("CREATE TRIGGER test_poison BEFORE INSERT ON documents WHEN NEW.id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned by test'); END");
        }

        Task<StoreWriteResult> good1, poison, good2;
        using (var writeLock = new WriteLockHolder(_dir.DatabasePath))
        {
            good1 = store.AppendAsync(DocumentKey.Create("c", "good1"), new byte[] { 1 }).AsTask();
            poison = store.AppendAsync(DocumentKey.Create("c", "poison"), new byte[] { 2 }).AsTask();
            good2 = store.AppendAsync(DocumentKey.Create("c", "good2"), new byte[] { 3 }).AsTask();
        }

        Assert.Equal(StoreWriteResult.Written, await good1);
        Assert.Equal(StoreWriteResult.Written, await good2);
        var error = await Assert.ThrowsAsync<SqliteException>(() => poison);
        Assert.Contains("poisoned by test", error.Message);
        Assert.Null(await store.GetAsync(DocumentKey.Create("c", "poison")));
        Assert.Equal(1, store.Statistics.FailedWrites);
        Assert.Equal(StoreWriteResult.Written, await store.AppendAsync(DocumentKey.Create("c", "after"), new byte[] { 4 }));
    }

    [Fact]
    public async Task WriterLoop_CommitFails_RetriesWriteByWriteSoOnlyTheCulpritFaults()
    {
        await using var store = await _dir.OpenStoreAsync();
        using (var raw = new RawDatabase(_dir.DatabasePath))
        {
            // A deferred foreign-key violation is only detected at COMMIT, failing the whole transaction.
            raw.Execute("CREATE TABLE test_guard (ref INTEGER REFERENCES documents (doc_id) DEFERRABLE INITIALLY DEFERRED)");
            raw.Execute("CREATE TRIGGER test_fail_commit AFTER INSERT ON node_meta WHEN NEW.key = 'fail-commit' BEGIN INSERT INTO test_guard (ref) VALUES (-1); END");
        }

        Task<StoreWriteResult> good1, good2;
        Task bad;
        using (var writeLock = new WriteLockHolder(_dir.DatabasePath))
        {
            good1 = store.AppendAsync(DocumentKey.Create("c", "good1"), new byte[] { 1 }).AsTask();
            bad = store.SetMetaAsync("fail-commit", new byte[] { 2 }).AsTask();
            good2 = store.AppendAsync(DocumentKey.Create("c", "good2"), new byte[] { 3 }).AsTask();
        }

        Assert.Equal(StoreWriteResult.Written, await good1);
        Assert.Equal(StoreWriteResult.Written, await good2);
        var error = await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.Contains("FOREIGN KEY", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await store.GetMetaAsync("fail-commit"));
        Assert.NotNull(await store.GetAsync(DocumentKey.Create("c", "good1")));
        Assert.NotNull(await store.GetAsync(DocumentKey.Create("c", "good2")));
        var statistics = store.Statistics;
        Assert.True(statistics.FailedTransactions >= 1, "the failed commit should be counted");
        Assert.Equal(1, statistics.FailedWrites);
        await store.SetMetaAsync("fine", new byte[] { 5 });
        Assert.Equal(new byte[] { 5 }, await store.GetMetaAsync("fine"));
    }

    [Fact]
    public async Task WriterLoop_LockHeldLongerThanBusyTimeout_FaultsTheBatchAndRecovers()
    {
        await using var store = await _dir.OpenStoreAsync(o => o.BusyTimeout = TimeSpan.FromSeconds(1));

        using (var writeLock = new WriteLockHolder(_dir.DatabasePath))
        {
            var error = await Assert.ThrowsAsync<SqliteException>(async () =>
                await store.AppendAsync(DocumentKey.Create("c", "locked-out"), new byte[] { 1 }));
            Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY: "database is locked"
        }

        Assert.Equal(1, store.Statistics.FailedTransactions);
        Assert.Equal(StoreWriteResult.Written, await store.AppendAsync(DocumentKey.Create("c", "after"), new byte[] { 2 }));
        Assert.Null(await store.GetAsync(DocumentKey.Create("c", "locked-out")));
    }

    [Fact]
    public async Task ReadsDuringWrites_SeeOnlyWholeDocuments()
    {
        await using var store = await _dir.OpenStoreAsync();
        var key = DocumentKey.Create("c", "growing");
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await store.AppendAsync(key, new byte[] { (byte)i, (byte)i });
            }
        });

        var reads = 0;
        while (!writer.IsCompleted || reads == 0)
        {
            var document = await store.GetAsync(key);
            if (document is not null)
            {
                // Every snapshot is a prefix of whole chunks: even length, pairs equal, in order.
                var bytes = document.Bytes.ToArray();
                Assert.Equal(document.ChunkCount * 2, bytes.Length);
                for (var i = 0; i < bytes.Length; i += 2)
                {
                    Assert.Equal((byte)(i / 2), bytes[i]);
                    Assert.Equal(bytes[i], bytes[i + 1]);
                }
            }

            reads++;
        }

        await writer;
        Assert.Equal(200, (await store.GetAsync(key))!.ChunkCount);
    }
}
