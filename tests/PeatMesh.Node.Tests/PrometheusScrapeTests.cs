using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using PeatMesh.Testing.Processes;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>, which .ci/run installs) scrapes two real nodes on loopback;
/// PromQL through its HTTP API returns the nodes' series with the values the test caused. <c>promtool</c> lints the
/// exposition text.
/// </summary>
public partial class PrometheusScrapeTests(ITestOutputHelper output) : MeshTestBase(output)
{
    private static readonly TimeSpan PrometheusTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Prometheus_ScrapingTwoNodes_QueriesReturnTheirSeries()
    {
        var prometheusPath = FindTool("prometheus");
        var mesh = await StartMeshAsync(2, o => o.NodeIdPrefix = "prom");
        await WaitForFullMeshAsync(mesh);
        const int Written = 6;
        var writer = Client(mesh.Nodes[0]);
        foreach (var (id, document) in Cities.Take(Written))
        {
            Assert.Equal(HttpStatusCode.Created, (await writer.PutAsync("cities", id, document)).Status);
        }

        var targets = mesh.Nodes.Select(n => n.BrokerUrl.Authority).ToList();
        await using var prometheus = await PrometheusServer.StartAsync(prometheusPath, targets, Output);
        await Wait.UntilAsync(async () => await prometheus.QueryAsync("sum(up{job=\"peat-mesh\"})") == 2, PrometheusTimeout,
            "Prometheus scraped both nodes (up == 1 for each)");

        foreach (var target in targets)
        {
            await Wait.UntilAsync(async () => await prometheus.QueryAsync($"peat_documents{{instance=\"{target}\"}}") == Written, PrometheusTimeout,
                $"peat_documents of {target} is {Written} in Prometheus");
            Assert.Equal(1, await prometheus.QueryAsync($"peat_peers_connected{{instance=\"{target}\"}}"));
            Assert.Equal(1, await prometheus.QueryAsync($"sum(peat_members{{instance=\"{target}\"}})"));
            // Healthy, or Degraded when heartbeats arrive late on a busy machine: either way reachable, not suspect or dead.
            Assert.Equal(1, await prometheus.QueryAsync($"sum(peat_members{{instance=\"{target}\",state=~\"healthy|degraded\"}})"));
            Assert.Equal(0, await prometheus.QueryAsync($"peat_mesh_partitioned{{instance=\"{target}\"}}"));
        }

        Assert.Equal(Written, await prometheus.QueryAsync(
            $"sum(peat_http_requests_total{{instance=\"{targets[0]}\",method=\"PUT\",route=\"/api/v1/documents/{{collection}}/{{id}}\",status=\"201\"}})"));
        Assert.Null(await prometheus.QueryAsync($"peat_http_requests_total{{instance=\"{targets[1]}\",method=\"PUT\"}}"));
        // Both nodes dial each other (static peers both ways): at least one handshake each way, none failed.
        Assert.True(await prometheus.QueryAsync("sum(peat_handshakes_total{direction=\"inbound\",result=\"ok\"})") >= 1);
        Assert.True(await prometheus.QueryAsync("sum(peat_handshakes_total{direction=\"outbound\",result=\"ok\"})") >= 1);
        Assert.Null(await prometheus.QueryAsync("sum(peat_handshakes_total{result=\"failed\"})"));
        Assert.True(await prometheus.QueryAsync($"sum(peat_sync_frames_total{{instance=\"{targets[1]}\",direction=\"in\",type=\"delta\"}})") >= Written,
            "the reader received at least one delta per written document");
        Assert.True(await prometheus.QueryAsync($"peat_storage_write_duration_seconds_count{{instance=\"{targets[0]}\"}}") >= Written);
        var median = await prometheus.QueryAsync(
            $"histogram_quantile(0.5, sum by (le) (peat_http_request_duration_seconds_bucket{{instance=\"{targets[0]}\",method=\"PUT\"}}))");
        Assert.True(median is > 0 and < 10, $"median PUT latency {median} s lies inside the buckets");
    }

    [Fact]
    public async Task Metrics_ExpositionText_PassesPromtoolLint()
    {
        var promtool = FindTool("promtool");
        var mesh = await StartMeshAsync(2, o => o.NodeIdPrefix = "lint");
        await WaitForFullMeshAsync(mesh);
        Assert.Equal(HttpStatusCode.Created, (await Client(mesh.Nodes[0]).PutAsync("cities", "x", new JsonObject { ["name"] = "X" })).Status);
        using var http = new HttpClient { BaseAddress = mesh.Nodes[0].BrokerUrl };
        var text = await http.GetStringAsync("/metrics");

        var start = new ProcessStartInfo(promtool, "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Wait.ForAsync(process.WaitForExitAsync(), TimeSpan.FromSeconds(30), "promtool check metrics exits");
        Assert.True(process.ExitCode == 0, $"promtool check metrics: {await stdout}{await stderr}");
        Assert.Contains("peat_peers_connected 1\n", text, StringComparison.Ordinal);
        AssertExactlyTheContract(text);
    }

    /// <summary>The node exposes every metric of the contract (docs/deployment.md) with its type, and nothing else; every label is a contract label.</summary>
    private static void AssertExactlyTheContract(string text)
    {
        var contract = Deployment.MetricContract.Load();
        var scrape = PrometheusScrape.Parse(text);
        Assert.Equal(contract.Metrics.Keys.Order(StringComparer.Ordinal), scrape.Types.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, type) in scrape.Types)
        {
            Assert.True(contract.Metrics[name].Type == type, $"{name} is exposed as {type}, the contract says {contract.Metrics[name].Type}");
        }

        foreach (var key in scrape.Samples.Keys)
        {
            var brace = key.IndexOf('{', StringComparison.Ordinal);
            var series = brace < 0 ? key : key[..brace];
            var metric = contract.MetricOf(series);
            Assert.True(metric is not null, $"series {series} belongs to no contract metric");
            foreach (var label in brace < 0 ? [] : LabelName().Matches(key[brace..]).Select(m => m.Groups[1].Value))
            {
                Assert.True(label == "le" || contract.Metrics[metric].Labels.Contains(label), $"{series} has label {label}, not in the contract");
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial System.Text.RegularExpressions.Regex LabelName();

    private static string FindTool(string name) =>
        new[] { "/usr/bin", "/usr/local/bin", "/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"'{name}' is not installed; .ci/run installs it (apt-get install prometheus)");

    /// <summary>A Prometheus server on 127.0.0.1 with a temporary data directory, stopped by its pid.</summary>
    private sealed class PrometheusServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _directory;
        private readonly HttpClient _http;
        private readonly ITestOutputHelper _output;
        private readonly ConcurrentLines _log = new();

        private PrometheusServer(Process process, string directory, Uri url, ITestOutputHelper output)
        {
            _process = process;
            _directory = directory;
            _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
            _output = output;
        }

        public static async Task<PrometheusServer> StartAsync(string executable, IReadOnlyList<string> targets, ITestOutputHelper output)
        {
            var directory = Directory.CreateTempSubdirectory("peat-prometheus-").FullName;
            var port = LocalMesh.FreePorts(1)[0];
            var config = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: peat-mesh
                    metrics_path: /metrics
                    static_configs:
                      - targets: [{string.Join(", ", targets.Select(t => "'" + t + "'"))}]
                """);
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "--log.level=warn",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"), output);
            process.OutputDataReceived += (_, e) => server._log.Add(e.Data);
            process.ErrorDataReceived += (_, e) => server._log.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await Wait.UntilAsync(async () =>
            {
                Assert.False(process.HasExited, "prometheus exited: " + server._log);
                using var ready = await server._http.GetAsync("/-/ready");
                return ready.IsSuccessStatusCode;
            }, PrometheusTimeout, "Prometheus is ready on port " + port);
            return server;
        }

        /// <summary>The value of a PromQL query's single series (instant query), or null when it returns no series.</summary>
        public async Task<double?> QueryAsync(string promql)
        {
            var body = JsonNode.Parse(await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql)))!;
            Assert.Equal("success", (string?)body["status"]);
            var result = body["data"]!["result"]!.AsArray();
            Assert.True(result.Count <= 1, $"{promql} returned {result.Count} series: {result.ToJsonString()}");
            return result.Count == 0 ? null : double.Parse((string)result[0]!["value"]![1]!, CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, 15); // SIGTERM: Prometheus shuts down cleanly
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    await _process.WaitForExitAsync();
                }
            }

            _output.WriteLine("---- prometheus log\n" + _log);
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Output lines collected from another thread.</summary>
    private sealed class ConcurrentLines
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is not null && _lines.Count < 500)
            {
                _lines.Enqueue(line);
            }
        }

        public override string ToString() => string.Join('\n', _lines);
    }
}
