using PeatMesh.Discovery;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

public class MdnsDiscoveryLifecycleTests
{
    [Fact]
    public async Task StartAsync_Twice_Throws()
    {
        await using var lan = new MdnsTestLan();
        var node = await lan.StartNodeAsync("10.0.0.1", "node-a", 1111);

        await Assert.ThrowsAsync<InvalidOperationException>(() => node.StartAsync(MdnsTestLan.Advertisement("node-a", 1111)));
        Assert.Equal("mdns", node.Name);
    }

    [Fact]
    public async Task StartAsync_AfterDispose_Throws()
    {
        var node = new MdnsDiscovery(new MdnsOptions(), TimeProvider.System);
        await node.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => node.StartAsync(MdnsTestLan.Advertisement("node-a", 1111)));
    }

    [Theory]
    [InlineData("", 1111)]
    [InlineData("node-a", 0)]
    [InlineData("node-a", 65536)]
    public async Task StartAsync_BadAdvertisement_ThrowsArgumentException(string nodeId, int port)
    {
        await using var node = new MdnsDiscovery(new MdnsOptions(), TimeProvider.System);

        await Assert.ThrowsAsync<ArgumentException>(() => node.StartAsync(new LocalAdvertisement(nodeId, MdnsTestLan.DeviceOf("x"), port, "1")));
    }

    [Fact]
    public async Task StartAsync_NodeIdTooLongForTxt_ThrowsArgumentException()
    {
        await using var node = new MdnsDiscovery(new MdnsOptions(), TimeProvider.System);

        await Assert.ThrowsAsync<ArgumentException>(() => node.StartAsync(MdnsTestLan.Advertisement(new string('n', 250), 1111)));
    }

    [Fact]
    public async Task StartAsync_TransportFails_CanBeRetried()
    {
        await using var lan = new MdnsTestLan();
        var transport = lan.Network.AddHost("10.0.0.1");
        var attempts = 0;
        await using var node = new MdnsDiscovery(new MdnsOptions(), lan.Clock, null,
            _ => ++attempts == 1 ? throw new InvalidOperationException("no interface") : transport, new Random(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => node.StartAsync(MdnsTestLan.Advertisement("node-a", 1111)));
        await node.StartAsync(MdnsTestLan.Advertisement("node-a", 1111));

        Assert.Equal(MdnsResponderState.Probing, node.State);
        Assert.Equal("node-a._peat._udp.local", node.InstanceName);
    }

    [Fact]
    public void BeforeStart_PeersEmptyAndNamesUnknown()
    {
        var node = new MdnsDiscovery(new MdnsOptions(), TimeProvider.System);

        Assert.Empty(node.Peers);
        Assert.Null(node.InstanceName);
        Assert.Null(node.HostName);
        Assert.Equal(MdnsResponderState.Idle, node.State);
    }

    [Fact]
    public async Task CustomServiceType_IsAdvertisedAndBrowsed()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        var options = new MdnsOptions { ServiceType = "_peat-test._tcp" };
        var a = await lan.StartNodeAsync("10.0.0.1", "node-a", 1111, events, options);
        await lan.StartNodeAsync("10.0.0.2", "node-b", 2222, options: options);
        await lan.StartNodeAsync("10.0.0.3", "node-c", 3333); // default _peat._udp: invisible to the others

        lan.Run(TimeSpan.FromSeconds(5));

        Assert.Equal("node-a._peat-test._tcp.local", a.InstanceName);
        Assert.Equal("node-b", Assert.Single(events).Peer.NodeId);
    }
}
