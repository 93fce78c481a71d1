using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>Formation membership and hostile input on the mesh port.</summary>
public sealed class SecurityTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [Fact]
    public async Task WrongFormationSecret_NeverAppearsInPeers_NeverReceivesDocuments()
    {
        var mesh = await StartMeshAsync(2);
        await WaitForFullMeshAsync(mesh);
        var meshPorts = string.Join(',', mesh.Nodes.Select(n => "127.0.0.1:" + n.Options.Environment["PEAT_MESH_PORT"]));
        var intruderMesh = await StartMeshAsync(1, o =>
        {
            o.NodeIdPrefix = "intruder";
            o.Environment["PEAT_STATIC_PEERS"] = meshPorts;
        });
        var intruder = Client(intruderMesh.Nodes[0]);
        var members = mesh.Nodes.Select(Client).ToArray();

        await members[0].PutAsync("cities", "secret-city", new JsonObject { ["name"] = "Hidden" });
        await intruder.PutAsync("cities", "planted", new JsonObject { ["name"] = "Planted" });
        await Wait.UntilAsync(async () => await members[1].GetDocumentAsync("cities", "secret-city") is not null, SyncTimeout, "members sync");

        // The intruder has been dialling with backoff all along; give it a few more attempts, then check.
        await Wait.UntilAsync(() => intruderMesh.Nodes[0].RecentOutput.Count(l => l.Contains("Dial to", StringComparison.Ordinal)) >= 4,
            SyncTimeout, "intruder retried its dials several times");
        Assert.Empty(await intruder.PeerNodeIdsAsync());
        foreach (var member in members)
        {
            Assert.DoesNotContain("intruder-1", await member.PeerNodeIdsAsync());
            Assert.Null(await member.GetDocumentAsync("cities", "planted"));
        }

        Assert.Null(await intruder.GetDocumentAsync("cities", "secret-city"));
    }

    [Fact]
    public async Task MeshPort_GarbageTruncatedAndOversizedFrames_ConnectionDroppedNodeUnharmed()
    {
        var mesh = await StartMeshAsync(2);
        await WaitForFullMeshAsync(mesh);
        var port = int.Parse(mesh.Nodes[0].Options.Environment["PEAT_MESH_PORT"], System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(5);
        byte[][] attacks =
        [
            RandomBytes(random, 4096),                             // garbage
            [0xff, 0xff, .. RandomBytes(random, 100)],            // declares 65,535 bytes, sends 100, then closes (truncated)
            [0x00, 0x00],                                          // zero-length handshake message
            [0x00, 0x30, .. RandomBytes(random, 48)],             // a plausible message 1 from an attacker without the PSK
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(),      // the wrong protocol
        ];

        foreach (var attack in attacks)
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, port);
            var stream = socket.GetStream();
            await stream.WriteAsync(attack);
            socket.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            // The node answers a plausible "e" with message 2 or nothing, and then closes; it must not hang.
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }

        var clients = mesh.Nodes.Select(Client).ToArray();
        Assert.Equal("healthy", (string)(await clients[0].GetObjectAsync("health"))["status"]!);
        Assert.Equal(["n-2"], await clients[0].PeerNodeIdsAsync());
        await clients[0].PutAsync("cities", "after-attack", new JsonObject { ["name"] = "Still syncing" });
        await Wait.UntilAsync(async () => await clients[1].GetDocumentAsync("cities", "after-attack") is not null, SyncTimeout,
            "sync still works after the attacks");
        Assert.True(mesh.Nodes[0].IsRunning);
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
