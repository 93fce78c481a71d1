using System.Net;
using Microsoft.Extensions.Logging;

namespace PeatMesh.Transport.Tcp;

/// <summary>Log messages of the TCP transport (transport range, 2010–2029).</summary>
internal static partial class TcpLog
{
    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Mesh listener bound to {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Accepting a mesh connection failed: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Rejected inbound handshake from {Remote}: {Error} {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, EndPoint? remote, MeshTransportError error, string reason);
}
