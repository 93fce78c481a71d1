using System.Collections.Concurrent;
using PeatMesh.Discovery;
using PeatMesh.Discovery.Mdns;
using PeatMesh.Testing.Network;

namespace PeatMesh.Tests.Discovery.Mdns.Netns;

/// <summary>
/// Interoperability with avahi 0.8 both ways, in a private namespace (see <see cref="AvahiNamespace"/>): avahi-browse
/// resolves the node we advertise and sees its goodbye; a service published with avahi-publish is discovered and lost.
/// </summary>
public class AvahiInteropTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [AvahiFact]
    public async Task AvahiBrowse_ResolvesOurNode_ThenSeesItsGoodbye()
    {
        await using var avahi = await AvahiNamespace.StartAsync();
        var discovery = await StartInAsync(avahi, "peat-interop-1", 4242, new ConcurrentQueue<DiscoveryEvent>());
        string[] resolved = [];
        try
        {
            await Wait.UntilAsync(
                () => (resolved = [.. avahi.Browse(resolve: true).Where(l => l.StartsWith("=;", StringComparison.Ordinal))]).Length > 0,
                Deadline, "avahi-browse -rpt _peat._udp resolving peat-interop-1");

            // =;iface;IPv4;name;type;domain;host;address;port;"txt" "txt" ...
            var expectedAddress = new Dictionary<string, string[]>
            {
                ["lo"] = ["127.0.0.1"],
                ["vA"] = ["10.78.0.1", "10.78.0.2"],
                ["vB"] = ["10.78.0.1", "10.78.0.2"],
            };
            Assert.All(resolved, line =>
            {
                var f = line.Split(';');
                Assert.Equal(["IPv4", "peat-interop-1", "_peat._udp", "local", "peat-interop-1.local", "4242"], new[] { f[2], f[3], f[4], f[5], f[6], f[8] });
                Assert.Contains(f[7], expectedAddress[f[1]]);
                Assert.Contains("\"node_id=peat-interop-1\"", f[9], StringComparison.Ordinal);
                Assert.Contains($"\"device_id={MdnsTestLan.DeviceOf("peat-interop-1")}\"", f[9], StringComparison.Ordinal);
                Assert.Contains("\"proto=1\"", f[9], StringComparison.Ordinal);
            });
            Assert.Contains(resolved, l => l.StartsWith("=;lo;IPv4;peat-interop-1;", StringComparison.Ordinal));
        }
        finally
        {
            await discovery.DisposeAsync();
        }

        await Wait.UntilAsync(
            () => !avahi.Browse(resolve: false).Any(l => l.Contains(";peat-interop-1;", StringComparison.Ordinal)),
            Deadline, "avahi dropping peat-interop-1 after its goodbye");
    }

    [AvahiFact]
    public async Task AvahiPublish_IsDiscovered_ThenLostWhenWithdrawn()
    {
        await using var avahi = await AvahiNamespace.StartAsync();
        var events = new ConcurrentQueue<DiscoveryEvent>();
        await using var discovery = await StartInAsync(avahi, "peat-interop-2", 4300, events);
        var publisher = avahi.Publish("avahi-svc", 5555, "node_id=avahi-node", "device_id=00112233445566778899aabbccddeeff", "proto=1");

        // avahi answers on lo and on both veth ends; wait until the veth addresses are in too.
        await Wait.UntilAsync(
            () => discovery.Peers.Any(p => p.NodeId == "avahi-node" && p.Addresses.Any(a => a.Host.StartsWith("10.78.0.", StringComparison.Ordinal))),
            Deadline, "MdnsDiscovery resolving the avahi-publish service on lo and the veth pair");
        var peer = discovery.Peers.Single(p => p.NodeId == "avahi-node");
        Assert.Equal("00112233445566778899aabbccddeeff", peer.Metadata["device_id"]);
        Assert.Equal("1", peer.Metadata["proto"]);
        Assert.All(peer.Addresses, a => Assert.Equal(5555, a.Port));
        Assert.Contains(peer.Addresses, a => a.Host == "127.0.0.1");
        var ipv4 = peer.Addresses.Where(a => !a.Host.Contains(':', StringComparison.Ordinal)).ToList();
        Assert.All(ipv4, a => Assert.Contains(a.Host, new[] { "127.0.0.1", "10.78.0.1", "10.78.0.2" }));

        // avahi also publishes AAAA over IPv4 (publish-aaaa-on-ipv4): ::1 and link-local addresses, which get the
        // scope of the interface they were heard on. IPv4 comes first, and loopback/link-local last.
        Assert.StartsWith("10.78.0.", peer.Addresses[0].Host, StringComparison.Ordinal);
        Assert.All(peer.Addresses.Except(ipv4), a => Assert.True(
            a.Host == "::1" || (a.Host.StartsWith("fe80:", StringComparison.Ordinal) && a.Host.Contains('%', StringComparison.Ordinal)), a.Host));

        AvahiNamespace.StopPublisher(publisher);

        await Wait.UntilAsync(() => events.Any(e => e.Kind == DiscoveryEventKind.Lost && e.Peer.NodeId == "avahi-node"), Deadline,
            "MdnsDiscovery seeing avahi's goodbye for avahi-svc");
        Assert.DoesNotContain(discovery.Peers, p => p.NodeId == "avahi-node");
    }

    private static async Task<MdnsDiscovery> StartInAsync(AvahiNamespace avahi, string nodeId, int port, ConcurrentQueue<DiscoveryEvent> events)
    {
        var discovery = new MdnsDiscovery(new MdnsOptions(), TimeProvider.System, null,
            options => NamespaceThread.Run(avahi.Path, () => MdnsUdpTransport.Open(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)),
            random: null);
        discovery.Changed += events.Enqueue;
        await discovery.StartAsync(MdnsTestLan.Advertisement(nodeId, port));
        return discovery;
    }
}
