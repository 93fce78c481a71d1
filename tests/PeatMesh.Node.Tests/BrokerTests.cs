using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>The broker's contract on a real node: shapes, errors, WebSocket events.</summary>
public sealed class BrokerTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [Fact]
    public async Task ReadRoutes_ReturnReferenceShapes()
    {
        var mesh = await StartMeshAsync(2);
        await WaitForFullMeshAsync(mesh);
        var client = Client(mesh.Nodes[0]);

        var health = await client.GetObjectAsync("health");
        Assert.Equal("healthy", (string)health["status"]!);
        Assert.Equal("n-1", (string)health["node_id"]!);

        var ready = await client.GetObjectAsync("ready");
        Assert.True((bool)ready["ready"]!);
        Assert.NotEmpty(ready["checks"]!.AsArray());

        var node = await client.GetObjectAsync("node");
        Assert.Equal("n-1", (string)node["node_id"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)node["device_id"]!);
        Assert.Equal(int.Parse(mesh.Nodes[0].Options.Environment["PEAT_MESH_PORT"], System.Globalization.CultureInfo.InvariantCulture), (int)node["mesh_port"]!);
        Assert.Equal(mesh.Nodes[0].BrokerUrl.Port, (int)node["broker_port"]!);
        Assert.True((long)node["uptime_secs"]! >= 0);
        Assert.False(string.IsNullOrEmpty((string)node["version"]!));

        var peers = await client.GetObjectAsync("peers");
        Assert.Equal(1, (int)peers["count"]!);
        var peer = peers["peers"]![0]!.AsObject();
        Assert.Equal("n-2", (string)peer["node_id"]!);
        Assert.Equal("127.0.0.1:" + mesh.Nodes[1].Options.Environment["PEAT_MESH_PORT"], (string)peer["address"]!);
        foreach (var field in new[] { "device_id", "connected_since", "rtt_ms", "state" })
        {
            Assert.True(peer.ContainsKey(field), "peer lacks " + field);
        }

        var single = await client.GetObjectAsync("peers/n-2");
        Assert.Equal((string)peer["device_id"]!, (string)single["device_id"]!);
        var topology = await client.GetObjectAsync("topology");
        Assert.Equal("connected", (string)topology["state"]!);
        Assert.Equal(2, topology["members"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("PUT", "documents/cities/x", "{\"name\": ", "application/json", 400, "malformed JSON")]
    [InlineData("PUT", "documents/cities/x", "[1,2,3]", "application/json", 400, "JSON object")]
    [InlineData("PUT", "documents/cities/x", "{\"name\":\"x\"}", "text/plain", 415, "Content-Type")]
    [InlineData("PUT", "documents/cities/x", "{\"name\":\"x\"}", "", 415, "Content-Type")]
    [InlineData("PUT", "documents/bad%20name/x", "{}", "application/json", 400, "invalid collection")]
    [InlineData("PUT", "documents/cities/bad%2Fid", "{}", "application/json", 400, "invalid document id")]
    [InlineData("PATCH", "documents/cities/missing", "{\"a\":1}", "application/merge-patch+json", 404, "document not found")]
    [InlineData("GET", "documents/cities/missing", null, null, 404, "document not found: cities/missing")]
    [InlineData("DELETE", "documents/cities/missing", null, null, 404, "document not found")]
    [InlineData("GET", "peers/nobody", null, null, 404, "peer not found: nobody")]
    [InlineData("GET", "no/such/route", null, null, 404, "no such route")]
    public async Task BadRequests_GetClearJsonErrors(string method, string path, string? body, string? contentType, int status, string message)
    {
        var mesh = await StartMeshAsync(1);
        var client = Client(mesh.Nodes[0]);

        var (actual, json) = await client.SendAsync(new HttpMethod(method), path, body, contentType ?? "application/json");

        Assert.Equal(status, (int)actual);
        Assert.Equal(status, (int)json!["status"]!);
        Assert.Contains(message, (string)json["error"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_OverMaxDocumentBytes_Returns413AndStoresNothing()
    {
        var mesh = await StartMeshAsync(1, o => o.Environment["PEAT_MAX_DOCUMENT_BYTES"] = "4096");
        var client = Client(mesh.Nodes[0]);
        var big = new JsonObject { ["blob"] = new string('x', 5000) };

        var (status, json) = await client.PutAsync("cities", "big", big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, (int)json!["status"]!);
        Assert.Null(await client.GetDocumentAsync("cities", "big"));
        Assert.True(mesh.Nodes[0].IsRunning);
    }

    [Fact]
    public async Task PutPatchGet_FollowJsonMergePatchAndRemoveStaleKeys()
    {
        var mesh = await StartMeshAsync(1);
        var client = Client(mesh.Nodes[0]);

        var created = await client.PutAsync("cities", "oslo", JsonNode.Parse("""{"name":"Oslo","tags":["capital"],"meta":{"a":1,"b":2}}""")!);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var patched = await client.PatchAsync("cities", "oslo", JsonNode.Parse("""{"meta":{"b":null,"c":3},"population":709037}""")!);
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"name":"Oslo","tags":["capital"],"meta":{"a":1,"c":3},"population":709037,"_id":"oslo"}"""),
            await client.GetDocumentAsync("cities", "oslo")));

        var replaced = await client.PutAsync("cities", "oslo", JsonNode.Parse("""{"name":"Oslo","population":1}""")!);
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"Oslo","population":1,"_id":"oslo"}"""), await client.GetDocumentAsync("cities", "oslo")));

        var list = await client.GetObjectAsync("documents/cities");
        Assert.Equal("cities", (string)list["collection"]!);
        Assert.Equal(1, (int)list["count"]!);
        var empty = await client.GetObjectAsync("documents/nothing-here");
        Assert.Equal(0, (int)empty["count"]!);
    }

    [Fact]
    public async Task WebSocket_StreamsDocumentAndPeerEvents()
    {
        var mesh = await StartMeshAsync(2);
        await WaitForFullMeshAsync(mesh);
        using var socket = new ClientWebSocket();
        var wsUrl = new Uri(mesh.Nodes[0].BrokerUrl.ToString().Replace("http", "ws", StringComparison.Ordinal) + "api/v1/ws");
        await socket.ConnectAsync(wsUrl, CancellationToken.None);
        var events = new List<JsonObject>();
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

                lock (events)
                {
                    events.Add(JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!.AsObject());
                }
            }
        });

        await Client(mesh.Nodes[1]).PutAsync("cities", "ws-city", new JsonObject { ["name"] = "Streamed" });
        await Wait.UntilAsync(() => { lock (events) { return events.Any(e => (string)e["type"]! == "document_changed" && (string)e["id"]! == "ws-city"); } },
            SyncTimeout, "document_changed for a write on the other node");
        await Client(mesh.Nodes[1]).DeleteAsync("cities", "ws-city");
        await Wait.UntilAsync(() => { lock (events) { return events.Any(e => (string)e["type"]! == "document_deleted"); } }, SyncTimeout, "document_deleted");
        await mesh.Nodes[1].StopAsync(TimeSpan.FromSeconds(10));
        await Wait.UntilAsync(() => { lock (events) { return events.Any(e => (string)e["type"]! == "peer_disconnected" && (string)e["node_id"]! == "n-2"); } },
            SyncTimeout, "peer_disconnected");
        mesh.Nodes[1].Start();
        await Wait.UntilAsync(() => { lock (events) { return events.Any(e => (string)e["type"]! == "peer_connected" && (string)e["node_id"]! == "n-2"); } },
            SyncTimeout, "peer_connected");
        lock (events)
        {
            Assert.Equal("n-2", (string)events.First(e => (string)e["type"]! == "document_changed")["origin"]!);
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Wait.ForAsync(reader, SyncTimeout, "socket closes");
    }
}
