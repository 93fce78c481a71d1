using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// deploy/grafana/peat-mesh.json is valid dashboard JSON whose queries use only the metrics and labels of the metric
/// contract (docs/deployment.md), and it covers what an operator watches: peers, members, partition, sync rates and
/// lag, handshake failures, broker traffic, errors and latency, storage write latency.
/// </summary>
public partial class GrafanaDashboardTests
{
    /// <summary>Labels Prometheus adds to every scraped series (with the chart's ServiceMonitor), and <c>le</c> of histogram buckets.</summary>
    private static readonly string[] TargetLabels = ["namespace", "pod", "instance", "job", "service", "container", "endpoint", "le"];

    private static readonly MetricContract Contract = MetricContract.Load();

    private static JsonObject LoadDashboard() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "deploy", "grafana", "peat-mesh.json")))!.AsObject();

    private static List<string> Expressions(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "expr" && p.Value is JsonValue v ? [(string)v!] : p.Value is null ? [] : Expressions(p.Value)).ToList(),
        JsonArray a => a.SelectMany(n => n is null ? [] : Expressions(n)).ToList(),
        _ => [],
    };

    [Fact]
    public void Dashboard_Parses_WithUniquePanelIdsAndADataSourceVariable()
    {
        var dashboard = LoadDashboard();

        var panels = dashboard["panels"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal("peat-mesh", (string)dashboard["uid"]!);
        Assert.NotEmpty(panels);
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        var variables = dashboard["templating"]!["list"]!.AsArray().Select(v => (string)v!["name"]!).ToList();
        Assert.Contains("datasource", variables);
        Assert.All(panels.Where(p => (string)p["type"]! != "row"), p =>
        {
            Assert.Equal("${datasource}", (string)p["datasource"]!["uid"]!);
            Assert.NotEmpty(p["targets"]!.AsArray());
        });
    }

    [Fact]
    public void Queries_EveryMetricAndLabel_IsInTheContract()
    {
        var expressions = Expressions(LoadDashboard());

        Assert.NotEmpty(expressions);
        Assert.NotEmpty(Contract.Metrics);
        foreach (var expr in expressions)
        {
            var metrics = SeriesName().Matches(expr).Select(m => m.Value).ToList();
            Assert.True(metrics.Count > 0, "query uses no peat_ metric: " + expr);
            var allowed = new HashSet<string>(TargetLabels, StringComparer.Ordinal);
            foreach (var series in metrics)
            {
                var metric = Contract.MetricOf(series);
                Assert.True(metric is not null, $"'{series}' is not in the metric contract (query: {expr})");
                allowed.UnionWith(Contract.Metrics[metric].Labels);
            }

            var used = Matcher().Matches(expr).Select(m => m.Groups["label"].Value)
                .Concat(Grouping().Matches(expr).SelectMany(m => m.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
            Assert.All(used, label => Assert.True(allowed.Contains(label), $"label '{label}' is not a label of {string.Join(", ", metrics)} (query: {expr})"));
        }
    }

    [Fact]
    public void Queries_CoverWhatAnOperatorWatches()
    {
        var used = Expressions(LoadDashboard()).SelectMany(e => SeriesName().Matches(e).Select(m => Contract.MetricOf(m.Value)))
            .ToHashSet(StringComparer.Ordinal);

        // Issue 5: peers, members by state, partition, sync rates, sync lag, handshake failures, HTTP rate/errors/latency,
        // storage write latency.
        string[] required =
        [
            "peat_peers_connected", "peat_members", "peat_mesh_partitioned", "peat_sync_frames_total", "peat_mesh_bytes_total",
            "peat_sync_pending_documents", "peat_handshakes_total", "peat_http_requests_total",
            "peat_http_request_duration_seconds", "peat_storage_write_duration_seconds",
        ];
        Assert.All(required, metric => Assert.Contains(metric, used));
        var expressions = Expressions(LoadDashboard());
        Assert.Contains(expressions, e => e.Contains("peat_handshakes_total", StringComparison.Ordinal) && e.Contains("result=\"failed\"", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("peat_http_requests_total", StringComparison.Ordinal) && e.Contains("status=~\"5..\"", StringComparison.Ordinal));
        Assert.All(expressions.Where(e => e.Contains("_bucket", StringComparison.Ordinal)), e => Assert.Contains("histogram_quantile", e, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\bpeat_[a-z0-9_]+")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*""")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"\b(by|without)\s*\((?<labels>[^)]*)\)")]
    private static partial Regex Grouping();
}
