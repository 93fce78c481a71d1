using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>A snapshot of one connected peer, as <c>/api/v1/peers</c> reports it.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="NodeId">The peer's node id.</param>
/// <param name="DeviceId">The peer's device id.</param>
/// <param name="Address">The peer's dialable mesh address, when known.</param>
/// <param name="ConnectedSince">When the current connection was established.</param>
/// <param name="Rtt">Smoothed round-trip time, or <see langword="null"/> before the first heartbeat answer.</param>
/// <param name="State">Link health.</param>
/// <param name="Direction">Who dialled.</param>
public sealed record PeerInfo(
    string NodeId,
    DeviceId DeviceId,
    PeerAddress? Address,
    DateTimeOffset ConnectedSince,
    TimeSpan? Rtt,
    LinkState State,
    ConnectionDirection Direction)
{
    /// <summary>Builds the snapshot of a connection.</summary>
    public static PeerInfo From(MeshConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new PeerInfo(
            connection.RemoteNodeId,
            connection.RemoteDeviceId,
            PeerAddress.FromEndPoint(connection.RemoteEndPoint, connection.RemoteHello.MeshPort),
            connection.ConnectedSince,
            connection.SmoothedRtt,
            connection.LinkState,
            connection.Direction);
    }
}
