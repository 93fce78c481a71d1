using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>
/// A real HTTPS server on 127.0.0.1 (Kestrel, port 0) that behaves like the Kubernetes API for one
/// EndpointSlice collection: checks the bearer token (401 Status otherwise), serves LIST pages by
/// <c>continue</c> token, and hands every WATCH to the test as a <see cref="FakeWatch"/> it scripts.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<FakeWatch> _watches = Channel.CreateUnbounded<FakeWatch>();
    private readonly ConcurrentQueue<int> _watchStatuses = new();
    private readonly ConcurrentQueue<int> _listStatuses = new();
    private readonly ConcurrentQueue<string> _listBodies = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<FakeWatch> _opened = new();
    private volatile IReadOnlyDictionary<string, string> _pages = new Dictionary<string, string>();
    private volatile string? _expectedToken;

    private FakeKubernetesApi(WebApplication app, string ns, string? expectedToken)
    {
        _app = app;
        Namespace = ns;
        _expectedToken = expectedToken;
        CollectionPath = $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices";
    }

    public string Namespace { get; }

    public string CollectionPath { get; }

    public Uri Url { get; private set; } = null!;

    /// <summary>The token the server accepts; any other gets 401. Null accepts only requests without a token (like kubectl proxy).</summary>
    public string? ExpectedToken
    {
        get => _expectedToken;
        set => _expectedToken = value;
    }

    /// <summary>Every request received, in arrival order (including rejected ones).</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IReadOnlyList<RecordedRequest> Lists => [.. _requests.Where(r => !r.IsWatch && r.Path == CollectionPath)];

    public IReadOnlyList<RecordedRequest> Watches => [.. _requests.Where(r => r.IsWatch)];

    /// <summary>Starts the server: HTTPS with <paramref name="serverCertificate"/>, or plain HTTP when it is null.</summary>
    public static async Task<FakeKubernetesApi> StartAsync(X509Certificate2? serverCertificate, string? expectedToken, string ns = "peat-test")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(serverCertificate);
            }
        }));
        var app = builder.Build();
        var api = new FakeKubernetesApi(app, ns, expectedToken);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        api.Url = new Uri(address);
        return api;
    }

    /// <summary>Serves <paramref name="json"/> as the whole LIST (one page).</summary>
    public void SetList(string json) => _pages = new Dictionary<string, string> { [string.Empty] = json };

    /// <summary>Serves pages keyed by the <c>continue</c> token they answer (<c>""</c> = first page).</summary>
    public void SetPages(IReadOnlyDictionary<string, string> pages) => _pages = pages;

    /// <summary>The next WATCH request is answered with this HTTP status (and a Status body) instead of a stream.</summary>
    public void FailNextWatch(int status) => _watchStatuses.Enqueue(status);

    /// <summary>The next LIST request (whatever its continue token) is answered with this body, once.</summary>
    public void ServeNextListOnce(string json) => _listBodies.Enqueue(json);

    /// <summary>The next LIST request is answered with this HTTP status.</summary>
    public void FailNextList(int status) => _listStatuses.Enqueue(status);

    /// <summary>Waits for the next WATCH stream the client opens.</summary>
    public async Task<FakeWatch> NextWatchAsync(string step, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            return await _watches.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("Timed out waiting for a WATCH request: " + step);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _watches.Writer.TryComplete();
        foreach (var watch in _opened)
        {
            watch.End();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string StatusJson(int code, string reason, string message) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new Dictionary<string, object>(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        });

    private static async Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(StatusJson(code, reason, message));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var request = new RecordedRequest(context.Request.Path.Value ?? string.Empty, query, context.Request.Headers.Authorization.ToString());
        _requests.Enqueue(request);
        if (request.Authorization != (_expectedToken is null ? string.Empty : "Bearer " + _expectedToken))
        {
            await WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }

        if (request.Path != CollectionPath)
        {
            await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
            return;
        }

        if (request.IsWatch)
        {
            if (_watchStatuses.TryDequeue(out var status))
            {
                await WriteStatusAsync(context, status, status == 410 ? "Expired" : "InternalError", "scripted watch failure");
                return;
            }

            var watch = new FakeWatch(request);
            _opened.Enqueue(watch);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            await _watches.Writer.WriteAsync(watch);
            await watch.PumpAsync(context.Response.Body, context.RequestAborted);
            return;
        }

        if (_listStatuses.TryDequeue(out var listStatus))
        {
            await WriteStatusAsync(context, listStatus, listStatus == 410 ? "Expired" : "InternalError", "scripted list failure");
            return;
        }

        if (!_listBodies.TryDequeue(out var page) && !_pages.TryGetValue(request.Get("continue") ?? string.Empty, out page))
        {
            await WriteStatusAsync(context, 410, "Expired", "The provided continue parameter is too old");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(page);
    }
}
