using Microsoft.AspNetCore.Builder;

namespace PeatMesh.AspNetCore;

/// <summary>Adds the broker's request telemetry to an ASP.NET Core pipeline.</summary>
public static class TelemetryApplicationBuilderExtensions
{
    /// <summary>
    /// Adds middleware that records every request in <c>peat_http_requests_total{route,method,status}</c> and
    /// <c>peat_http_request_duration_seconds{route,method}</c> (route = the matched endpoint's route template, e.g.
    /// <c>/api/v1/documents/{collection}/{id}</c>, or <c>unmatched</c>; never the raw path) and runs it in a
    /// <c>peat.broker.request</c> span, a child of ASP.NET Core's request activity. Call it first, before the exception
    /// handler, so it sees the final status code. Requires <see cref="PeatMeshServiceCollectionExtensions.AddPeatMeshNode"/>.
    /// </summary>
    public static IApplicationBuilder UsePeatMeshTelemetry(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<BrokerTelemetryMiddleware>();
    }
}
