using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Diagnostics;
using PeatMesh.Hosting;
using PeatMesh.Security;
using PeatMesh.Storage;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Diagnostics;

/// <summary>
/// The metric contract recorded by real nodes (TCP + Noise on 127.0.0.1, port 0) and read through the Prometheus writer
/// over each node's own meter: handshakes by outcome and reason, peers, members, partition, multiplexer and sync traffic,
/// stored rows, heartbeat round trips and closed connections.
/// </summary>
public sealed class MeshMetricsTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("peat-metrics-").FullName;
    private readonly string _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly List<MeshNode> _nodes = [];
    private readonly List<PrometheusMetricsExporter> _exporters = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var exporter in _exporters)
        {
            exporter.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    private async Task<(MeshNode Node, PrometheusMetricsExporter Exporter)> StartNodeAsync(string nodeId, string secret, params MeshNode[] peers)
    {
        var metrics = new MeshMetrics();
        var exporter = new PrometheusMetricsExporter(metrics.Meter);
        _exporters.Add(exporter);
        var options = new MeshNodeOptions
        {
            NodeId = nodeId,
            FormationSecret = FormationSecret.Parse(secret),
            DataDirectory = Path.Combine(_root, nodeId),
            BrokerPort = 0,
            Metrics = metrics,
        };
        options.Transport.Port = 0;
        options.Transport.BindAddress = IPAddress.Loopback;
        foreach (var peer in peers)
        {
            options.StaticPeers.Add(new PeerAddress("127.0.0.1", peer.MeshPort));
        }

        var node = await MeshNode.StartAsync(options, NullLoggerFactory.Instance);
        _nodes.Add(node);
        return (node, exporter);
    }

    private static Task WaitForAsync(PrometheusMetricsExporter exporter, Func<PrometheusScrape, bool> condition, string step) =>
        Wait.UntilAsync(() => condition(PrometheusScrape.Parse(exporter.Collect())), Deadline, step);

    [Fact]
    public async Task TwoNodes_SyncingADocument_RecordTheContractMetrics()
    {
        var (a, metricsA) = await StartNodeAsync("metrics-a", _secret);
        var (b, metricsB) = await StartNodeAsync("metrics-b", _secret, a);

        await WaitForAsync(metricsA, s => s.Value("peat_peers_connected") == 1 && s.Value("peat_members{state=\"healthy\"}") == 1,
            "metrics-a reports one connected, healthy peer");
        await a.Documents.PutAsync(DocumentKey.Create("cities", "oslo"), JsonDocument.Parse("""{"name":"Oslo"}""").RootElement);
        await WaitForAsync(metricsB, s => s.Value("peat_documents") == 1, "metrics-b stores the synced document");
        await WaitForAsync(metricsA, s => s.Sum("peat_heartbeat_rtt_seconds_count") >= 1, "metrics-a measured a heartbeat round trip");

        var sa = PrometheusScrape.Parse(metricsA.Collect());
        var sb = PrometheusScrape.Parse(metricsB.Collect());
        Assert.Equal(1, sa.Value("peat_handshakes_total{direction=\"inbound\",reason=\"\",result=\"ok\"}"));
        Assert.Equal(1, sb.Value("peat_handshakes_total{direction=\"outbound\",reason=\"\",result=\"ok\"}"));
        Assert.Equal(1, sa.Value("peat_documents"));
        Assert.Equal(0, sa.Value("peat_tombstones"));
        Assert.Equal(0, sa.Value("peat_mesh_partitioned"));
        Assert.Equal(0, sa.Value("peat_members{state=\"dead\"}"));
        Assert.True(sa.Value("peat_sync_frames_total{direction=\"out\",type=\"delta\"}") >= 1, "a sent a delta frame");
        Assert.True(sb.Value("peat_sync_frames_total{direction=\"in\",type=\"delta\"}") >= 1, "b received a delta frame");
        foreach (var direction in new[] { "in", "out" })
        {
            Assert.True(sa.Value($"peat_mesh_messages_total{{direction=\"{direction}\",protocol=\"cap/automerge/1\"}}") >= 1, "a sync messages " + direction);
            Assert.True(sa.Value($"peat_mesh_bytes_total{{direction=\"{direction}\",protocol=\"cap/automerge/1\"}}") > 0, "a sync bytes " + direction);
        }

        // The heartbeat a measured is a ping it sent and a pong it received; the socket carried more than the payloads.
        Assert.True(sa.Value("peat_mesh_frames_total{direction=\"out\",kind=\"ping\"}") >= 1, "a sent a ping frame");
        Assert.True(sa.Value("peat_mesh_frames_total{direction=\"in\",kind=\"pong\"}") >= 1, "a received a pong frame");
        Assert.True(sa.Value("peat_mesh_frames_total{direction=\"out\",kind=\"data\"}") >= 1, "a sent a data frame");
        Assert.True(sa.Value("peat_transport_bytes_total{direction=\"out\"}") > sa.Sum("peat_mesh_bytes_total", "direction=\"out\""),
            "a's socket bytes out include Noise and multiplexer framing beyond the message payloads");

        // Every protocol is counted on its own: peer exchange runs beside document sync.
        await WaitForAsync(metricsB, s => s.Value("peat_mesh_bytes_total{direction=\"in\",protocol=\"peat/peers/1\"}") > 0, "peer exchange traffic");
        Assert.True(sa.Value("peat_storage_write_duration_seconds_count") >= 2, "the identity record and the document were written on a");

        await b.DisposeAsync();
        await WaitForAsync(metricsA, s => s.Value("peat_peers_connected") == 0 && s.Value("peat_mesh_partitioned") == 1
                                          && s.Value("peat_connections_closed_total{reason=\"connection_closed\"}") >= 1,
            "metrics-a sees the peer leave: no peers, partitioned (b is known but unreachable), a closed connection");
    }

    [Fact]
    public async Task WrongFormationSecret_IsCountedAsFailedInboundHandshake()
    {
        var (a, metricsA) = await StartNodeAsync("secret-a", _secret);
        var (intruder, _) = await StartNodeAsync("secret-x", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), a);

        await WaitForAsync(metricsA, s => s.Value("peat_handshakes_total{direction=\"inbound\",reason=\"authentication_failed\",result=\"failed\"}") >= 1,
            "secret-a counts the intruder's handshake as failed with reason authentication_failed");
        var scrape = PrometheusScrape.Parse(metricsA.Collect());
        Assert.Null(scrape.Value("peat_handshakes_total{direction=\"inbound\",reason=\"\",result=\"ok\"}"));
        Assert.Equal(0, scrape.Value("peat_peers_connected"));
        Assert.Empty(intruder.Peers.Peers);
    }
}
