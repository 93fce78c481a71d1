using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>Acknowledged writes survive SIGKILL; restarts restore documents, tombstones and identity.</summary>
public sealed class DurabilityTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [Fact]
    public async Task Kill9_WhileAcceptingWrites_EveryAcknowledgedWriteSurvivesAndNodeCatchesUp()
    {
        var mesh = await StartMeshAsync(3);
        await WaitForFullMeshAsync(mesh);
        var victim = mesh.Nodes[1];
        var clients = mesh.Nodes.Select(Client).ToArray();
        var acknowledged = new ConcurrentBag<string>();
        var cities = Cities.Take(3000, skip: 5000);

        // Eight writers hammer the victim; it is killed while they run.
        using var stopWriting = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < cities.Count && !stopWriting.IsCancellationRequested; i += 8)
            {
                try
                {
                    var (status, _) = await clients[1].PutAsync("cities", cities[i].Id, cities[i].Document);
                    if (status == HttpStatusCode.Created)
                    {
                        acknowledged.Add(cities[i].Id);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the node is gone
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        })).ToArray();

        await Wait.UntilAsync(() => acknowledged.Count >= 200, SyncTimeout, "victim acknowledges 200 writes");
        await victim.KillAsync();
        await stopWriting.CancelAsync();
        await Task.WhenAll(writers);
        var acked = acknowledged.ToHashSet();
        Output.WriteLine($"{acked.Count} writes acknowledged before SIGKILL");

        // While the victim is down, the others take new writes it must catch up on.
        var missed = Cities.Take(50, skip: 9000);
        foreach (var (id, document) in missed)
        {
            Assert.Equal(HttpStatusCode.Created, (await clients[0].PutAsync("cities", id, document)).Status);
        }

        victim.Start();
        await victim.WaitUntilReadyAsync(ReadyTimeout);
        var afterRestart = await clients[1].ListAsync("cities");
        var lost = acked.Where(id => !afterRestart.ContainsKey(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes lost after SIGKILL, e.g. {string.Join(",", lost.Take(5))}");

        var expected = acked.Concat(missed.Select(m => m.Id)).ToHashSet();
        foreach (var client in clients)
        {
            await Wait.UntilAsync(async () => expected.IsSubsetOf((await client.ListAsync("cities")).Keys), SyncTimeout,
                $"{client.BaseUrl} holds every acknowledged and missed write");
        }
    }

    [Fact]
    public async Task Restart_Graceful_RestoresDocumentsTombstonesAndIdentity()
    {
        var mesh = await StartMeshAsync(1);
        var node = mesh.Nodes[0];
        var client = Client(node);
        var identity = await client.GetObjectAsync("node");
        await client.PutAsync("cities", "keep", new JsonObject { ["name"] = "Keep", ["n"] = 1 });
        await client.PutAsync("cities", "drop", new JsonObject { ["name"] = "Drop" });
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("cities", "drop")).Status);

        Assert.Equal(0, await node.StopAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(node.RecentOutput, l => l.Contains("peat-mesh-node stopped", StringComparison.Ordinal));
        node.Start();
        await node.WaitUntilReadyAsync(ReadyTimeout);

        var restarted = await client.GetObjectAsync("node");
        Assert.Equal((string)identity["device_id"]!, (string)restarted["device_id"]!);
        Assert.Equal("Keep", (string)(await client.GetDocumentAsync("cities", "keep"))!["name"]!);
        Assert.Null(await client.GetDocumentAsync("cities", "drop"));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PutAsync("cities", "drop", new JsonObject { ["name"] = "Drop" })).Status);
    }
}
