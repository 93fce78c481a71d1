using PeatMesh.Security;

namespace PeatMesh.Discovery;

/// <summary>What this node tells discovery about itself (mDNS advertises it; other strategies may ignore it).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="NodeId">This node's id.</param>
/// <param name="DeviceId">This node's device id.</param>
/// <param name="MeshPort">The bound mesh TCP port.</param>
/// <param name="Version">Software version.</param>
/// <param name="ProtocolVersion">Mesh protocol version advertised to peers (currently 1).</param>
public sealed record LocalAdvertisement(string NodeId, DeviceId DeviceId, int MeshPort, string Version, int ProtocolVersion = 1);
