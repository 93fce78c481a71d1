using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PeatMesh.Benchmarks.Support;

/// <summary>A minimal client of one node's broker (<c>/api/v1</c>, docs/broker-api.md) for the harness.</summary>
/// <remarks>Thread-safe (one pooled <see cref="HttpClient"/>); dispose once.</remarks>
public sealed class BrokerHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    /// <summary>Creates a client for <paramref name="baseUrl"/> allowing <paramref name="connections"/> concurrent connections.</summary>
    /// <param name="baseUrl">The broker root, e.g. <c>http://127.0.0.1:8081</c>.</param>
    /// <param name="connections">Maximum concurrent HTTP/1.1 connections (one per request in flight).</param>
    /// <param name="requestTimeout">Per-request timeout.</param>
    public BrokerHttp(Uri baseUrl, int connections, TimeSpan requestTimeout)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false };
        _http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = requestTimeout };
    }

    /// <summary>The broker root.</summary>
    public Uri BaseUrl => _http.BaseAddress!;

    /// <summary><c>PUT documents/{collection}/{id}</c> with a JSON body; returns the status and, on failure, the response text.</summary>
    public async Task<(HttpStatusCode Status, string? Error)> PutAsync(string collection, string id, byte[] json, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(json);
        content.Headers.ContentType = Json;
        using var response = await _http.PutAsync(new Uri($"/api/v1/documents/{collection}/{id}", UriKind.Relative), content, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null);
        }

        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The <c>count</c> of <c>GET documents/{collection}</c> (the broker returns every document; the count is read from the reply).</summary>
    /// <exception cref="HttpRequestException">The broker answered with an error status.</exception>
    public async Task<int> CountAsync(string collection, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"/api/v1/documents/{collection}", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return document.RootElement.GetProperty("count").GetInt32();
    }

    /// <summary>Every document of <paramref name="collection"/>, keyed by <c>_id</c>.</summary>
    /// <exception cref="HttpRequestException">The broker answered with an error status.</exception>
    public async Task<Dictionary<string, JsonObject>> ListAsync(string collection, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"/api/v1/documents/{collection}", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        var root = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        return root["documents"]!.AsArray().Select(d => d!.AsObject()).ToDictionary(d => (string)d["_id"]!, d => d, StringComparer.Ordinal);
    }

    /// <summary>The node ids in <c>GET peers</c>, sorted ordinally.</summary>
    /// <exception cref="HttpRequestException">The broker answered with an error status.</exception>
    public async Task<IReadOnlyList<string>> PeerNodeIdsAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("/api/v1/peers", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        var root = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        return [.. root["peers"]!.AsArray().Select(p => (string)p!["node_id"]!).Order(StringComparer.Ordinal)];
    }

    /// <summary>The node ids of the <c>members</c> in <c>GET topology</c> (every member the node knows, at any hop distance).</summary>
    /// <exception cref="HttpRequestException">The broker answered with an error status.</exception>
    public async Task<IReadOnlySet<string>> TopologyMemberIdsAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("/api/v1/topology", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        var root = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        return root["members"]!.AsArray().Select(m => (string)m!["node_id"]!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether <c>GET ready</c> answers 2xx (false for 503, or when the broker does not answer yet).</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/api/v1/ready", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>The node's Prometheus text from <c>GET /metrics</c> (at the root, not under /api/v1).</summary>
    /// <exception cref="HttpRequestException">The broker answered with an error status.</exception>
    public async Task<MetricsText> MetricsAsync(CancellationToken cancellationToken) =>
        MetricsText.Parse(await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken));

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
