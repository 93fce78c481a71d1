using Microsoft.Extensions.Logging;

namespace PeatMesh.Node;

/// <summary>Log messages of the node executable (hosting range, 7050–7099).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 7050, Level = LogLevel.Information, Message = "Starting peat-mesh-node version={Version} {Configuration}")]
    public static partial void Starting(ILogger logger, string version, string configuration);

    [LoggerMessage(EventId = 7051, Level = LogLevel.Critical, Message = "Broker could not listen on port {Port}: {Reason}")]
    public static partial void ListenFailed(ILogger logger, int port, string reason);
}
