using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>
/// The formation as this node knows it: a distance-vector table of members, each with the paths (next hop →
/// hops) through which it is reachable. Direct connections give 1-hop paths; peer-exchange messages give
/// paths through their sender (split horizon: a peer does not advertise paths that go through the recipient).
/// Paths expire after <see cref="MembershipOptions.RouteTtl"/> unless repeated; paths through a neighbour
/// disappear with its connection; hops are capped at <see cref="MembershipOptions.MaxHops"/>.
/// </summary>
/// <remarks>Not thread-safe: <see cref="PeerExchange"/> serializes access.</remarks>
internal sealed class MembershipTable
{
    private readonly string _selfNodeId;
    private readonly DeviceId _selfDeviceId;
    private readonly MembershipOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (MemberState State, int? Hops)> _reported = new(StringComparer.Ordinal);
    private MeshState _reportedMesh = MeshState.Standalone;

    public MembershipTable(string selfNodeId, DeviceId selfDeviceId, MembershipOptions options, TimeProvider time)
    {
        _selfNodeId = selfNodeId;
        _selfDeviceId = selfDeviceId;
        _options = options;
        _time = time;
    }

    /// <summary>Records (or refreshes) a direct connection to <paramref name="nodeId"/>.</summary>
    public void SetDirect(string nodeId, DeviceId deviceId, PeerAddress? address, LinkState link, TimeSpan? rtt)
    {
        if (nodeId == _selfNodeId)
        {
            return;
        }

        var member = Get(nodeId);
        var now = _time.GetUtcNow();
        member.DeviceId = deviceId;
        member.AddAddress(address, front: true);
        member.Direct = (link, rtt);
        member.Routes[nodeId] = (1, now);
        if (link is LinkState.Healthy or LinkState.Degraded)
        {
            member.LastSeen = now;
        }
    }

    /// <summary>Forgets the direct connection to <paramref name="nodeId"/> and every path that went through it.</summary>
    public void RemoveDirect(string nodeId)
    {
        if (_members.TryGetValue(nodeId, out var member))
        {
            member.Direct = null;
        }

        foreach (var other in _members.Values)
        {
            other.Routes.Remove(nodeId);
        }
    }

    /// <summary>Replaces the paths learned through <paramref name="from"/> with those in its latest peer list.</summary>
    public void ApplyPeerList(string from, IReadOnlyList<PeerListEntry> entries)
    {
        var now = _time.GetUtcNow();
        foreach (var member in _members.Values)
        {
            if (member.NodeId != from)
            {
                member.Routes.Remove(from);
            }
        }

        foreach (var entry in entries)
        {
            if (entry.NodeId == _selfNodeId)
            {
                continue;
            }

            var member = Get(entry.NodeId);
            member.DeviceId ??= entry.DeviceId;
            foreach (var address in entry.Addresses)
            {
                member.AddAddress(address, front: false);
            }

            if (entry.NodeId == from)
            {
                continue; // the sender itself: its path is the direct connection
            }

            var hops = entry.Hops + 1;
            if (hops <= _options.MaxHops)
            {
                member.Routes[from] = (hops, now);
                member.LastSeen = now;
            }
        }
    }

    /// <summary>The peer list to send to <paramref name="recipient"/>: this node and what it reaches, except paths through the recipient.</summary>
    public IReadOnlyList<PeerListEntry> PeerListFor(string recipient)
    {
        var entries = new List<PeerListEntry> { new(_selfNodeId, _selfDeviceId, [], 0) };
        foreach (var member in _members.Values)
        {
            if (member.NodeId == recipient || member.Best() is not { } best || best.Via == recipient)
            {
                continue;
            }

            entries.Add(new PeerListEntry(member.NodeId, member.DeviceId, member.Addresses, best.Hops));
        }

        return entries;
    }

    /// <summary>
    /// Expires stale paths, forgets long-unreachable members, and reports what changed since the last call:
    /// members whose state or reachability changed, and the mesh state if it changed.
    /// </summary>
    public (IReadOnlyList<MemberInfo> Changed, MeshState? Mesh) Tick()
    {
        var now = _time.GetUtcNow();
        foreach (var member in _members.Values)
        {
            foreach (var (via, route) in member.Routes.ToList())
            {
                if (via != member.NodeId && now - route.Refreshed > _options.RouteTtl)
                {
                    member.Routes.Remove(via);
                }
            }
        }

        foreach (var member in _members.Values.Where(m => m.Best() is null && now - m.LastSeen > _options.ForgetAfter).ToList())
        {
            _members.Remove(member.NodeId);
            _reported.Remove(member.NodeId);
        }

        var changed = new List<MemberInfo>();
        foreach (var info in Snapshot().Where(m => m.State != MemberState.Self))
        {
            if (!_reported.TryGetValue(info.NodeId, out var previous) || previous.State != info.State || previous.Hops != info.Hops)
            {
                _reported[info.NodeId] = (info.State, info.Hops);
                changed.Add(info);
            }
        }

        var mesh = ComputeMeshState();
        MeshState? meshChange = null;
        if (mesh != _reportedMesh)
        {
            _reportedMesh = mesh;
            meshChange = mesh;
        }

        return (changed, meshChange);
    }

    /// <summary>The mesh state now.</summary>
    public MeshState ComputeMeshState() =>
        _members.Count == 0 ? MeshState.Standalone
        : _members.Values.All(m => m.Best() is not null) ? MeshState.Connected
        : MeshState.Partitioned;

    /// <summary>Every member including this node, ordered by hops then node id.</summary>
    public IReadOnlyList<MemberInfo> Snapshot()
    {
        var now = _time.GetUtcNow();
        var members = new List<MemberInfo> { new(_selfNodeId, _selfDeviceId, [], 0, null, MemberState.Self, null, now) };
        foreach (var member in _members.Values)
        {
            var best = member.Best();
            members.Add(new MemberInfo(member.NodeId, member.DeviceId, [.. member.Addresses], best?.Hops,
                best is { Hops: > 1 } ? best.Value.Via : null, StateOf(member, best, now), member.Direct?.Rtt, member.LastSeen));
        }

        return [.. members.OrderBy(m => m.Hops ?? int.MaxValue).ThenBy(m => m.NodeId, StringComparer.Ordinal)];
    }

    /// <summary>Members with addresses that are not directly connected, nearest first (dial candidates).</summary>
    public IEnumerable<(string NodeId, PeerAddress Address)> DialCandidates() =>
        _members.Values.Where(m => m.Direct is null && m.Addresses.Count > 0)
            .OrderBy(m => m.Best()?.Hops ?? int.MaxValue).ThenBy(m => m.NodeId, StringComparer.Ordinal)
            .Select(m => (m.NodeId, m.Addresses[0]));

    private MemberState StateOf(Member member, (int Hops, string Via)? best, DateTimeOffset now)
    {
        if (member.Direct is { } direct)
        {
            return direct.Link switch
            {
                LinkState.Healthy => MemberState.Healthy,
                LinkState.Degraded => MemberState.Degraded,
                _ => MemberState.Suspect,
            };
        }

        if (best is not null)
        {
            return MemberState.Relayed;
        }

        return now - member.LastSeen > _options.HeartbeatInterval * _options.DeadAfterMissed ? MemberState.Dead : MemberState.Suspect;
    }

    private Member Get(string nodeId)
    {
        if (!_members.TryGetValue(nodeId, out var member))
        {
            member = new Member(nodeId, _time.GetUtcNow());
            _members[nodeId] = member;
        }

        return member;
    }

    private sealed class Member(string nodeId, DateTimeOffset firstSeen)
    {
        public string NodeId { get; } = nodeId;

        public DeviceId? DeviceId { get; set; }

        public List<PeerAddress> Addresses { get; } = [];

        public Dictionary<string, (int Hops, DateTimeOffset Refreshed)> Routes { get; } = new(StringComparer.Ordinal);

        public (LinkState Link, TimeSpan? Rtt)? Direct { get; set; }

        public DateTimeOffset LastSeen { get; set; } = firstSeen;

        public (int Hops, string Via)? Best()
        {
            (int Hops, string Via)? best = null;
            foreach (var (via, route) in Routes)
            {
                if (best is null || route.Hops < best.Value.Hops || (route.Hops == best.Value.Hops && string.CompareOrdinal(via, best.Value.Via) < 0))
                {
                    best = (route.Hops, via);
                }
            }

            return best;
        }

        public void AddAddress(PeerAddress? address, bool front)
        {
            if (address is null)
            {
                return;
            }

            var index = Addresses.IndexOf(address);
            if (index == 0 || (index > 0 && !front))
            {
                return;
            }

            if (index > 0)
            {
                Addresses.RemoveAt(index);
            }

            if (front)
            {
                Addresses.Insert(0, address);
            }
            else
            {
                Addresses.Add(address);
            }

            if (Addresses.Count > PeerListMessage.MaxAddresses)
            {
                Addresses.RemoveAt(Addresses.Count - 1);
            }
        }
    }
}
