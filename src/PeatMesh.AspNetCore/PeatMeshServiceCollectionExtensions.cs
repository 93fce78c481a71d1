using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PeatMesh.Hosting;

namespace PeatMesh.AspNetCore;

/// <summary>Registers a mesh node in an ASP.NET Core (or generic) host.</summary>
public static class PeatMeshServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="MeshNodeHost"/> that starts a node with <paramref name="options"/> (validated now)
    /// when the host starts and stops it gracefully when the host stops.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IServiceCollection AddPeatMeshNode(this IServiceCollection services, MeshNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<MeshNodeHost>();
        services.AddHostedService(sp => sp.GetRequiredService<MeshNodeHost>());
        return services;
    }
}
