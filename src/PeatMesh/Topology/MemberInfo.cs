using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>One formation member as this node knows it (a row of <c>/api/v1/topology</c>).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="NodeId">The member's node id.</param>
/// <param name="DeviceId">Its device id, when known.</param>
/// <param name="Addresses">Mesh addresses it can be dialled at, as learned.</param>
/// <param name="Hops">Path length: 0 = this node, 1 = directly connected, n = through n−1 others; null when unreachable.</param>
/// <param name="Via">For relayed members: the neighbour on the shortest path.</param>
/// <param name="State">Health and reachability.</param>
/// <param name="Rtt">Smoothed RTT for directly connected members.</param>
/// <param name="LastSeen">Last time a path to it was confirmed.</param>
public sealed record MemberInfo(
    string NodeId,
    DeviceId? DeviceId,
    IReadOnlyList<PeerAddress> Addresses,
    int? Hops,
    string? Via,
    MemberState State,
    TimeSpan? Rtt,
    DateTimeOffset LastSeen)
{
    /// <summary>Whether a path to the member exists now.</summary>
    public bool Reachable => Hops is not null;
}
