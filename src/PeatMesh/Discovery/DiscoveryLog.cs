using Microsoft.Extensions.Logging;

namespace PeatMesh.Discovery;

/// <summary>Log messages of the discovery subsystem (event ids 5000–5099; strategies use 5010 and up).</summary>
internal static partial class DiscoveryLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Discovery strategy started: {Strategy}")]
    public static partial void StrategyStarted(ILogger logger, string strategy);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Discovery {Kind} node_id={NodeId} source={Source} addresses={AddressCount}")]
    public static partial void PeerEvent(ILogger logger, DiscoveryEventKind kind, string nodeId, string source, int addressCount);
}
