using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Security;
using PeatMesh.Topology;
using PeatMesh.Transport;
using PeatMesh.Transport.InMemory;

namespace PeatMesh.Tests.Topology;

public sealed class MeshPeerManagerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly InMemoryNetwork _network = new();
    private readonly List<MeshPeerManager> _managers = [];
    private readonly List<DeviceKeypair> _keys = [];

    private sealed class AcceptAll : IPeerIdentityVerifier
    {
        public bool Verify(string nodeId, ReadOnlySpan<byte> identityKey) => true;
    }

    private sealed class RejectNode(string rejected) : IPeerIdentityVerifier
    {
        public bool Verify(string nodeId, ReadOnlySpan<byte> identityKey) => nodeId != rejected;
    }

    private async Task<(MeshPeerManager Manager, InMemoryMeshTransport Transport, DeviceKeypair Key)> StartNodeAsync(
        string nodeId, string formation = "f1", IPeerIdentityVerifier? verifier = null, DeviceKeypair? key = null)
    {
        key ??= DeviceKeypair.Generate();
        _keys.Add(key);
        var transport = new InMemoryMeshTransport(_network, key.PublicKey.ToArray(), formation);
        var options = new PeerManagerOptions
        {
            Reconnection = new ReconnectionPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) },
            Connection = new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan },
            RandomSeed = 7,
        };
        var manager = new MeshPeerManager(transport, key.DeviceId,
            port => new PeerHello(nodeId, port, 0, "test", [MeshProtocols.AutomergeSync]),
            verifier ?? new AcceptAll(), options, TimeProvider.System, NullLogger.Instance);
        await manager.StartAsync();
        _managers.Add(manager);
        return (manager, transport, key);
    }

    [Fact]
    public async Task AddPeer_Reachable_BothSidesConnectedOnceWithEvents()
    {
        var (a, _, keyA) = await StartNodeAsync("a");
        var (b, transportB, keyB) = await StartNodeAsync("b");
        var connectedAtA = new List<PeerInfo>();
        a.PeerConnected += p => { lock (connectedAtA) { connectedAtA.Add(p); } };

        a.AddPeer(transportB.Address!);

        await Wait.UntilAsync(() => a.Peers.Count == 1 && b.Peers.Count == 1, Deadline, "a and b see each other");
        Assert.Equal("b", a.Peers[0].NodeId);
        Assert.Equal(keyB.DeviceId, a.Peers[0].DeviceId);
        Assert.Equal(keyA.DeviceId, b.Peers[0].DeviceId);
        Assert.Equal(ConnectionDirection.Outbound, a.Peers[0].Direction);
        lock (connectedAtA)
        {
            Assert.Single(connectedAtA);
        }
    }

    [Fact]
    public async Task AddPeer_BothDialEachOther_ConvergeOnOneConnectionChosenByDeviceId()
    {
        var (a, transportA, keyA) = await StartNodeAsync("a");
        var (b, transportB, keyB) = await StartNodeAsync("b");

        a.AddPeer(transportB.Address!);
        b.AddPeer(transportA.Address!);

        await Wait.UntilAsync(() => a.Peers.Count == 1 && b.Peers.Count == 1, Deadline, "a and b connected");

        // The connection initiated by the smaller device id survives on both sides.
        var aInitiates = keyA.DeviceId < keyB.DeviceId;
        await Wait.UntilAsync(
            () => a.Connections.Single().Direction == (aInitiates ? ConnectionDirection.Outbound : ConnectionDirection.Inbound)
               && b.Connections.Single().Direction == (aInitiates ? ConnectionDirection.Inbound : ConnectionDirection.Outbound),
            Deadline, "tie-break settles on the connection the smaller device id initiated");
        Assert.True(a.Connections.Single().IsOpen);
    }

    [Fact]
    public async Task AddPeer_OwnAddress_IsDroppedWithoutConnection()
    {
        var (a, transportA, _) = await StartNodeAsync("a");
        var closed = 0;
        a.ConnectionClosed += _ => Interlocked.Increment(ref closed);

        a.AddPeer(transportA.Address!);
        var (b, transportB, _) = await StartNodeAsync("b");
        a.AddPeer(transportB.Address!);

        await Wait.UntilAsync(() => a.Peers.Count == 1, Deadline, "a connects to b");
        Assert.Equal("b", Assert.Single(a.Peers).NodeId);
        Assert.Equal(0, Volatile.Read(ref closed));
    }

    [Fact]
    public async Task AddPeer_IdentityRejected_NeverConnects()
    {
        var (a, _, _) = await StartNodeAsync("a", verifier: new RejectNode("mallory"));
        var (_, transportM, _) = await StartNodeAsync("mallory");
        var (b, transportB, _) = await StartNodeAsync("b");

        a.AddPeer(transportM.Address!);
        a.AddPeer(transportB.Address!);

        await Wait.UntilAsync(() => a.Peers.Count == 1, Deadline, "a connects to b");
        Assert.DoesNotContain(a.Peers, p => p.NodeId == "mallory");
    }

    [Fact]
    public async Task AddPeer_OtherFormation_RetriesButNeverConnects()
    {
        var (a, _, _) = await StartNodeAsync("a", "f1");
        var (stranger, transportS, _) = await StartNodeAsync("stranger", "f2");
        var (b, transportB, _) = await StartNodeAsync("b", "f1");

        a.AddPeer(transportS.Address!);
        a.AddPeer(transportB.Address!);

        await Wait.UntilAsync(() => a.Peers.Count == 1, Deadline, "a connects to its formation peer");
        Assert.Equal("b", a.Peers.Single().NodeId);
        Assert.Empty(stranger.Peers);
    }

    [Fact]
    public async Task DialLoop_PeerClosesConnection_Reconnects()
    {
        var (a, _, _) = await StartNodeAsync("a");
        var (b, transportB, _) = await StartNodeAsync("b");
        var disconnects = 0;
        a.PeerDisconnected += (_, _) => Interlocked.Increment(ref disconnects);
        a.AddPeer(transportB.Address!);
        await Wait.UntilAsync(() => a.Peers.Count == 1, Deadline, "first connection");
        var first = a.Connections.Single();

        await b.Connections.Single().CloseAsync("test drop");

        await Wait.UntilAsync(() => Volatile.Read(ref disconnects) == 1, Deadline, "a notices the drop");
        await Wait.UntilAsync(() => a.Connections.SingleOrDefault() is { IsOpen: true } c && c != first, Deadline, "a redials b");
    }

    [Fact]
    public async Task DisposeAsync_ConnectedPeers_EveryDisconnectIsRaisedBeforeItReturns()
    {
        // The node logs "stopped" after this returns and the process may exit right after: a disconnect reported later
        // (the connection's completion runs its continuations asynchronously) would be lost or cut mid-line.
        var (a, _, _) = await StartNodeAsync("a");
        var (_, transportB, _) = await StartNodeAsync("b");
        var (_, transportC, _) = await StartNodeAsync("c");
        var disconnects = 0;
        a.PeerDisconnected += (_, _) => Interlocked.Increment(ref disconnects);
        a.AddPeer(transportB.Address!);
        a.AddPeer(transportC.Address!);
        await Wait.UntilAsync(() => a.Peers.Count == 2, Deadline, "a connected to b and c");

        await a.DisposeAsync();

        Assert.Equal(2, Volatile.Read(ref disconnects));
        Assert.Empty(a.Connections);
    }

    [Fact]
    public async Task AddPeer_AfterDispose_IsIgnored()
    {
        // Peer exchange may finish a round (and ask for a dial) while the node is stopping: that must not throw.
        var (a, _, _) = await StartNodeAsync("a");
        var (_, transportB, _) = await StartNodeAsync("b");
        await a.DisposeAsync();

        a.AddPeer(transportB.Address!);

        Assert.Empty(a.DialedAddresses);
        Assert.Empty(a.Connections);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var manager in _managers)
        {
            await manager.DisposeAsync();
        }

        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}
