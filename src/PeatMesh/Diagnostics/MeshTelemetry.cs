using System.Diagnostics;
using System.Reflection;

namespace PeatMesh.Diagnostics;

/// <summary>
/// The node's tracing: one <see cref="System.Diagnostics.ActivitySource"/> named <see cref="ActivitySourceName"/>
/// whose spans cover Noise handshakes, sync rounds (generating and sending; applying what a peer sent) and broker
/// requests. Spans carry W3C trace context across nodes in sync traffic (the TraceContext sync frame, docs/protocol.md),
/// so one trace covers a write on one node and its application on the others. docs/observability.md has the span list.
/// </summary>
/// <remarks>
/// Thread-safe. Starting a span costs a null check while nobody listens to the source (no exporter configured and
/// no <see cref="ActivityListener"/>), which is the default.
/// </remarks>
public static class MeshTelemetry
{
    /// <summary>Name of the activity source and of the meter: <c>PeatMesh</c>.</summary>
    public const string ActivitySourceName = "PeatMesh";

    /// <summary>Span of an inbound Noise handshake (the responder side).</summary>
    public const string HandshakeInbound = "peat.handshake.inbound";

    /// <summary>Span of an outbound Noise handshake (the initiator side).</summary>
    public const string HandshakeOutbound = "peat.handshake.outbound";

    /// <summary>Span of one sync send round to a peer: generating Automerge sync messages and queueing them.</summary>
    public const string SyncSend = "peat.sync.send";

    /// <summary>Span of applying the sync frames one peer sent (for documents sharing one trace context).</summary>
    public const string SyncApply = "peat.sync.apply";

    /// <summary>Span of one broker (HTTP) request, a child of ASP.NET Core's request activity.</summary>
    public const string BrokerRequest = "peat.broker.request";

    /// <summary>Event on a <see cref="SyncApply"/> span when a peer's frames changed a document (tag <c>peat.doc_key</c>).</summary>
    public const string DocumentUpdatedEvent = "peat.document.updated";

    /// <summary>Tag naming the node that recorded a span.</summary>
    public const string NodeIdTag = "peat.node_id";

    /// <summary>Tag naming the peer a span talks to.</summary>
    public const string PeerNodeIdTag = "peat.peer.node_id";

    /// <summary>The software version (assembly informational version without build metadata).</summary>
    internal static string Version { get; } =
        typeof(MeshTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The activity source (<see cref="ActivitySourceName"/>, version <see cref="Version"/>).</summary>
    internal static ActivitySource Source { get; } = new(ActivitySourceName, Version);

    /// <summary>Marks <paramref name="activity"/> as failed: <c>error.type</c> and the status description (never a secret or a stack).</summary>
    internal static void SetError(Activity? activity, string errorType, string? description)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("error.type", errorType);
        activity.SetStatus(ActivityStatusCode.Error, description);
    }
}
