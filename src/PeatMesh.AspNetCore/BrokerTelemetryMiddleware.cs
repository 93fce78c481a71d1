using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PeatMesh.Diagnostics;
using PeatMesh.Hosting;

namespace PeatMesh.AspNetCore;

/// <summary>
/// Records broker requests (count and duration by route template, method and status) and wraps each in a
/// <see cref="MeshTelemetry.BrokerRequest"/> span. See <see cref="TelemetryApplicationBuilderExtensions.UsePeatMeshTelemetry"/>.
/// </summary>
/// <remarks>Thread-safe: stateless per request.</remarks>
internal sealed class BrokerTelemetryMiddleware(RequestDelegate next, MeshMetrics metrics, MeshNodeOptions options)
{
    /// <summary>The route label of a request no endpoint matched.</summary>
    public const string UnmatchedRoute = "unmatched";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var method = MetricLabels.Method(context.Request.Method);
        using var span = MeshTelemetry.Source.StartActivity(MeshTelemetry.BrokerRequest, ActivityKind.Internal);
        span?.SetTag(MeshTelemetry.NodeIdTag, options.NodeId);
        span?.SetTag("http.request.method", method);
        var failed = false;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failed = true;
            MeshTelemetry.SetError(span, e.GetType().FullName ?? "exception", "unhandled exception");
            throw;
        }
        finally
        {
            // The exception handler clears the endpoint before re-executing; it keeps the original in its feature.
            var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText is { Length: > 0 } template
                ? (template[0] == '/' ? template : "/" + template)
                : UnmatchedRoute;
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            metrics.HttpRequest(route, method, status, Stopwatch.GetElapsedTime(started));
            if (span is not null)
            {
                span.DisplayName = $"{method} {route}";
                span.SetTag("http.route", route);
                span.SetTag("http.response.status_code", status);
                if (status >= 500)
                {
                    span.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    }
}
