using Microsoft.Extensions.Logging;
using PeatMesh.Security;

namespace PeatMesh.Hosting;

/// <summary>Source-generated log messages of the hosting subsystem (event ids 7000–7099).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information,
        Message = "Mesh started node_id={NodeId} device_id={DeviceId} mesh_port={MeshPort} static_peers={StaticPeers}")]
    public static partial void MeshStarted(ILogger logger, string nodeId, DeviceId deviceId, int meshPort, int staticPeers);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Shutting down... node_id={NodeId}")]
    public static partial void MeshStopping(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "peat-mesh-node stopped node_id={NodeId}")]
    public static partial void MeshStopped(ILogger logger, string nodeId);
}
