using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Automerge.Model;
using PeatMesh.Storage;
using PeatMesh.Sync;

namespace PeatMesh.Tests.Sync;

/// <summary>The document service over a real store: durability, JSON semantics, compaction.</summary>
public sealed class DocumentServiceTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("peat-docs-").FullName;
    private readonly ActorId _actor = ActorId.Random();
    private SqliteDocumentStore _store = null!;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private DocumentService NewService(SyncOptions? options = null) =>
        new(_store, _actor, "node", new LamportClock(), options ?? new SyncOptions(), TimeProvider.System, NullLogger.Instance);

    public async Task InitializeAsync() => _store = await SqliteDocumentStore.OpenAsync(new StorageOptions { DataDirectory = _dir });

    [Fact]
    public async Task Persist_ManyWrites_CompactsStoredChunksAndReloadsIdentically()
    {
        var service = NewService(new SyncOptions { CompactAfterChunks = 8 });
        await service.InitializeAsync();
        var key = DocumentKey.Create("counters", "c1");
        await service.PutAsync(key, Json("""{"n":0}"""));
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(DocumentWriteStatus.Updated, (await service.PatchAsync(key, Json($$"""{"n":{{i}},"k{{i}}":"v"}"""))).Status);
            Assert.InRange((await _store.GetAsync(key))!.ChunkCount, 1, 7);
        }

        var expected = await service.GetAsync(key);
        var reloaded = NewService();
        await reloaded.InitializeAsync();
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected, await reloaded.GetAsync(key)));
        Assert.Equal(20, (long)expected!["n"]!);
    }

    [Fact]
    public async Task Put_UnchangedContent_WritesNothing()
    {
        var service = NewService();
        await service.InitializeAsync();
        var key = DocumentKey.Create("cities", "same");
        await service.PutAsync(key, Json("""{"name":"Same","tags":["a","b"]}"""));
        var before = await _store.GetAsync(key);

        Assert.Equal(DocumentWriteStatus.Updated, (await service.PutAsync(key, Json("""{"tags":["a","b"],"name":"Same","_id":"same"}"""))).Status);

        var after = await _store.GetAsync(key);
        Assert.Equal(before!.Revision, after!.Revision);
    }

    [Fact]
    public async Task Put_OverLimit_ReportsTooLargeAndKeepsPreviousContent()
    {
        var service = NewService(new SyncOptions { MaxDocumentBytes = 64 });
        await service.InitializeAsync();
        var key = DocumentKey.Create("cities", "small");
        await service.PutAsync(key, Json("""{"name":"Small"}"""));

        var result = await service.PatchAsync(key, Json($$"""{"blob":"{{new string('x', 100)}}"}"""));

        Assert.Equal(DocumentWriteStatus.TooLarge, result.Status);
        Assert.Equal("Small", (string?)(await service.GetAsync(key))!["name"]);
        Assert.False((await service.GetAsync(key))!.ContainsKey("blob"));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
