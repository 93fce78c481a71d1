using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>
/// <c>PEAT_LOG_FORMAT=json</c> at debug level through start-up, peer connection, writes, an error and shutdown: every
/// output line of two real nodes is one JSON object, the reference's grep-able lines are there, and the formation
/// secret (its base64 text and its raw bytes in hex) appears nowhere.
/// </summary>
public class JsonLogTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [Fact]
    public async Task JsonLogs_ThroughALifecycle_AreOneObjectPerLineWithoutTheSecret()
    {
        var lines = new ConcurrentQueue<string>();
        var mesh = await StartMeshAsync(2, o =>
        {
            o.NodeIdPrefix = "json";
            o.Environment["PEAT_LOG_FORMAT"] = "json";
            o.Environment["PEAT_LOG_LEVEL"] = "debug";
            o.OutputSink = lines.Enqueue;
        });
        await WaitForFullMeshAsync(mesh);
        var first = Client(mesh.Nodes[0]);
        var second = Client(mesh.Nodes[1]);
        foreach (var (id, document) in Cities.Take(5))
        {
            Assert.Equal(HttpStatusCode.Created, (await first.PutAsync("cities", id, document)).Status);
        }

        await Wait.UntilAsync(async () => (await second.ListAsync("cities")).Count == 5, SyncTimeout, "json-2 has the 5 cities");
        Assert.Equal(HttpStatusCode.OK, (await second.PatchAsync("cities", "c000000", new JsonObject { ["population"] = 1 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await first.DeleteAsync("cities", "c000001")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await first.SendAsync(HttpMethod.Put, "documents/cities/bad", "{not json")).Status);
        await Wait.UntilAsync(async () => (await second.ListAsync("cities")).Count == 4, SyncTimeout, "json-2 has the 4 remaining cities");
        await mesh.StopAsync(TimeSpan.FromSeconds(15));
        Assert.All(mesh.Nodes, n => Assert.Equal(0, n.ExitCode));

        var secretText = mesh.FormationSecret;
        var secretHex = Convert.ToHexString(Convert.FromBase64String(secretText));
        var messages = new List<string>();
        foreach (var prefixed in lines)
        {
            var line = prefixed[(prefixed.IndexOf(" | ", StringComparison.Ordinal) + 3)..];
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"Not one JSON object: {prefixed}\n{e.Message}");
            }

            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            // Check the raw line and every decoded string (the encoder escapes '+' and '/', which base64 contains).
            foreach (var text in Strings(root).Append(line))
            {
                Assert.False(text.Contains(secretText, StringComparison.Ordinal), "formation secret (base64) in: " + prefixed);
                Assert.False(text.Contains(secretHex, StringComparison.OrdinalIgnoreCase), "formation secret (hex) in: " + prefixed);
            }

            messages.Add(root.GetProperty("Message").GetString() ?? string.Empty);
        }

        Assert.True(lines.Count > 50, $"expected a debug-level lifecycle, got {lines.Count} lines");
        foreach (var node in new[] { "json-1", "json-2" })
        {
            Assert.Contains(messages, m => m.StartsWith("Mesh started node_id=" + node + " device_id=", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.StartsWith("peat-mesh-node stopped node_id=" + node, StringComparison.Ordinal));
        }

        Assert.Contains(messages, m => m.StartsWith("Peer connected node_id=", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("formation_secret=FormationSecret([redacted])", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonLogs_StartFailureWithException_StackTraceStaysInsideOneLine()
    {
        var lines = new ConcurrentQueue<string>();
        var mesh = await StartMeshAsync(1, o =>
        {
            o.NodeIdPrefix = "jsonfail";
            o.Environment["PEAT_LOG_FORMAT"] = "json";
            o.OutputSink = lines.Enqueue;
        });
        var node = mesh.Nodes[0];
        await node.StopAsync(TimeSpan.FromSeconds(15));
        lines.Clear();

        // Same data directory, another HOSTNAME: the store belongs to another identity, so the node logs the failure
        // with its exception (a multi-line stack trace) and exits with code 1.
        node.Options.Environment["HOSTNAME"] = "jsonfail-impostor";
        node.Start();
        await Wait.ForAsync(node.WaitForExitAsync(), TimeSpan.FromSeconds(60), "the impostor node exits");
        Assert.Equal(1, node.ExitCode);

        var objects = lines.Select(l => l[(l.IndexOf(" | ", StringComparison.Ordinal) + 3)..])
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        Assert.All(objects, o => Assert.Equal(JsonValueKind.Object, o.ValueKind));
        var failure = Assert.Single(objects, o => o.GetProperty("Message").GetString()!.StartsWith("Mesh node failed to start", StringComparison.Ordinal));
        Assert.Equal("Critical", failure.GetProperty("LogLevel").GetString());
        var exception = failure.GetProperty("Exception").GetString()!;
        Assert.Contains("InvalidOperationException", exception, StringComparison.Ordinal);
        Assert.Contains("\n   at ", exception, StringComparison.Ordinal); // the stack trace: several lines, one JSON string
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
