using Microsoft.Extensions.Logging;

namespace PeatMesh.Transport;

/// <summary>Source-generated log messages of the transport subsystem (event ids 2000–2099, see <see cref="Diagnostics.MeshEventIds"/>).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Connection to {NodeId} ({DeviceId}) closed: {Error} {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string nodeId, PeatMesh.Security.DeviceId deviceId, MeshTransportError error, string reason);
}
