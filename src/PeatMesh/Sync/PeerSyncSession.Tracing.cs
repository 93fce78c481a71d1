using System.Diagnostics;
using PeatMesh.Diagnostics;
using PeatMesh.Sync.Wire;

namespace PeatMesh.Sync;

/// <content>Trace context capture, spans and frame labels of a sync session.</content>
internal sealed partial class PeerSyncSession
{
    /// <summary>The sync-frame type as a <c>type</c> label: delta, snapshot, tombstone, tombstone_batch, batch, trace_context, …</summary>
    internal static string FrameTypeLabel(SyncMessageType type) => type switch
    {
        SyncMessageType.DeltaSync => "delta",
        SyncMessageType.StateSnapshot => "snapshot",
        SyncMessageType.Tombstone => "tombstone",
        SyncMessageType.TombstoneBatch => "tombstone_batch",
        SyncMessageType.SyncBatch => "batch",
        SyncMessageType.TraceContext => "trace_context",
        _ => MetricLabels.SnakeCase(type),
    };

    /// <summary>The current activity's context when the node traces; null otherwise (no capture, no cost).</summary>
    private static ActivityContext? CurrentTraceParent() =>
        MeshTelemetry.Source.HasListeners() && Activity.Current is { } current ? current.Context : null;

    /// <summary>
    /// Starts a span with <paramref name="parent"/> (a root span for the default context) tagged with both node ids,
    /// without making it current.
    /// </summary>
    private Activity? StartDetached(string name, ActivityKind kind, ActivityContext parent)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        var span = MeshTelemetry.Source.StartActivity(name, kind, parent);
        Activity.Current = previous;
        Tag(span);
        return span;
    }

    private void Tag(Activity? span)
    {
        span?.SetTag(MeshTelemetry.NodeIdTag, Connection.LocalHello.NodeId);
        span?.SetTag(MeshTelemetry.PeerNodeIdTag, PeerNodeId);
    }

    /// <summary>
    /// Adds a <c>peat.document.updated</c> event (tag <c>peat.doc_key</c>) to the current apply span: the peer's frames
    /// changed the document (not merely an exchange of heads).
    /// </summary>
    private static void RecordDocumentUpdated(string docKey) =>
        Activity.Current?.AddEvent(new ActivityEvent(MeshTelemetry.DocumentUpdatedEvent,
            tags: new ActivityTagsCollection { ["peat.doc_key"] = docKey }));

    /// <summary>
    /// Applies documents that arrived under one trace context in an apply span, child of that context (a root span for
    /// the default context). The span is current while they apply, so replies and pushes to other peers continue the trace.
    /// </summary>
    private async Task ApplyTracedAsync(ActivityContext parent, IReadOnlyList<IGrouping<string, SyncFrame>> documents)
    {
        Activity.Current = null;
        using var span = MeshTelemetry.Source.StartActivity(MeshTelemetry.SyncApply, ActivityKind.Consumer, parent);
        Tag(span);
        span?.SetTag("peat.sync.documents", documents.Count);
        if (documents.Count == 1)
        {
            span?.SetTag("peat.doc_key", documents[0].Key);
        }

        await Task.WhenAll(documents.Select(d => ApplyDocumentFramesAsync(d.Key, [.. d]))).ConfigureAwait(false);
    }
}
