using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PeatMesh.Node.Tests.Support;

/// <summary>A thin HTTP client for one node's broker (<c>/api/v1</c>).</summary>
public sealed class BrokerClient : IDisposable
{
    private readonly HttpClient _http;

    public BrokerClient(Uri baseUrl) => _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public Uri BaseUrl => _http.BaseAddress!;

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, "/api/v1/" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType.Length == 0 ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(string collection, string id, JsonNode document) =>
        SendAsync(HttpMethod.Put, $"documents/{collection}/{id}", document.ToJsonString());

    public Task<(HttpStatusCode Status, JsonNode? Body)> PatchAsync(string collection, string id, JsonNode patch) =>
        SendAsync(HttpMethod.Patch, $"documents/{collection}/{id}", patch.ToJsonString(), "application/merge-patch+json");

    public Task<(HttpStatusCode Status, JsonNode? Body)> DeleteAsync(string collection, string id) =>
        SendAsync(HttpMethod.Delete, $"documents/{collection}/{id}");

    /// <summary>The document body (with <c>_id</c>), or null on 404.</summary>
    public async Task<JsonObject?> GetDocumentAsync(string collection, string id)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"documents/{collection}/{id}");
        return status == HttpStatusCode.OK ? body!["document"]!.AsObject() : null;
    }

    /// <summary>All documents of a collection keyed by <c>_id</c>.</summary>
    public async Task<Dictionary<string, JsonObject>> ListAsync(string collection)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"documents/{collection}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["documents"]!.AsArray().Select(d => d!.AsObject()).ToDictionary(d => (string)d["_id"]!, d => d);
    }

    public async Task<JsonObject> GetObjectAsync(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} returned {(int)status}: {body}");
        return body!.AsObject();
    }

    public async Task<IReadOnlyList<string>> PeerNodeIdsAsync()
    {
        var peers = await GetObjectAsync("peers");
        return [.. peers["peers"]!.AsArray().Select(p => (string)p!["node_id"]!).Order(StringComparer.Ordinal)];
    }

    public void Dispose() => _http.Dispose();
}
