using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PeatMesh.Diagnostics;
using PeatMesh.Hosting;

namespace PeatMesh.AspNetCore;

/// <summary>Registers a mesh node in an ASP.NET Core (or generic) host.</summary>
public static class PeatMeshServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="MeshNodeHost"/> that starts a node with <paramref name="options"/> (validated now)
    /// when the host starts and stops it gracefully when the host stops, plus the node's <see cref="MeshMetrics"/>
    /// (the one in <see cref="MeshNodeOptions.Metrics"/>, else a new one on the host's <see cref="IMeterFactory"/>,
    /// stored back into the options) and a <see cref="PrometheusMetricsExporter"/> over them, created before the node
    /// starts so that <c>/metrics</c> (<see cref="MetricsEndpoints.MapPeatMeshMetrics"/>) counts everything.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IServiceCollection AddPeatMeshNode(this IServiceCollection services, MeshNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddMetrics();
        services.AddSingleton(options);
        services.AddSingleton(sp => options.Metrics ??= new MeshMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp => new PrometheusMetricsExporter(sp.GetRequiredService<MeshMetrics>().Meter));
        services.AddSingleton<MeshNodeHost>();
        services.AddHostedService(sp =>
        {
            // The exporter must listen before the node records anything.
            sp.GetRequiredService<PrometheusMetricsExporter>();
            return sp.GetRequiredService<MeshNodeHost>();
        });
        return services;
    }
}
