using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>One member in a peer-exchange message: who, where, and how far from the sender.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="NodeId">Member node id.</param>
/// <param name="DeviceId">Member device id, when the sender knows it.</param>
/// <param name="Addresses">Mesh addresses the sender knows for it (at most 8).</param>
/// <param name="Hops">The sender's distance to it: 0 = the sender itself, 1 = a direct peer of the sender.</param>
public sealed record PeerListEntry(string NodeId, DeviceId? DeviceId, IReadOnlyList<PeerAddress> Addresses, int Hops);
