using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using PeatMesh.Hosting;
using PeatMesh.Sync;
using PeatMesh.Topology;

namespace PeatMesh.AspNetCore;

/// <summary>
/// <c>GET /api/v1/ws</c>: a WebSocket that streams node events as JSON text frames, one object each,
/// with a <c>type</c> of <c>document_changed</c>, <c>document_deleted</c>, <c>peer_connected</c>,
/// <c>peer_disconnected</c>, <c>member_changed</c> (a member's state or hops changed; unreachable = partition) or
/// <c>mesh_state_changed</c>. Client frames are ignored except Close. A slow client loses the oldest
/// events beyond <see cref="Capacity"/> and then receives a <c>lagged</c> event with the count skipped.
/// </summary>
internal static class EventSocket
{
    /// <summary>Events buffered per client (256, as the reference's event channel).</summary>
    public const int Capacity = 256;

    public static async Task<IResult> HandleAsync(HttpContext context, MeshNodeHost host)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return BrokerResults.Error(StatusCodes.Status400BadRequest, "expected a WebSocket upgrade request");
        }

        if (host.Node is not { } node)
        {
            return BrokerResults.NodeStarting();
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await StreamAsync(socket, node, context.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    private static async Task StreamAsync(WebSocket socket, MeshNode node, CancellationToken aborted)
    {
        var dropped = 0L;
        var events = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref dropped));

        void OnDocument(DocumentEvent e) => events.Writer.TryWrite(new JsonObject
        {
            ["type"] = e.Kind == DocumentEventKind.Changed ? "document_changed" : "document_deleted",
            ["collection"] = e.Key.Collection,
            ["id"] = e.Key.Id,
            ["origin"] = e.Origin ?? node.NodeId,
        });
        void OnConnected(PeerInfo p) => events.Writer.TryWrite(new JsonObject
        {
            ["type"] = "peer_connected",
            ["node_id"] = p.NodeId,
            ["device_id"] = p.DeviceId.ToString(),
            ["address"] = p.Address?.ToString(),
        });
        void OnDisconnected(PeerInfo p, string reason) => events.Writer.TryWrite(new JsonObject
        {
            ["type"] = "peer_disconnected",
            ["node_id"] = p.NodeId,
            ["device_id"] = p.DeviceId.ToString(),
            ["reason"] = reason,
        });

        void OnMember(MemberInfo m)
        {
            var json = PeerEndpoints.ToJson(m);
            json["type"] = "member_changed";
            events.Writer.TryWrite(json);
        }

        void OnMesh(MeshState state) => events.Writer.TryWrite(new JsonObject
        {
            ["type"] = "mesh_state_changed",
            ["state"] = state.ToString().ToLowerInvariant(),
        });

        node.Documents.DocumentChanged += OnDocument;
        node.Peers.PeerConnected += OnConnected;
        node.Peers.PeerDisconnected += OnDisconnected;
        node.Membership.MemberChanged += OnMember;
        node.Membership.MeshStateChanged += OnMesh;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        try
        {
            var receive = DrainClientAsync(socket, stop);
            await foreach (var item in events.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var skipped = Interlocked.Exchange(ref dropped, 0);
                if (skipped > 0)
                {
                    await SendAsync(socket, new JsonObject { ["type"] = "lagged", ["skipped"] = skipped }, stop.Token).ConfigureAwait(false);
                }

                await SendAsync(socket, item, stop.Token).ConfigureAwait(false);
            }

            await receive.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Client went away.
        }
        finally
        {
            node.Documents.DocumentChanged -= OnDocument;
            node.Peers.PeerConnected -= OnConnected;
            node.Peers.PeerDisconnected -= OnDisconnected;
            node.Membership.MemberChanged -= OnMember;
            node.Membership.MeshStateChanged -= OnMesh;
        }
    }

    private static async Task DrainClientAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private static Task SendAsync(WebSocket socket, JsonObject item, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(item), WebSocketMessageType.Text, true, cancellationToken);
}
