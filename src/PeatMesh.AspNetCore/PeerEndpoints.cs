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
    /// <c>{"node_id","state","peer_count","member_count","role","hierarchy_level","members":[…]}</c>: every known
    /// member (this node at hops 0, direct peers at 1, others through peer exchange) with its state, hops, next hop,
    /// RTT and last-seen time; <c>state</c> is <c>standalone</c>, <c>connected</c> or <c>partitioned</c>.
    /// </summary>
    public static IResult Topology(MeshNodeHost host)
    {
        if (host.Node is not { } node)
        {
            return BrokerResults.NodeStarting();
        }

        var peerCount = node.Peers.Peers.Count;
        var members = node.Membership.Members;
        return BrokerResults.Json(new JsonObject
        {
            ["node_id"] = node.NodeId,
            ["state"] = node.Membership.State.ToString().ToLowerInvariant(),
            ["peer_count"] = peerCount,
            ["member_count"] = members.Count,
            ["role"] = peerCount == 0 ? "standalone" : "member",
            ["hierarchy_level"] = 0,
            ["members"] = new JsonArray([.. members.Select(ToJson)]),
        });
    }

    /// <summary>A member as JSON (also used by WebSocket events).</summary>
    internal static JsonObject ToJson(MemberInfo member) => new()
    {
        ["node_id"] = member.NodeId,
        ["device_id"] = member.DeviceId?.ToString(),
        ["hops"] = member.Hops,
        ["via"] = member.Via,
        ["state"] = member.State.ToString().ToLowerInvariant(),
        ["reachable"] = member.Reachable,
        ["rtt_ms"] = member.Rtt is { } rtt ? Math.Round(rtt.TotalMilliseconds, 3) : null,
        ["last_seen"] = member.LastSeen.ToString("O", CultureInfo.InvariantCulture),
        ["addresses"] = new JsonArray([.. member.Addresses.Select(a => (JsonNode)a.ToString())]),
    };

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
