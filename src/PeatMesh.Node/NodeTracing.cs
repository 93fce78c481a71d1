using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PeatMesh.Diagnostics;
using PeatMesh.Hosting;

namespace PeatMesh.Node;

/// <summary>
/// OTLP trace export (docs/observability.md): when <see cref="NodeConfiguration.OtlpEndpoint"/> is set, a
/// <see cref="TracerProvider"/> samples (parent-based, always on) the node's <see cref="MeshTelemetry.ActivitySourceName"/>
/// spans and ASP.NET Core's request spans and exports them with the OTLP exporter, which reads the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables (endpoint, protocol <c>grpc</c> or <c>http/protobuf</c>, headers, timeout).
/// The resource is <c>service.name</c> = <see cref="NodeConfiguration.ServiceName"/>, <c>service.version</c> = the node
/// version, <c>service.instance.id</c> = the node id.
/// </summary>
internal static class NodeTracing
{
    /// <summary>How long stopping waits for the last spans to be exported (bounded so SIGTERM stays within 10 s).</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The ASP.NET Core activity source whose request spans parent the broker spans.</summary>
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    /// <summary>Builds the provider, or returns null when no OTLP endpoint is configured.</summary>
    public static TracerProvider? Start(NodeConfiguration config)
    {
        if (config.OtlpEndpoint is null)
        {
            return null;
        }

        return Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault()
                .AddService(config.ServiceName, serviceVersion: MeshNode.Version, serviceInstanceId: config.Options.NodeId))
            .AddSource(MeshTelemetry.ActivitySourceName, AspNetCoreSource)
            .AddOtlpExporter()
            .Build();
    }

    /// <summary>Flushes and stops the provider (at most <see cref="FlushTimeout"/>). Null-safe.</summary>
    public static void Stop(TracerProvider? provider)
    {
        if (provider is null)
        {
            return;
        }

        provider.Shutdown((int)FlushTimeout.TotalMilliseconds);
        provider.Dispose();
    }
}
