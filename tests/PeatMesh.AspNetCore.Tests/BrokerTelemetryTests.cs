using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using PeatMesh.AspNetCore.Tests.Support;

namespace PeatMesh.AspNetCore.Tests;

/// <summary>
/// <c>/metrics</c> of a hosted node: broker requests by route template (never the raw path), method and status,
/// durations, the exception path, and the node's own metrics on the same page.
/// </summary>
public sealed class BrokerTelemetryTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("peat-broker-telemetry-").FullName;
    private BrokerHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await BrokerHost.StartAsync("telemetry-1", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), _root,
            mapExtra: app => app.MapGet("/boom/{id}", string (string id) => throw new InvalidOperationException("boom " + id)));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<HttpResponseMessage> PutAsync(string path, string json) =>
        _host.Http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Metrics_AfterRequests_CountsByRouteTemplateMethodAndStatus()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutAsync("/api/v1/documents/cities/oslo", """{"name":"Oslo"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync("/api/v1/documents/cities/bergen", """{"name":"Bergen"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync("/api/v1/documents/cities/oslo", """{"name":"Oslo","country":"NO"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync("/api/v1/documents/cities/paris")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync("/not/a/route")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await _host.Http.GetAsync("/boom/42")).StatusCode);

        // A request is recorded when its middleware returns, which may be just after the client has the response.
        PrometheusScrape scrape = null!;
        await Wait.UntilAsync(async () =>
        {
            using var response = await _host.Http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            scrape = PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());
            return scrape.Sum("peat_http_requests_total") - scrape.Sum("peat_http_requests_total", "route=\"/metrics\"") == 6;
        }, TimeSpan.FromSeconds(10), "the six requests are recorded");

        const string Document = "route=\"/api/v1/documents/{collection}/{id}\"";
        Assert.Equal(2, scrape.Value($"peat_http_requests_total{{method=\"PUT\",{Document},status=\"201\"}}"));
        Assert.Equal(1, scrape.Value($"peat_http_requests_total{{method=\"PUT\",{Document},status=\"200\"}}"));
        Assert.Equal(1, scrape.Value($"peat_http_requests_total{{method=\"GET\",{Document},status=\"404\"}}"));
        Assert.Equal(1, scrape.Value("peat_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"));
        Assert.Equal(1, scrape.Value("peat_http_requests_total{method=\"GET\",route=\"/boom/{id}\",status=\"500\"}"));
        Assert.Equal(3, scrape.Value($"peat_http_request_duration_seconds_count{{method=\"PUT\",{Document}}}"));
        Assert.DoesNotContain(scrape.Samples.Keys, k => k.Contains("oslo", StringComparison.Ordinal) || k.Contains("/not/a/route", StringComparison.Ordinal));
        Assert.Equal(2, scrape.Value("peat_documents"));
        Assert.Equal("histogram", scrape.Types["peat_http_request_duration_seconds"]);
    }

    [Fact]
    public async Task Metrics_ScrapesThemselves_AreCountedUnderTheMetricsRoute()
    {
        await _host.Http.GetStringAsync("/metrics");

        await Wait.UntilAsync(async () => PrometheusScrape.Parse(await _host.Http.GetStringAsync("/metrics"))
                .Value("peat_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"}") >= 1,
            TimeSpan.FromSeconds(10), "an earlier scrape is counted under route /metrics");
    }

    [Fact]
    public async Task Metrics_ExposeEveryContractFamily()
    {
        var scrape = PrometheusScrape.Parse(await _host.Http.GetStringAsync("/metrics"));

        // The names and types of the metric contract (issue 5 brief; docs/observability.md).
        var contract = new Dictionary<string, string>
        {
            ["peat_peers_connected"] = "gauge",
            ["peat_members"] = "gauge",
            ["peat_mesh_partitioned"] = "gauge",
            ["peat_handshakes_total"] = "counter",
            ["peat_connections_closed_total"] = "counter",
            ["peat_transport_bytes_total"] = "counter",
            ["peat_mesh_frames_total"] = "counter",
            ["peat_mdns_packets_total"] = "counter",
            ["peat_mdns_bytes_total"] = "counter",
            ["peat_mesh_messages_total"] = "counter",
            ["peat_mesh_bytes_total"] = "counter",
            ["peat_sync_frames_total"] = "counter",
            ["peat_sync_pending_documents"] = "gauge",
            ["peat_documents"] = "gauge",
            ["peat_tombstones"] = "gauge",
            ["peat_http_requests_total"] = "counter",
            ["peat_http_request_duration_seconds"] = "histogram",
            ["peat_storage_write_duration_seconds"] = "histogram",
            ["peat_storage_batch_size"] = "histogram",
            ["peat_heartbeat_rtt_seconds"] = "histogram",
        };
        foreach (var (name, type) in contract)
        {
            Assert.True(scrape.Types.TryGetValue(name, out var actual), name + " is missing");
            Assert.Equal(type, actual);
        }

        Assert.Equal(["dead", "degraded", "healthy", "relayed", "suspect"],
            scrape.Samples.Keys.Where(k => k.StartsWith("peat_members{", StringComparison.Ordinal)).Select(k => k.Split('"')[1]).Order());
    }
}
