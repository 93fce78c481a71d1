using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PeatMesh.Hosting;

namespace PeatMesh.AspNetCore;

/// <summary>Handlers of <c>health</c>, <c>ready</c> and <c>node</c>.</summary>
internal static class NodeEndpoints
{
    /// <summary><c>{"status":"healthy","node_id":…}</c> — the process is up (even while the node starts).</summary>
    public static IResult Health(MeshNodeOptions options) =>
        BrokerResults.Json(new JsonObject { ["status"] = "healthy", ["node_id"] = options.NodeId });

    /// <summary><c>{"ready":…,"node_id":…,"checks":[…]}</c>; 503 until storage is open and the mesh port is bound.</summary>
    public static IResult Ready(MeshNodeOptions options, MeshNodeHost host)
    {
        var node = host.Node;
        var failed = host.Started.IsFaulted;
        var checks = new JsonArray
        {
            Check("storage", node is not null, node is not null ? null : failed ? "node failed to start" : "opening"),
            Check("mesh_listener", node is not null, node is not null ? "listening on port " + node.MeshPort : "not bound yet"),
        };
        var ready = node is not null;
        return BrokerResults.Json(new JsonObject { ["ready"] = ready, ["node_id"] = options.NodeId, ["checks"] = checks },
            ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary><c>{"node_id","device_id","uptime_secs","version","mesh_port","broker_port"}</c>.</summary>
    public static IResult Node(MeshNodeHost host)
    {
        if (host.Node is not { } node)
        {
            return BrokerResults.NodeStarting();
        }

        return BrokerResults.Json(new JsonObject
        {
            ["node_id"] = node.NodeId,
            ["device_id"] = node.DeviceId.ToString(),
            ["uptime_secs"] = (long)node.Uptime.TotalSeconds,
            ["version"] = MeshNode.Version,
            ["mesh_port"] = node.MeshPort,
            ["broker_port"] = node.BrokerPort,
        });
    }

    private static JsonObject Check(string name, bool ready, string? message) =>
        new() { ["name"] = name, ["ready"] = ready, ["message"] = message };
}
