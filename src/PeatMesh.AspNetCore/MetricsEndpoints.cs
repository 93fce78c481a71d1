using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PeatMesh.Diagnostics;

namespace PeatMesh.AspNetCore;

/// <summary>Maps the Prometheus scrape endpoint.</summary>
public static class MetricsEndpoints
{
    /// <summary>
    /// Maps <c>GET <paramref name="pattern"/></c> (default <c>/metrics</c>, at the root, not under <c>/api/v1</c>): the
    /// node's metrics in Prometheus text exposition format 0.0.4 (<see cref="PrometheusMetricsExporter.ContentType"/>).
    /// Requires <see cref="PeatMeshServiceCollectionExtensions.AddPeatMeshNode"/>. Metric list: docs/observability.md.
    /// </summary>
    public static IEndpointRouteBuilder MapPeatMeshMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(pattern, (HttpContext context) =>
        {
            var exporter = context.RequestServices.GetRequiredService<PrometheusMetricsExporter>();
            return Results.Text(exporter.Collect(), PrometheusMetricsExporter.ContentType);
        });
        return endpoints;
    }
}
