using PeatMesh.Diagnostics;
using PeatMesh.Storage;

namespace PeatMesh.Tests.Storage;

/// <summary>
/// <see cref="SqliteDocumentStore.Counts"/> (maintained by the writer, feeding <c>peat_documents</c>/<c>peat_tombstones</c>)
/// always equals the queried <see cref="SqliteDocumentStore.CountAsync"/>; the write histograms count every commit.
/// </summary>
public sealed class SqliteDocumentStoreCountsTests : IDisposable
{
    private static readonly DateTimeOffset Time = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Counts_AfterEveryKindOfWrite_EqualTheQueriedCounts()
    {
        var random = new Random(5150);
        await using (var store = await _dir.OpenStoreAsync())
        {
            for (var step = 0; step < 400; step++)
            {
                var key = DocumentKey.Create("c", "d" + random.Next(30));
                var operation = random.Next(7);
                switch (operation)
                {
                    case 0 or 1:
                        await store.AppendAsync(key, new byte[] { (byte)step });
                        break;
                    case 2:
                        await store.ReplaceAsync(key, new byte[] { 1, 2 });
                        break;
                    case 3:
                        await store.DeleteAsync(new Tombstone(key, Time.AddSeconds(step), (ulong)step, "n"));
                        break;
                    case 4:
                        // Older than what may be stored: superseded (no change), or stored when new.
                        await store.PutTombstoneAsync(new Tombstone(key, Time, 0, "n"));
                        break;
                    case 5:
                        await store.RemoveTombstoneAsync(key);
                        break;
                    default:
                        await store.PurgeTombstonesAsync(Time.AddSeconds(step - 50));
                        break;
                }

                Assert.True(await store.CountAsync() == store.Counts, $"step {step} (operation {operation}): cached {store.Counts}, queried {await store.CountAsync()}");
            }
        }

        await using var reopened = await _dir.OpenStoreAsync();
        Assert.Equal(await reopened.CountAsync(), reopened.Counts);
    }

    [Fact]
    public async Task Counts_ConcurrentWritesInGroupCommits_EqualTheQueriedCounts()
    {
        await using var store = await _dir.OpenStoreAsync();
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => store.AppendAsync(DocumentKey.Create("c", "d" + (i % 120)), new byte[] { 1 }).AsTask()));
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => store.DeleteAsync(new Tombstone(DocumentKey.Create("c", "d" + (i * 2)), Time, 1, "n")).AsTask()));

        Assert.Equal(new StoreCounts(80, 40), await store.CountAsync());
        Assert.Equal(new StoreCounts(80, 40), store.Counts);
        Assert.True(store.Statistics.LargestBatch > 1, "the writes should have shared group commits");
    }

    [Fact]
    public async Task Metrics_EveryCommittedWrite_IsTimedAndEveryCommitSized()
    {
        using var metrics = new MeshMetrics();
        using var exporter = new PrometheusMetricsExporter(metrics.Meter);
        await using var store = await SqliteDocumentStore.OpenAsync(new StorageOptions { DataDirectory = _dir.Path }, null, null, metrics, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.AppendAsync(DocumentKey.Create("c", "d" + i), new byte[] { 1 }).AsTask()));
        await store.SetMetaAsync("k", new byte[] { 1 });

        var scrape = PrometheusScrape.Parse(exporter.Collect());
        var statistics = store.Statistics;
        Assert.Equal(51, statistics.CommittedWrites);
        Assert.Equal(statistics.CommittedWrites, scrape.Value("peat_storage_write_duration_seconds_count"));
        Assert.Equal(statistics.CommittedTransactions, scrape.Value("peat_storage_batch_size_count"));
        Assert.Equal(statistics.CommittedWrites, scrape.Value("peat_storage_batch_size_sum"));
        Assert.True(scrape.Value("peat_storage_write_duration_seconds_sum") > 0);
    }
}
