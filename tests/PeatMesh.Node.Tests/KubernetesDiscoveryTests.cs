using System.Globalization;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using PeatMesh.Testing.Processes;
using PeatMesh.Tests.Discovery.Kubernetes;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>
/// Real node processes with <c>PEAT_DISCOVERY=kubernetes</c> find each other only through an EndpointSlice API
/// stand-in (HTTPS on 127.0.0.1 with its own CA, bearer token checked), list then watch.
/// </summary>
public sealed class KubernetesDiscoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("peat-k8s-node-").FullName;
    private readonly TestCertificates _certificates = new("peat-k8s-node-test");
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() =>
        _api = await FakeKubernetesApi.StartAsync(_certificates.IssueLoopbackServer(), expectedToken: "node-token");

    private static JsonObject SliceFor(string node, int meshPort, string resourceVersion) =>
        SliceJson.Slice("peat-" + node, resourceVersion, [SliceJson.Endpoint("127.0.0.1", node)], [SliceJson.Port("mesh", meshPort)]);

    [Fact]
    public async Task Nodes_FindEachOtherThroughListAndWatch_AndSync()
    {
        File.WriteAllText(Path.Combine(_dir, "ca.crt"), _certificates.CaPem);
        File.WriteAllText(Path.Combine(_dir, "token"), "node-token");
        var options = new LocalMeshOptions { Nodes = 2, NodeIdPrefix = "n", PeersOf = (_, _) => [] };
        options.Environment["PEAT_DISCOVERY"] = "kubernetes";
        options.Environment["PEAT_K8S_API_URL"] = _api.Url.ToString();
        options.Environment["PEAT_K8S_TOKEN_PATH"] = Path.Combine(_dir, "token");
        options.Environment["PEAT_K8S_CA_PATH"] = Path.Combine(_dir, "ca.crt");
        options.Environment["PEAT_K8S_NAMESPACE"] = _api.Namespace;
        options.Environment["PEAT_CONNECTION_TARGET"] = "0";
        options.Environment["PEAT_LOG_LEVEL"] = "debug";
        await using var mesh = LocalMesh.Create(options);
        try
        {
            var port1 = int.Parse(mesh.Nodes[0].Options.Environment["PEAT_MESH_PORT"], CultureInfo.InvariantCulture);
            var port2 = int.Parse(mesh.Nodes[1].Options.Environment["PEAT_MESH_PORT"], CultureInfo.InvariantCulture);

            // The LIST shows only n-1; n-2 appears later through the WATCH.
            _api.SetList(SliceJson.List("100", null, SliceFor("n-1", port1, "100")));
            await mesh.StartAsync(Deadline);
            var watches = new[] { await _api.NextWatchAsync("first node watches"), await _api.NextWatchAsync("second node watches") };
            Assert.All(watches, w => Assert.Equal("100", w.Request.Get("resourceVersion")));
            foreach (var watch in watches)
            {
                watch.Send(SliceJson.Event("ADDED", SliceFor("n-2", port2, "101")));
            }

            using var n1 = new BrokerClient(mesh.Nodes[0].BrokerUrl);
            using var n2 = new BrokerClient(mesh.Nodes[1].BrokerUrl);
            await Wait.UntilAsync(async () => (await n1.PeerNodeIdsAsync()).SequenceEqual(["n-2"]), Deadline, "n-1 connects to n-2 found by the watch");
            await n1.PutAsync("cities", "k8s", new JsonObject { ["name"] = "Found via EndpointSlice" });
            await Wait.UntilAsync(async () => await n2.GetDocumentAsync("cities", "k8s") is not null, Deadline, "document reaches n-2");
            Assert.All(_api.Requests, r => Assert.Equal("Bearer node-token", r.Authorization));
        }
        catch
        {
            foreach (var node in mesh.Nodes)
            {
                output.WriteLine($"---- {node.Options.Name}\n{node.Tail(40)}");
            }

            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _certificates.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
