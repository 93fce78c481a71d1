using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>Peer exchange, hop counts and member health between real node processes.</summary>
public sealed class MembershipTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [Fact]
    public async Task Chain_FiveNodesGivenOnlyNeighbours_ConvergeAndTopologyListsAllWithHopCounts()
    {
        var mesh = await StartMeshAsync(5, o =>
        {
            o.PeersOf = (i, n) => new[] { i - 1, i + 1 }.Where(j => j >= 0 && j < n);
            o.Environment["PEAT_CONNECTION_TARGET"] = "0";
            o.Environment["PEAT_HEARTBEAT_INTERVAL_SECS"] = "1";
        });
        var clients = mesh.Nodes.Select(Client).ToArray();

        for (var i = 0; i < 5; i++)
        {
            var index = i;
            await Wait.UntilAsync(async () =>
            {
                var members = (await clients[index].GetObjectAsync("topology"))["members"]!.AsArray();
                return members.Count == 5 && members.All(m => (int?)m!["hops"] == Math.Abs(index - (int.Parse(((string)m["node_id"]!)[2..], System.Globalization.CultureInfo.InvariantCulture) - 1)));
            }, SyncTimeout, $"n-{i + 1} lists all 5 members with chain hop counts");
        }

        // Only its neighbour is connected: a connection target of 0 keeps the chain a chain.
        await Wait.UntilAsync(async () => (await clients[0].PeerNodeIdsAsync()).SequenceEqual(["n-2"]), SyncTimeout, "n-1 connected to n-2 only");
        await clients[0].PutAsync("cities", "left", new JsonObject { ["name"] = "Left end" });
        await clients[4].PutAsync("cities", "right", new JsonObject { ["name"] = "Right end" });
        foreach (var client in clients)
        {
            await Wait.UntilAsync(async () => await client.GetDocumentAsync("cities", "left") is not null && await client.GetDocumentAsync("cities", "right") is not null,
                SyncTimeout, $"{client.BaseUrl} has both ends' documents");
        }

        await Wait.UntilAsync(async () => (string)(await clients[2].GetObjectAsync("topology"))["state"]! == "connected", SyncTimeout,
            "n-3 reports a connected mesh");
    }

    [Fact]
    public async Task KilledNode_TurnsSuspectThenDead_HealthyAfterRestart()
    {
        var mesh = await StartMeshAsync(3, o => o.Environment["PEAT_HEARTBEAT_INTERVAL_SECS"] = "0.5");
        await WaitForFullMeshAsync(mesh);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(mesh.Nodes[0].BrokerUrl.ToString().Replace("http", "ws", StringComparison.Ordinal) + "api/v1/ws"), CancellationToken.None);
        var states = new List<string>();
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var e = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!;
                if ((string?)e["type"] == "member_changed" && (string?)e["node_id"] == "n-3")
                {
                    lock (states)
                    {
                        states.Add((string)e["state"]!);
                    }
                }
            }
        });

        await mesh.Nodes[2].KillAsync();
        await Wait.UntilAsync(() => { lock (states) { return states.Contains("dead"); } }, SyncTimeout, "n-3 reported dead after SIGKILL");
        lock (states)
        {
            Assert.True(states.IndexOf("suspect") >= 0 && states.IndexOf("suspect") < states.IndexOf("dead"), "suspect before dead: " + string.Join(",", states));
        }

        var topology = await Client(mesh.Nodes[0]).GetObjectAsync("topology");
        Assert.Equal("partitioned", (string)topology["state"]!);

        mesh.Nodes[2].Start();
        await mesh.Nodes[2].WaitUntilReadyAsync(ReadyTimeout);
        await Wait.UntilAsync(() => { lock (states) { return states.Count > 0 && states[^1] == "healthy"; } }, SyncTimeout, "n-3 healthy again after restart");
        await Wait.UntilAsync(async () => (string)(await Client(mesh.Nodes[0]).GetObjectAsync("topology"))["state"]! == "connected", SyncTimeout, "mesh connected again");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Wait.ForAsync(reader, SyncTimeout, "socket closes");
    }
}
