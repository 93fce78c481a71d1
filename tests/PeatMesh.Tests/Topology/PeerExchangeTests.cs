using System.Text.Json;
using PeatMesh.Diagnostics;
using PeatMesh.Storage;
using PeatMesh.Testing.InProcess;
using PeatMesh.Topology;

namespace PeatMesh.Tests.Topology;

/// <summary>Peer exchange over real node compositions (in-memory transport).</summary>
public class PeerExchangeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static void FastMembership(int _, Hosting.MeshNodeOptions o, int connectionTarget)
    {
        o.Membership.GossipInterval = TimeSpan.FromMilliseconds(200);
        o.Membership.RouteTtl = TimeSpan.FromSeconds(1);
        o.Membership.ConnectionTarget = connectionTarget;
        o.Peers.Connection.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
    }

    [Fact]
    public async Task Chain_OfFiveWithNeighboursOnly_EveryNodeKnowsAllWithHopCounts_AndDocumentsConverge()
    {
        await using var cluster = await InProcessCluster.StartAsync(5, configure: (i, o) => FastMembership(i, o, connectionTarget: 0),
            peersOf: InProcessCluster.Chain(5));

        for (var i = 0; i < 5; i++)
        {
            var node = cluster.Nodes[i];
            await Wait.UntilAsync(() => node.Membership.Members.Count == 5 && node.Membership.Members.All(m => m.Reachable), Deadline,
                $"{node.NodeId} learns all 5 members");
            foreach (var member in node.Membership.Members)
            {
                var j = int.Parse(member.NodeId["node-".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1;
                Assert.True(member.Hops == Math.Abs(i - j), $"{node.NodeId} sees {member.NodeId} at {member.Hops} hops, expected {Math.Abs(i - j)}");
            }

            Assert.Equal(MeshState.Connected, node.Membership.State);
        }

        Assert.Single(cluster.Nodes[0].Peers.Peers);
        var key = DocumentKey.Create("cities", "chain");
        await cluster.Nodes[0].Documents.PutAsync(key, JsonDocument.Parse("""{"from":"node-1"}""").RootElement);
        await cluster.Nodes[4].Documents.PutAsync(DocumentKey.Create("cities", "other-end"), JsonDocument.Parse("""{"from":"node-5"}""").RootElement);
        await Wait.UntilAsync(async () => await cluster.Nodes[4].Documents.GetAsync(key) is not null, Deadline, "document crosses 4 hops");
        await Wait.UntilAsync(async () => await cluster.Nodes[0].Documents.GetAsync(DocumentKey.Create("cities", "other-end")) is not null,
            Deadline, "document crosses 4 hops the other way");
    }

    [Fact]
    public async Task Star_NodesKnowingOnlyTheHub_LearnAndDialEachOther()
    {
        await using var cluster = await InProcessCluster.StartAsync(4, configure: (i, o) => FastMembership(i, o, connectionTarget: 8),
            peersOf: i => i == 0 ? [] : [0]);

        await Wait.UntilAsync(() => cluster.IsFullyConnected, Deadline, "peer exchange turns the star into a full mesh");
        Assert.All(cluster.Nodes, n => Assert.All(n.Membership.Members.Where(m => m.State != MemberState.Self), m => Assert.Equal(1, m.Hops)));
    }

    [Fact]
    public async Task MemberStops_OthersSeeItSuspectThenDead_AndPartitioned()
    {
        var cluster = await InProcessCluster.StartAsync(3, configure: (i, o) => FastMembership(i, o, connectionTarget: 8));
        await using var _ = cluster;
        await Wait.UntilAsync(() => cluster.Nodes[0].Membership.State == MeshState.Connected && cluster.Nodes[0].Membership.Members.Count == 3,
            Deadline, "node-1 sees a connected mesh of 3");
        var states = new List<(string Node, MemberState State)>();
        cluster.Nodes[0].Membership.MemberChanged += m => { lock (states) { states.Add((m.NodeId, m.State)); } };

        await cluster.Nodes[2].DisposeAsync();

        await Wait.UntilAsync(() => { lock (states) { return states.Contains(("node-3", MemberState.Dead)); } },
            Deadline, "node-1 reports node-3 dead");
        Assert.Equal(MemberState.Dead, cluster.Nodes[0].Membership.Members.Single(m => m.NodeId == "node-3").State);
        Assert.Equal(MeshState.Partitioned, cluster.Nodes[0].Membership.State);
        lock (states)
        {
            var node3 = states.Where(s => s.Node == "node-3").Select(s => s.State).ToList();
            Assert.True(node3.IndexOf(MemberState.Suspect) >= 0 && node3.IndexOf(MemberState.Suspect) < node3.IndexOf(MemberState.Dead),
                "node-3 went Suspect before Dead: " + string.Join(",", node3));
        }
    }
    [Fact]
    public async Task IdleChain_RepeatsOnlyTheUnchangedMarker_AndLearnedRoutesStayFresh()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, configure: (i, o) =>
        {
            FastMembership(i, o, connectionTarget: 0);
            o.Metrics = new MeshMetrics();
        }, peersOf: InProcessCluster.Chain(3));
        var first = cluster.Nodes[0];
        await Wait.UntilAsync(() => first.Membership.Members.Count == 3 && first.Membership.Members.All(m => m.Reachable), Deadline,
            "node-1 learns node-3 through node-2");
        using var exporter = new PrometheusMetricsExporter(cluster.Nodes[1].Metrics.Meter);
        (double Messages, double Bytes) PeerListsOut()
        {
            var scrape = PrometheusScrape.Parse(exporter.Collect());
            const string Labels = "direction=\"out\",protocol=\"peat/peers/1\"";
            return (scrape.Value("peat_mesh_messages_total{" + Labels + "}") ?? 0, scrape.Value("peat_mesh_bytes_total{" + Labels + "}") ?? 0);
        }

        // node-2 (the middle) keeps telling both neighbours about the other; once idle, every message is the 18-byte marker.
        var start = PeerListsOut();
        var markers = PeatMesh.Topology.PeerListMessage.Unchanged.Length;
        await Wait.UntilAsync(() =>
        {
            var now = PeerListsOut();
            var (messages, bytes) = (now.Messages - start.Messages, now.Bytes - start.Bytes);
            if (messages >= 20 && bytes == messages * markers)
            {
                return true;
            }

            if (bytes != messages * markers)
            {
                start = now; // a real list went out (the mesh was still settling): measure a fresh window
            }

            return false;
        }, Deadline, "node-2 sends twenty unchanged markers in a row and nothing else");

        // Routes learned from markers alone do not expire: RouteTtl is 1 s here, and twenty markers to two peers take 10 rounds (~2 s).
        var node3 = first.Membership.Members.Single(m => m.NodeId == "node-3");
        Assert.True(node3.Reachable && node3.Hops == 2, $"node-1 still reaches node-3 at 2 hops ({node3.State}, {node3.Hops})");
    }
}
