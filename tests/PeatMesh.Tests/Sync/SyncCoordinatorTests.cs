using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Hosting;
using PeatMesh.Storage;
using PeatMesh.Sync;
using PeatMesh.Testing;
using PeatMesh.Testing.InProcess;

namespace PeatMesh.Tests.Sync;

/// <summary>Document sync between real node compositions over the in-memory transport.</summary>
public class SyncCoordinatorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static DocumentKey Key(string id) => DocumentKey.Create("cities", id);

    private static Task WaitForDocumentAsync(MeshNode node, DocumentKey key, Func<JsonObject?, bool> condition, string step) =>
        Wait.UntilAsync(async () => condition(await node.Documents.GetAsync(key)), Deadline, $"{step} on {node.NodeId}");

    [Fact]
    public async Task Put_OnOneNode_ReachesEveryNodeIdentically()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        await Wait.UntilAsync(() => cluster.IsFullyConnected, Deadline, "full mesh");

        var result = await cluster.Nodes[0].Documents.PutAsync(Key("oslo"), Json("""{"name":"Oslo","population":709037,"tags":["capital"]}"""));
        Assert.Equal(DocumentWriteStatus.Created, result.Status);

        foreach (var node in cluster.Nodes.Skip(1))
        {
            await WaitForDocumentAsync(node, Key("oslo"), d => JsonNode.DeepEquals(d, result.Document), "oslo replicated");
        }
    }

    [Fact]
    public async Task ConcurrentWrites_DifferentFields_MergeEverywhere()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        await Wait.UntilAsync(() => cluster.IsFullyConnected, Deadline, "full mesh");
        await cluster.Nodes[0].Documents.PutAsync(Key("bergen"), Json("""{"name":"Bergen"}"""));
        foreach (var node in cluster.Nodes)
        {
            await WaitForDocumentAsync(node, Key("bergen"), d => d is not null, "bergen replicated");
        }

        await Task.WhenAll(
            cluster.Nodes[0].Documents.PatchAsync(Key("bergen"), Json("""{"a":1}""")),
            cluster.Nodes[1].Documents.PatchAsync(Key("bergen"), Json("""{"b":2}""")),
            cluster.Nodes[2].Documents.PatchAsync(Key("bergen"), Json("""{"c":3,"name":null}""")));

        var expected = JsonNode.Parse("""{"a":1,"b":2,"c":3,"_id":"bergen"}""");
        foreach (var node in cluster.Nodes)
        {
            await WaitForDocumentAsync(node, Key("bergen"), d => JsonNode.DeepEquals(d, expected), "patches merged");
        }
    }

    [Fact]
    public async Task Delete_ReplicatesTombstone_AndBlocksLaterWritesEverywhere()
    {
        await using var cluster = await InProcessCluster.StartAsync(2);
        await Wait.UntilAsync(() => cluster.IsFullyConnected, Deadline, "full mesh");
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await a.Documents.PutAsync(Key("vila"), Json("""{"name":"Vila"}"""));
        await WaitForDocumentAsync(b, Key("vila"), d => d is not null, "vila replicated");

        Assert.Equal(DocumentWriteStatus.Updated, await b.Documents.DeleteAsync(Key("vila")));

        await WaitForDocumentAsync(a, Key("vila"), d => d is null, "delete replicated");
        var tombstone = await a.Store.GetTombstoneAsync(Key("vila"));
        Assert.NotNull(tombstone);
        Assert.Equal(b.NodeId, tombstone.DeletedBy);
        Assert.Equal(DocumentWriteStatus.Deleted, (await a.Documents.PutAsync(Key("vila"), Json("""{"name":"again"}"""))).Status);
        Assert.Equal(DocumentWriteStatus.Deleted, await a.Documents.DeleteAsync(Key("vila")));
    }

    [Fact]
    public async Task AntiEntropy_DocumentThatNoPushAnnounced_StillConverges()
    {
        var time = new ManualTimeProvider();
        await using var cluster = await InProcessCluster.StartAsync(2, time, (_, o) =>
        {
            o.Peers.Connection.HeartbeatInterval = Timeout.InfiniteTimeSpan;
            o.Sync.AntiEntropyInterval = TimeSpan.FromSeconds(30);
        });
        await Wait.UntilAsync(() => cluster.IsFullyConnected, Deadline, "full mesh");
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);

        // Write a valid Automerge document straight into A's store: no event, so no push to B.
        var source = new Automerge.AutomergeDocument();
        using (var tx = source.BeginTransaction())
        {
            tx.Put(Automerge.Model.ObjId.Root, "name", Automerge.Model.ScalarValue.Str("Hidden"));
            tx.Commit();
        }

        Assert.Equal(StoreWriteResult.Written, await a.Store.AppendAsync(Key("hidden"), source.Save()));
        Assert.NotNull(await a.Documents.GetAsync(Key("hidden")));
        Assert.Null(await b.Documents.GetAsync(Key("hidden")));

        await Wait.UntilAsync(() => time.ActiveTimers >= 2, Deadline, "anti-entropy timers armed");
        time.Advance(TimeSpan.FromSeconds(30));

        await WaitForDocumentAsync(b, Key("hidden"), d => (string?)d?["name"] == "Hidden", "anti-entropy delivers the document");
    }

    [Fact]
    public async Task Restart_NodeOffline_CatchesUpOnReconnect()
    {
        await using var cluster = await InProcessCluster.StartAsync(2);
        await Wait.UntilAsync(() => cluster.IsFullyConnected, Deadline, "full mesh");
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await a.Documents.PutAsync(Key("before"), Json("""{"n":1}"""));
        await WaitForDocumentAsync(b, Key("before"), d => d is not null, "first document");

        // Drop the link; writes on both sides while apart; the peer manager redials and they converge.
        await a.Peers.Connections.Single().CloseAsync("partition");
        await a.Documents.PutAsync(Key("on-a"), Json("""{"side":"a"}"""));
        await b.Documents.PutAsync(Key("on-b"), Json("""{"side":"b"}"""));
        await a.Documents.PatchAsync(Key("before"), Json("""{"n":2}"""));

        await WaitForDocumentAsync(b, Key("on-a"), d => d is not null, "a's write after the partition");
        await WaitForDocumentAsync(a, Key("on-b"), d => d is not null, "b's write after the partition");
        await WaitForDocumentAsync(b, Key("before"), d => (long?)d?["n"] == 2, "a's patch after the partition");
    }
}
