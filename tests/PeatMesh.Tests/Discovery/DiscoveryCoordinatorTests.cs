using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Discovery;
using PeatMesh.Discovery.Static;
using PeatMesh.Security;
using PeatMesh.Topology;
using PeatMesh.Transport;
using PeatMesh.Transport.InMemory;

namespace PeatMesh.Tests.Discovery;

public sealed class DiscoveryCoordinatorTests : IAsyncLifetime
{
    private readonly DeviceKeypair _key = DeviceKeypair.Generate();
    private MeshPeerManager _peers = null!;

    private sealed class FakeStrategy(string name) : IDiscoveryStrategy
    {
        public string Name => name;

        public IReadOnlyCollection<DiscoveredPeer> Peers => [];

        public event Action<DiscoveryEvent>? Changed;

        public Task StartAsync(LocalAdvertisement self, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public void Raise(DiscoveryEventKind kind, string nodeId, params string[] addresses) =>
            Changed?.Invoke(new DiscoveryEvent(kind, new DiscoveredPeer(nodeId, [.. addresses.Select(PeerAddress.Parse)], name, new Dictionary<string, string>())));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class AcceptAll : IPeerIdentityVerifier
    {
        public bool Verify(string nodeId, ReadOnlySpan<byte> identityKey) => true;
    }

    public async Task InitializeAsync()
    {
        var transport = new InMemoryMeshTransport(new InMemoryNetwork(), _key.PublicKey.ToArray(), "f");
        _peers = new MeshPeerManager(transport, _key.DeviceId, port => new PeerHello("self", port, 0, "t", [MeshProtocols.AutomergeSync]),
            new AcceptAll(), new PeerManagerOptions(), TimeProvider.System, NullLogger.Instance);
        await _peers.StartAsync();
    }

    private static LocalAdvertisement Self => new("self", default, 1, "t");

    [Fact]
    public async Task SamePeerFromTwoStrategies_IsOnePeer_DialledUntilBothLoseIt()
    {
        var mdns = new FakeStrategy("mdns");
        var k8s = new FakeStrategy("kubernetes");
        await using var coordinator = new DiscoveryCoordinator([mdns, k8s], _peers, NullLogger.Instance);
        await coordinator.StartAsync(Self);

        mdns.Raise(DiscoveryEventKind.Found, "peat-1", "10.0.0.1:11204");
        k8s.Raise(DiscoveryEventKind.Found, "peat-1", "10.0.0.1:11204", "10.0.1.1:11204");

        var merged = Assert.Single(coordinator.Peers);
        Assert.Equal("kubernetes,mdns", merged.Source);
        Assert.Equal(["10.0.0.1:11204", "10.0.1.1:11204"], merged.Addresses.Select(a => a.ToString()));
        Assert.Equal(2, _peers.DialedAddresses.Count);

        mdns.Raise(DiscoveryEventKind.Lost, "peat-1", "10.0.0.1:11204");
        Assert.Equal(2, _peers.DialedAddresses.Count);

        k8s.Raise(DiscoveryEventKind.Updated, "peat-1", "10.0.1.1:11204");
        Assert.Equal(["10.0.1.1:11204"], _peers.DialedAddresses.Select(a => a.ToString()));

        k8s.Raise(DiscoveryEventKind.Lost, "peat-1", "10.0.1.1:11204");
        Assert.Empty(_peers.DialedAddresses);
        Assert.Empty(coordinator.Peers);
    }

    [Fact]
    public async Task StaticDiscovery_ReportsEveryAddressOnceAtStart()
    {
        await using var coordinator = new DiscoveryCoordinator(
            [new StaticDiscovery([PeerAddress.Parse("a:1"), PeerAddress.Parse("b:2"), PeerAddress.Parse("a:1")])], _peers, NullLogger.Instance);

        await coordinator.StartAsync(Self);

        Assert.Equal(["a:1", "b:2"], coordinator.Peers.Select(p => p.Addresses.Single().ToString()).Order());
        Assert.Equal(2, _peers.DialedAddresses.Count);
    }

    public async Task DisposeAsync()
    {
        await _peers.DisposeAsync();
        _key.Dispose();
    }
}
