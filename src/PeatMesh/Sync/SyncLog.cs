using Microsoft.Extensions.Logging;
using PeatMesh.Storage;

namespace PeatMesh.Sync;

/// <summary>Source-generated log messages of the sync subsystem (event ids 4000–4099).</summary>
internal static partial class SyncLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "Document {Key} updated from {Origin} ({Changes} changes)")]
    public static partial void DocumentReceived(ILogger logger, DocumentKey key, string origin, int changes);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Document {Key} deleted (origin {Origin})")]
    public static partial void DocumentDeleted(ILogger logger, DocumentKey key, string origin);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "A document event handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Sync session started with {NodeId}: {Documents} documents, {Tombstones} tombstones to offer")]
    public static partial void SessionStarted(ILogger logger, string nodeId, int documents, int tombstones);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Malformed sync traffic from {NodeId}: {Reason}")]
    public static partial void MalformedFrame(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Rejected sync message for {Key} from {NodeId}: {Reason}")]
    public static partial void RejectedSyncMessage(ILogger logger, DocumentKey key, string nodeId, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Ignoring sync frame type {Type} from {NodeId}")]
    public static partial void IgnoredFrame(ILogger logger, byte type, string nodeId);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Anti-entropy re-offered {Documents} documents to {NodeId}")]
    public static partial void AntiEntropy(ILogger logger, string nodeId, int documents);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Debug, Message = "Ignoring a malformed trace context frame from {NodeId}")]
    public static partial void BadTraceContext(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Sync session with {NodeId} failed")]
    public static partial void SessionFailed(ILogger logger, string nodeId, Exception exception);
}
