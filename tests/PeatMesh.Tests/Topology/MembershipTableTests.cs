using PeatMesh.Security;
using PeatMesh.Testing;
using PeatMesh.Topology;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Topology;

public class MembershipTableTests
{
    private static readonly DeviceId A = DeviceId.FromBytes(new byte[16]);
    private readonly ManualTimeProvider _time = new();
    private readonly MembershipOptions _options = new();

    private MembershipTable NewTable() => new("a", A, _options, _time);

    private static PeerListEntry Entry(string node, int hops, string? address = null) =>
        new(node, null, address is null ? [] : [PeerAddress.Parse(address)], hops);

    private static DeviceId Device(byte b) => DeviceId.FromBytes(Enumerable.Repeat(b, 16).ToArray());

    [Fact]
    public void ApplyPeerList_Chain_LearnsMembersWithHopCountsAndNextHop()
    {
        var table = NewTable();
        table.SetDirect("b", Device(2), PeerAddress.Parse("10.0.0.2:11204"), LinkState.Healthy, TimeSpan.FromMilliseconds(3));

        table.ApplyPeerList("b", [Entry("b", 0), Entry("c", 1, "10.0.0.3:11204"), Entry("d", 2), Entry("a", 1)]);

        var members = table.Snapshot().ToDictionary(m => m.NodeId);
        Assert.Equal(0, members["a"].Hops);
        Assert.Equal(MemberState.Self, members["a"].State);
        Assert.Equal(1, members["b"].Hops);
        Assert.Equal(MemberState.Healthy, members["b"].State);
        Assert.Equal(2, members["c"].Hops);
        Assert.Equal("b", members["c"].Via);
        Assert.Equal(MemberState.Relayed, members["c"].State);
        Assert.Equal(3, members["d"].Hops);
        Assert.Equal(["10.0.0.3:11204"], members["c"].Addresses.Select(a => a.ToString()));
        Assert.Equal(MeshState.Connected, table.ComputeMeshState());
    }

    [Fact]
    public void PeerListFor_LeavesOutPathsThroughTheRecipient()
    {
        var table = NewTable();
        table.SetDirect("b", Device(2), null, LinkState.Healthy, null);
        table.SetDirect("x", Device(9), null, LinkState.Healthy, null);
        table.ApplyPeerList("b", [Entry("b", 0), Entry("c", 1)]);

        var toB = table.PeerListFor("b").Select(e => e.NodeId).ToList();
        var toX = table.PeerListFor("x").ToDictionary(e => e.NodeId, e => e.Hops);

        // Hops are the sender's own distance: itself 0, its direct peer b 1, c (through b) 2.
        Assert.Equal(["a", "x"], toB.Order());
        Assert.Equal(0, toX["a"]);
        Assert.Equal(1, toX["b"]);
        Assert.Equal(2, toX["c"]);
    }

    [Fact]
    public void ApplyPeerList_BeyondMaxHops_IsIgnored()
    {
        _options.MaxHops = 3;
        var table = NewTable();
        table.SetDirect("b", Device(2), null, LinkState.Healthy, null);

        table.ApplyPeerList("b", [Entry("b", 0), Entry("far", 3), Entry("near", 2)]);

        var members = table.Snapshot().ToDictionary(m => m.NodeId);
        Assert.Equal(3, members["near"].Hops);
        Assert.Null(members["far"].Hops);
    }

    [Fact]
    public void Tick_NeighbourLost_MemberSuspectThenDeadThenForgotten_MeshPartitionedThenConnected()
    {
        var table = NewTable();
        table.SetDirect("b", Device(2), null, LinkState.Healthy, null);
        table.SetDirect("c", Device(3), null, LinkState.Healthy, null);
        Assert.Equal(MeshState.Connected, table.Tick().Mesh);

        table.RemoveDirect("c");
        var (changed, mesh) = table.Tick();
        Assert.Equal(MemberState.Suspect, Assert.Single(changed).State);
        Assert.Equal(MeshState.Partitioned, mesh);

        _time.Advance(_options.HeartbeatInterval * _options.DeadAfterMissed + TimeSpan.FromSeconds(1));
        Assert.Equal(MemberState.Dead, Assert.Single(table.Tick().Changed).State);

        _time.Advance(_options.ForgetAfter);
        table.SetDirect("b", Device(2), null, LinkState.Healthy, null);
        Assert.Equal(MeshState.Connected, table.Tick().Mesh);
        Assert.DoesNotContain(table.Snapshot(), m => m.NodeId == "c");
    }

    [Fact]
    public void Tick_LearnedPathNotRepeated_ExpiresAfterRouteTtl()
    {
        var table = NewTable();
        table.SetDirect("b", Device(2), null, LinkState.Healthy, null);
        table.ApplyPeerList("b", [Entry("b", 0), Entry("c", 1)]);
        table.Tick();

        _time.Advance(_options.RouteTtl + TimeSpan.FromSeconds(1));
        var (changed, mesh) = table.Tick();

        var c = Assert.Single(changed);
        Assert.Equal("c", c.NodeId);
        Assert.False(c.Reachable);
        Assert.Equal(MeshState.Partitioned, mesh);
    }

    [Fact]
    public void ApplyPeerList_NewListWithoutMember_DropsThatPathAtOnce()
    {
        var table = NewTable();
        table.SetDirect("b", Device(2), null, LinkState.Healthy, null);
        table.ApplyPeerList("b", [Entry("b", 0), Entry("c", 1)]);

        table.ApplyPeerList("b", [Entry("b", 0)]);

        Assert.Null(table.Snapshot().Single(m => m.NodeId == "c").Hops);
    }

    [Fact]
    public void DialCandidates_NearestFirst_ExcludingDirectPeers()
    {
        var table = NewTable();
        table.SetDirect("b", Device(2), PeerAddress.Parse("10.0.0.2:1"), LinkState.Healthy, null);
        table.ApplyPeerList("b", [Entry("b", 0), Entry("d", 2, "10.0.0.4:1"), Entry("c", 1, "10.0.0.3:1"), Entry("noaddr", 1)]);

        Assert.Equal(["c", "d"], table.DialCandidates().Select(c => c.NodeId));
    }
}
