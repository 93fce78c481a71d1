using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeatMesh.Hosting;
using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.AspNetCore.Tests.Support;

/// <summary>
/// A node hosted in-process the way peat-mesh-node hosts it (telemetry middleware first, the exception handler, the
/// broker under /api/v1, /metrics at the root), on Kestrel at 127.0.0.1 port 0 with the mesh on TCP port 0.
/// </summary>
internal sealed class BrokerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BrokerHost(WebApplication app, MeshNode node, Uri url)
    {
        _app = app;
        Node = node;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public MeshNode Node { get; }

    public HttpClient Http { get; }

    public static async Task<BrokerHost> StartAsync(string nodeId, string secret, string dataDirectory, IEnumerable<MeshNode>? peers = null,
        Action<WebApplication>? mapExtra = null)
    {
        var options = new MeshNodeOptions
        {
            NodeId = nodeId,
            FormationSecret = FormationSecret.Parse(secret),
            DataDirectory = dataDirectory,
            BrokerPort = 0,
        };
        options.Transport.Port = 0;
        options.Transport.BindAddress = IPAddress.Loopback;
        foreach (var peer in peers ?? [])
        {
            options.StaticPeers.Add(new PeerAddress("127.0.0.1", peer.MeshPort));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddPeatMeshNode(options);
        var app = builder.Build();
        app.UsePeatMeshTelemetry();
        app.UseExceptionHandler(errors => errors.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return context.Response.WriteAsJsonAsync(new { error = "internal error", status = 500 });
        }));
        mapExtra?.Invoke(app);
        app.MapPeatMeshBroker();
        app.MapPeatMeshMetrics();
        await app.StartAsync();
        var node = await Wait.ForAsync(app.Services.GetRequiredService<MeshNodeHost>().Started, TimeSpan.FromSeconds(30), nodeId + " node started");
        return new BrokerHost(app, node, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
