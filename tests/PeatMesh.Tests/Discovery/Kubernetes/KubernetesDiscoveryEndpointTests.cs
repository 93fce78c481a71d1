using PeatMesh.Discovery.Kubernetes;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>Which endpoints become peers, with which node id, port, addresses and metadata (discovery.k8s.io/v1 semantics).</summary>
public sealed class KubernetesDiscoveryEndpointTests
{
    private static async Task<KubernetesHarness> ListAsync(string listJson, Action<KubernetesDiscoveryOptions>? configure = null, string selfNodeId = "self-pod")
    {
        var h = await KubernetesHarness.StartAsync(listJson, configure, selfNodeId: selfNodeId);
        await h.NextWatchAsync("watch after the LIST");
        return h;
    }

    [Fact]
    public async Task Conditions_NotReadyAndTerminating_AreExcludedAndNilReadyCountsAsReady()
    {
        await using var h = await ListAsync(SliceJson.List("10", null, SliceJson.Slice("s1", "9",
        [
            SliceJson.Endpoint("192.0.2.1", "ready"),
            SliceJson.Endpoint("192.0.2.2", "not-ready", ready: false, terminating: false),
            SliceJson.Endpoint("192.0.2.3", "terminating-still-serving", ready: false, serving: true, terminating: true),
            SliceJson.Endpoint("192.0.2.4", "terminating-ready-unset", ready: null, terminating: true),
            SliceJson.Endpoint("192.0.2.5", "all-conditions-unset", ready: null, serving: null, terminating: null),
            SliceJson.Endpoint("192.0.2.6", "no-conditions-object", withConditions: false),
            SliceJson.Endpoint("192.0.2.7", "ready-not-serving", ready: true, serving: false),
        ])));

        Assert.Equal(["all-conditions-unset", "no-conditions-object", "ready", "ready-not-serving"],
            h.Discovery.Peers.Select(p => p.NodeId));
    }

    [Fact]
    public async Task NodeId_PrefersPodNameThenHostnameThenAddress_AndSkipsSelf()
    {
        await using var h = await ListAsync(SliceJson.List("10", null, SliceJson.Slice("s1", "9",
        [
            SliceJson.Endpoint("192.0.2.1", "pod-a", hostname: "host-a"),
            SliceJson.Endpoint("192.0.2.2", pod: null, hostname: "host-b"),
            SliceJson.Endpoint("192.0.2.3", pod: null),
            SliceJson.Endpoint("192.0.2.4", "me"),
        ])), selfNodeId: "me");

        var peers = h.PeersById();
        Assert.Equal(["192.0.2.3", "host-b", "pod-a"], peers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("192.0.2.3:11204", peers["192.0.2.3"].Addresses.Single().ToString());
    }

    [Fact]
    public async Task Port_NamedPortWinsOverEarlierPorts()
    {
        await using var h = await ListAsync(SliceJson.List("10", null, SliceJson.Slice("s1", "9",
            [SliceJson.Endpoint("192.0.2.1", "pod-a")],
            [SliceJson.Port("broker", 8081), SliceJson.Port("mesh", 11204)])));

        Assert.Equal("192.0.2.1:11204", h.Discovery.Peers.Single().Addresses.Single().ToString());
    }

    [Fact]
    public async Task Port_ConfiguredName_IsUsedEvenWhenNotTcp()
    {
        await using var h = await ListAsync(SliceJson.List("10", null, SliceJson.Slice("s1", "9",
                [SliceJson.Endpoint("192.0.2.1", "pod-a")],
                [SliceJson.Port("broker", 8081), SliceJson.Port("peat", 7000, "UDP")])),
            o => o.MeshPortName = "peat");

        Assert.Equal("192.0.2.1:7000", h.Discovery.Peers.Single().Addresses.Single().ToString());
    }

    [Fact]
    public async Task Port_NoNamedPort_FallsBackToFirstTcpPort()
    {
        await using var h = await ListAsync(SliceJson.List("10", null, SliceJson.Slice("s1", "9",
            [SliceJson.Endpoint("192.0.2.1", "pod-a")],
            [SliceJson.Port("quic", 4433, "UDP"), SliceJson.Port("sctp", 5000, "SCTP"), SliceJson.Port(null, 9000, protocol: null), SliceJson.Port("other", 9001)])));

        // protocol omitted means TCP, so the unnamed 9000 is the first TCP port.
        Assert.Equal("192.0.2.1:9000", h.Discovery.Peers.Single().Addresses.Single().ToString());
    }

    [Fact]
    public async Task Port_NoUsablePort_UsesFallbackPortOrSkipsWithWarning()
    {
        var list = SliceJson.List("10", null,
            SliceJson.Slice("udp-only", "9", [SliceJson.Endpoint("192.0.2.1", "pod-a")], [SliceJson.Port("quic", 4433, "UDP")]),
            SliceJson.Slice("all-ports", "9", [SliceJson.Endpoint("192.0.2.2", "pod-b")], [SliceJson.Port(null, null, null)]));

        await using (var withFallback = await ListAsync(list, o => o.FallbackPort = 11204))
        {
            Assert.Equal(["192.0.2.1:11204", "192.0.2.2:11204"], withFallback.Discovery.Peers.Select(p => p.Addresses.Single().ToString()));
        }

        await using var without = await ListAsync(list);
        Assert.Empty(without.Discovery.Peers);
        var warnings = without.Log.Entries.Where(e => e.EventId.Id == 5058).Select(e => e.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("udp-only", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("all-ports", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Slices_SamePodInIPv4AndIPv6Slices_MergeIntoOnePeer()
    {
        await using var h = await ListAsync(SliceJson.List("10", null,
            SliceJson.Slice("peat-v6", "9", [SliceJson.Endpoint("2001:db8::10", "peat-0")], addressType: "IPv6"),
            SliceJson.Slice("peat-v4", "9", [SliceJson.Endpoint("192.0.2.10", "peat-0", moreAddresses: ["192.0.2.99"]), SliceJson.Endpoint("192.0.2.11", "peat-1")])));

        var peers = h.PeersById();
        Assert.Equal(2, peers.Count);

        // Slices are merged in name order (peat-v4 < peat-v6); addresses keep their order within an endpoint.
        Assert.Equal(["192.0.2.10:11204", "192.0.2.99:11204", "[2001:db8::10]:11204"], peers["peat-0"].Addresses.Select(a => a.ToString()));
        Assert.Single(h.Events, e => e.Peer.NodeId == "peat-0");
    }

    [Fact]
    public async Task Addresses_InvalidForTheAddressType_AreDropped()
    {
        await using var h = await ListAsync(SliceJson.List("10", null,
            SliceJson.Slice("v4", "9", [SliceJson.Endpoint("not an ip", "pod-a", moreAddresses: ["2001:db8::1", "192.0.2.1"]), SliceJson.Endpoint("bad host", "pod-b")]),
            SliceJson.Slice("fqdn", "9", [SliceJson.Endpoint("peat-2.peat.peat-test.svc.cluster.local", "pod-c")], addressType: "FQDN")));

        var peers = h.PeersById();
        Assert.Equal(["pod-a", "pod-c"], peers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("192.0.2.1:11204", peers["pod-a"].Addresses.Single().ToString());
        Assert.Equal("peat-2.peat.peat-test.svc.cluster.local:11204", peers["pod-c"].Addresses.Single().ToString());
    }

    [Fact]
    public async Task Metadata_PrefixedAnnotationsZoneAndNode_AreReported()
    {
        await using var h = await ListAsync(SliceJson.List("10", null, SliceJson.Slice("s1", "9",
            [SliceJson.Endpoint("192.0.2.1", "pod-a", zone: "zone-b", nodeName: "worker-3")],
            annotations: new Dictionary<string, string> { ["peat.relay_url"] = "https://relay.example", ["other.io/x"] = "ignored" })));

        var metadata = h.Discovery.Peers.Single().Metadata;
        Assert.Equal("https://relay.example", metadata["relay_url"]);
        Assert.Equal("zone-b", metadata["zone"]);
        Assert.Equal("worker-3", metadata["node_name"]);
        Assert.Equal(3, metadata.Count);
    }

    [Fact]
    public async Task Modified_UnchangedPeers_RaiseNoEvents()
    {
        await using var h = await KubernetesHarness.StartAsync(SliceJson.List("10", null,
            SliceJson.Slice("s1", "9", [SliceJson.Endpoint("192.0.2.1", "pod-a"), SliceJson.Endpoint("192.0.2.2", "pod-b")])));
        var watch = await h.NextWatchAsync("first watch");
        await h.WaitForEventsAsync(2, "initial peers");

        // Same endpoints with a new resourceVersion, plus a new not-ready endpoint: nothing a peer list would show.
        watch.Send(SliceJson.Event("MODIFIED", SliceJson.Slice("s1", "11",
            [SliceJson.Endpoint("192.0.2.1", "pod-a"), SliceJson.Endpoint("192.0.2.2", "pod-b"), SliceJson.Endpoint("192.0.2.3", "pod-c", ready: false)])));
        await Wait.UntilAsync(() => h.Discovery.ResourceVersion == "11", KubernetesHarness.Deadline, "MODIFIED applied");
        Assert.Equal(2, h.Events.Count);

        // pod-c becomes ready: Found.
        watch.Send(SliceJson.Event("MODIFIED", SliceJson.Slice("s1", "12",
            [SliceJson.Endpoint("192.0.2.1", "pod-a"), SliceJson.Endpoint("192.0.2.2", "pod-b"), SliceJson.Endpoint("192.0.2.3", "pod-c")])));
        await h.WaitForEventsAsync(3, "pod-c ready");
        Assert.Equal(PeatMesh.Discovery.DiscoveryEventKind.Found, h.Events[2].Kind);
        Assert.Equal("pod-c", h.Events[2].Peer.NodeId);
    }
}
