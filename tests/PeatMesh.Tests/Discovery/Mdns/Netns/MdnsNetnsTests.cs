using System.Collections.Concurrent;
using PeatMesh.Discovery;
using PeatMesh.Discovery.Mdns;
using PeatMesh.Testing.Network;

namespace PeatMesh.Tests.Discovery.Mdns.Netns;

/// <summary>
/// Real sockets in real network namespaces joined by a bridge: each <see cref="MdnsDiscovery"/> opens its UDP socket
/// inside its own namespace (<see cref="NamespaceThread"/>), so multicast crosses veth links exactly as between hosts.
/// Real clock; every wait has a deadline naming the step.
/// </summary>
public class MdnsNetnsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [NetnsFact]
    public async Task ThreeNodes_InSeparateNamespaces_FindEachOtherAndSeeGoodbyes()
    {
        using var lan = NetnsLan.Create(3);
        var nodes = new List<(MdnsDiscovery Discovery, ConcurrentQueue<DiscoveryEvent> Events)>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await StartAsync(lan, i, "peat-node-" + i, 11204 + i));
            }

            for (var i = 0; i < 3; i++)
            {
                var self = nodes[i].Discovery;
                await Wait.UntilAsync(() => self.Peers.Count == 2, Deadline, $"peat-node-{i} finding the other two nodes");
                var expected = Enumerable.Range(0, 3).Where(j => j != i)
                    .Select(j => ($"peat-node-{j}", $"{NetnsLan.AddressOf(j)}:{11204 + j}"));
                Assert.Equal(expected, self.Peers.OrderBy(p => p.NodeId).Select(p => (p.NodeId, string.Join(",", p.Addresses))));
                Assert.All(self.Peers, p => Assert.Equal(MdnsTestLan.DeviceOf(p.NodeId).ToString(), p.Metadata["device_id"]));
            }

            await nodes[2].Discovery.DisposeAsync();

            for (var i = 0; i < 2; i++)
            {
                var events = nodes[i].Events;
                await Wait.UntilAsync(
                    () => events.Any(e => e.Kind == DiscoveryEventKind.Lost && e.Peer.NodeId == "peat-node-2"),
                    TimeSpan.FromSeconds(10), $"peat-node-{i} seeing the goodbye of peat-node-2");
                Assert.Equal(["peat-node-" + (1 - i)], nodes[i].Discovery.Peers.Select(p => p.NodeId));
            }
        }
        finally
        {
            foreach (var (discovery, _) in nodes)
            {
                await discovery.DisposeAsync();
            }
        }
    }

    [NetnsFact]
    public async Task SameNodeIdInTwoNamespaces_OneRenames_AndAThirdSeesBoth()
    {
        using var lan = NetnsLan.Create(3);
        var nodes = new List<(MdnsDiscovery Discovery, ConcurrentQueue<DiscoveryEvent> Events)>();
        try
        {
            nodes.Add(await StartAsync(lan, 0, "twin", 4000));
            nodes.Add(await StartAsync(lan, 1, "twin", 4001));
            nodes.Add(await StartAsync(lan, 2, "observer", 4002));
            var observer = nodes[2].Discovery;

            await Wait.UntilAsync(() => observer.Peers.Count == 2, Deadline, "observer resolving both twins");
            await Wait.UntilAsync(
                () => nodes[0].Discovery.State == MdnsResponderState.Announced && nodes[1].Discovery.State == MdnsResponderState.Announced,
                Deadline, "both twins announcing");

            Assert.Equal(
                ["twin (2)._peat._udp.local", "twin._peat._udp.local"],
                new[] { nodes[0].Discovery.InstanceName, nodes[1].Discovery.InstanceName }.Order());
            Assert.Equal(["twin-2.local", "twin.local"], new[] { nodes[0].Discovery.HostName, nodes[1].Discovery.HostName }.Order());
            Assert.All(observer.Peers, p => Assert.Equal("twin", p.NodeId));
            Assert.Equal(
                [$"{NetnsLan.AddressOf(0)}:4000", $"{NetnsLan.AddressOf(1)}:4001"],
                observer.Peers.Select(p => p.Addresses.Single().ToString()).Order());
        }
        finally
        {
            foreach (var (discovery, _) in nodes)
            {
                await discovery.DisposeAsync();
            }
        }
    }

    /// <summary>Starts a discovery whose socket lives in node <paramref name="index"/>'s namespace.</summary>
    internal static async Task<(MdnsDiscovery, ConcurrentQueue<DiscoveryEvent>)> StartAsync(NetnsLan lan, int index, string nodeId, int port)
    {
        var path = lan.PathOf(index);
        var events = new ConcurrentQueue<DiscoveryEvent>();
        var discovery = new MdnsDiscovery(new MdnsOptions(), TimeProvider.System, null,
            options => NamespaceThread.Run(path, () => MdnsUdpTransport.Open(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)),
            random: null);
        discovery.Changed += events.Enqueue;
        await discovery.StartAsync(MdnsTestLan.Advertisement(nodeId, port));
        return (discovery, events);
    }
}
