using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PeatMesh.Topology;

namespace PeatMesh.AspNetCore;

/// <summary>Handlers of <c>peers</c>, <c>peers/{id}</c> and <c>topology</c>.</summary>
internal static class PeerEndpoints
{
    /// <summary><c>{"peers":[…],"count":n}</c> — the connected peers.</summary>
    public static IResult List(MeshNodeHost host)
    {
        if (host.Node is not { } node)
        {
            return BrokerResults.NodeStarting();
        }

        var peers = new JsonArray([.. node.Peers.Peers.Select(ToJson)]);
        return BrokerResults.Json(new JsonObject { ["peers"] = peers, ["count"] = peers.Count });
    }

    /// <summary>One peer by node id or device id; 404 <c>peer not found: id</c>.</summary>
    public static IResult Get(string id, MeshNodeHost host)
    {
        if (host.Node is not { } node)
        {
            return BrokerResults.NodeStarting();
        }

        var peer = node.Peers.Peers.FirstOrDefault(p => p.NodeId == id || p.DeviceId.ToString() == id);
        return peer is null
            ? BrokerResults.Error(StatusCodes.Status404NotFound, "peer not found: " + id)
            : BrokerResults.Json(ToJson(peer));
    }

    /// <summary>
    /// <c>{"node_id","state","peer_count","role","hierarchy_level","members":[…]}</c>: this node (hops 0) and
    /// its connected peers (hops 1); <c>state</c> is <c>standalone</c> without peers, else <c>connected</c>.
    /// </summary>
    public static IResult Topology(MeshNodeHost host)
    {
        if (host.Node is not { } node)
        {
            return BrokerResults.NodeStarting();
        }

        var peers = node.Peers.Peers;
        var members = new JsonArray
        {
            new JsonObject { ["node_id"] = node.NodeId, ["device_id"] = node.DeviceId.ToString(), ["hops"] = 0, ["state"] = "self", ["rtt_ms"] = null },
        };
        foreach (var peer in peers)
        {
            members.Add(new JsonObject
            {
                ["node_id"] = peer.NodeId,
                ["device_id"] = peer.DeviceId.ToString(),
                ["hops"] = 1,
                ["state"] = State(peer),
                ["rtt_ms"] = RttMs(peer),
            });
        }

        return BrokerResults.Json(new JsonObject
        {
            ["node_id"] = node.NodeId,
            ["state"] = peers.Count == 0 ? "standalone" : "connected",
            ["peer_count"] = peers.Count,
            ["role"] = peers.Count == 0 ? "standalone" : "member",
            ["hierarchy_level"] = 0,
            ["members"] = members,
        });
    }

    private static JsonObject ToJson(PeerInfo peer) => new()
    {
        ["id"] = peer.NodeId,
        ["node_id"] = peer.NodeId,
        ["device_id"] = peer.DeviceId.ToString(),
        ["address"] = peer.Address?.ToString(),
        ["connected"] = true,
        ["connected_since"] = peer.ConnectedSince.ToString("O", CultureInfo.InvariantCulture),
        ["rtt_ms"] = RttMs(peer),
        ["state"] = State(peer),
        ["direction"] = peer.Direction.ToString().ToLowerInvariant(),
    };

    private static string State(PeerInfo peer) => peer.State.ToString().ToLowerInvariant();

    private static double? RttMs(PeerInfo peer) => peer.Rtt is { } rtt ? Math.Round(rtt.TotalMilliseconds, 3) : null;
}
