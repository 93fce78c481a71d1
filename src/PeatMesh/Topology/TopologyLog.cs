using Microsoft.Extensions.Logging;
using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>Source-generated log messages of the topology subsystem (event ids 6000–6099).</summary>
internal static partial class TopologyLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information,
        Message = "Peer connected node_id={NodeId} device_id={DeviceId} direction={Direction} address={Address}")]
    public static partial void PeerConnected(ILogger logger, string nodeId, DeviceId deviceId, ConnectionDirection direction, PeerAddress? address);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Peer disconnected node_id={NodeId} device_id={DeviceId} reason={Reason}")]
    public static partial void PeerDisconnected(ILogger logger, string nodeId, DeviceId deviceId, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Dial to {Address} failed (attempt {Attempt}), retrying in {DelaySeconds:0.0} s: {Reason}")]
    public static partial void DialFailed(ILogger logger, PeerAddress address, int attempt, double delaySeconds, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Address {Address} is this node; not dialling it")]
    public static partial void SelfAddress(ILogger logger, PeerAddress address);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Rejected inbound connection from {Address}: {Reason}")]
    public static partial void InboundRejected(ILogger logger, System.Net.EndPoint? address, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Error, Message = "A peer event handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Member reachable node_id={NodeId} hops={Hops} state={State}")]
    public static partial void MemberReachable(ILogger logger, string nodeId, int hops, MemberState state);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Member unreachable (partition) node_id={NodeId} state={State}")]
    public static partial void MemberUnreachable(ILogger logger, string nodeId, MemberState state);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Mesh state {State}")]
    public static partial void MeshStateChanged(ILogger logger, MeshState state);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Warning, Message = "Malformed peer list from {NodeId}: {Reason}")]
    public static partial void BadPeerList(ILogger logger, string nodeId, string reason);
}
