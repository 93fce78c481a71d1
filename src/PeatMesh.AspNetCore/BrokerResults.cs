using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PeatMesh.AspNetCore;

/// <summary>Response helpers: JSON bodies and the reference's error shape <c>{"error": message, "status": code}</c>.</summary>
internal static class BrokerResults
{
    public static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["error"] = message, ["status"] = status }, statusCode: status);

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) => Results.Json(body, statusCode: status);

    public static IResult NodeStarting() => Error(StatusCodes.Status503ServiceUnavailable, "node is starting");
}
