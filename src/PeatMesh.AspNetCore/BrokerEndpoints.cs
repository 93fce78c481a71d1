using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PeatMesh.AspNetCore;

/// <summary>
/// Maps the broker's HTTP/WebSocket API (decision 8): the reference's read routes with their response
/// shapes, plus document writes. Routes, relative to the prefix (default <c>/api/v1</c>):
/// <c>GET health</c>, <c>GET ready</c>, <c>GET node</c>, <c>GET peers</c>, <c>GET peers/{id}</c>,
/// <c>GET topology</c>, <c>GET documents/{collection}</c>,
/// <c>GET|PUT|PATCH|DELETE documents/{collection}/{id}</c>, <c>GET ws</c> (WebSocket events).
/// Errors are <c>{"error": message, "status": code}</c>. Full contract: docs/broker-api.md.
/// </summary>
/// <remarks>
/// Requires <see cref="PeatMeshServiceCollectionExtensions.AddPeatMeshNode"/> and, for <c>ws</c>,
/// <c>app.UseWebSockets()</c> in the pipeline.
/// </remarks>
public static class BrokerEndpoints
{
    /// <summary>Maps the broker routes under <paramref name="prefix"/>.</summary>
    public static IEndpointRouteBuilder MapPeatMeshBroker(this IEndpointRouteBuilder endpoints, string prefix = "/api/v1")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/health", NodeEndpoints.Health);
        group.MapGet("/ready", NodeEndpoints.Ready);
        group.MapGet("/node", NodeEndpoints.Node);
        group.MapGet("/peers", PeerEndpoints.List);
        group.MapGet("/peers/{id}", PeerEndpoints.Get);
        group.MapGet("/topology", PeerEndpoints.Topology);
        group.MapGet("/documents/{collection}", DocumentEndpoints.List);
        group.MapGet("/documents/{collection}/{id}", DocumentEndpoints.Get);
        group.MapPut("/documents/{collection}/{id}", DocumentEndpoints.Put);
        group.MapPatch("/documents/{collection}/{id}", DocumentEndpoints.Patch);
        group.MapDelete("/documents/{collection}/{id}", DocumentEndpoints.Delete);
        group.Map("/ws", EventSocket.HandleAsync);
        group.MapFallback((HttpContext context) =>
            BrokerResults.Error(StatusCodes.Status404NotFound, "no such route: " + context.Request.Method + " " + context.Request.Path));
        return endpoints;
    }
}
