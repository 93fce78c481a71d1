using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using PeatMesh.Benchmarks.Cli;
using PeatMesh.Benchmarks.Reporting;
using PeatMesh.Benchmarks.Support;
using PeatMesh.Testing.Processes;

namespace PeatMesh.Benchmarks.Scenarios;

/// <summary>
/// End-to-end replication through real <c>peat-mesh-node</c> processes: a fresh 3-node full mesh per run (static peers,
/// log level warn); N city records PUT on node 1 over HTTP with bounded concurrency; the clock stops when node 3's
/// <c>GET /api/v1/documents/cities</c> reports all N. Afterwards every replicated document is checked against its source.
/// </summary>
public sealed class SyncCitiesScenario(HarnessOptions options, TextWriter progress) : IScenario
{
    private const string Collection = "cities";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public string Name => ScenarioNames.SyncCities;

    /// <inheritdoc />
    public string Title => $"sync-cities (N = {Fmt.Count(options.Docs)}, {options.SyncRuns} run{(options.SyncRuns == 1 ? string.Empty : "s")})";

    /// <inheritdoc />
    public async Task RunAsync(ReportSection section, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        var records = CityRecords.Load(options.CitiesPath, options.Docs);
        var totalBytes = records.Sum(r => (long)r.Json.Length);
        Log($"loaded {Fmt.Count(records.Count)} records ({Fmt.Count(totalBytes)} bytes of JSON)");

        var runs = new List<RunResult>(options.SyncRuns);
        for (var run = 1; run <= options.SyncRuns; run++)
        {
            var result = await RunOnceAsync(run, records, cancellationToken);
            runs.Add(result);
            Log($"run {run}/{options.SyncRuns}: writes {result.Write.TotalSeconds:0.00} s, all on node 3 after {result.EndToEnd.TotalSeconds:0.00} s "
                + $"({result.Polls} polls, last poll {result.LastPoll.TotalMilliseconds:0} ms)");
        }

        var n = records.Count;
        var table = new MarkdownTable("Metric", ">Median", ">Min", ">Max", "Unit");
        void Row(string metric, Func<RunResult, double> value, int decimals, string unit) =>
            table.AddRow([metric, .. Fmt.Cells(Summary.Of([.. runs.Select(value)]), decimals), unit]);
        Row("Write phase (all PUTs acknowledged by node 1)", r => r.Write.TotalSeconds, 2, "s");
        Row("Write throughput", r => n / r.Write.TotalSeconds, 0, "docs/s");
        Row("End-to-end (all N visible on node 3)", r => r.EndToEnd.TotalSeconds, 2, "s");
        Row("End-to-end throughput", r => n / r.EndToEnd.TotalSeconds, 0, "docs/s");
        Row("Last ack → completing poll's reply (upper bound of the replication lag)", r => (r.EndToEnd - r.Write).TotalSeconds, 2, "s");
        Row("Duration of the completing count poll", r => r.LastPoll.TotalMilliseconds, 0, "ms");
        Row("Count polls until complete", r => r.Polls, 0, "polls");
        Row("CPU of the 3 node processes per document (writes start → complete)", r => r.NodeCpu.TotalMilliseconds / n, 2, "ms");
        Row("Mesh start until all peers connected", r => r.Startup.TotalSeconds, 2, "s");
        section.AddTable(table);
        section.AddParagraph(
            $"""
            Method: per run a fresh `LocalMesh` of 3 `peat-mesh-node` processes (Release build next to the harness) on
            127.0.0.1, full mesh by static peers, `PEAT_LOG_LEVEL=warn`, SQLite data in a temporary folder that is deleted
            afterwards. After every node lists the other two in `GET /api/v1/peers`, the clock starts and
            {Fmt.Count(n)} records of `cities.json.gz` ({Fmt.Count(totalBytes)} bytes of JSON in total, ids `c000000`…)
            are `PUT` on node 1 with {options.Concurrency} requests in flight (each must answer 201). The write phase ends
            with the last acknowledgement. Then node 3's `GET /api/v1/documents/{Collection}` is polled every
            {options.PollInterval.TotalMilliseconds:0} ms (a new poll starts at once if the previous one took longer) until
            its `count` is N; the end-to-end time is when that poll's reply arrived. Polling starts only after the write phase
            (node 3 cannot hold all N before node 1 has applied the last PUT), so it does not load the nodes during writes.
            Resolution: the end-to-end time is an upper bound; it can overshoot the true arrival of the last document by up
            to one poll interval plus the duration of one poll (that poll serializes the whole collection; its duration is
            in the table). When a single poll suffices, the true arrival lies between the write phase's end (or slightly
            before it) and that poll's reply. After
            the clock stops, every document on node 3 is compared with its source record (plus `_id`). Docs/s = N / time.
            Node CPU is the user + kernel time of the three node processes (from `/proc`) between the start of the writes
            and the completing poll's reply, divided by N: HTTP parsing, Automerge, SQLite, sync on all three nodes, and the
            count polls; it is much less disturbed by other load on the machine than the wall-clock times.
            """);
    }

    private async Task<RunResult> RunOnceAsync(int run, IReadOnlyList<(string Id, byte[] Json)> records, CancellationToken cancellationToken)
    {
        var meshOptions = new LocalMeshOptions { Nodes = 3, NodeIdPrefix = "bench" };
        meshOptions.Environment["PEAT_LOG_LEVEL"] = "warn";
        await using var mesh = LocalMesh.Create(meshOptions);
        var clients = mesh.Nodes.Select(node => new BrokerHttp(node.BrokerUrl, options.Concurrency, RequestTimeout)).ToArray();
        try
        {
            var startup = Stopwatch.StartNew();
            Log($"run {run}: starting 3 nodes");
            await mesh.StartAsync(ReadyTimeout, cancellationToken);
            await WaitForFullMeshAsync(mesh, clients, cancellationToken);
            startup.Stop();
            Log($"run {run}: all nodes ready and connected after {startup.Elapsed.TotalSeconds:0.0} s; writing");

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.SyncTimeout);
            var writer = clients[0];
            var reader = clients[2];
            var cpuAtStart = NodeCpuTime(mesh);
            var clock = Stopwatch.StartNew();
            try
            {
                await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = deadline.Token },
                    async (record, token) =>
                    {
                        var (status, error) = await writer.PutAsync(Collection, record.Id, record.Json, token);
                        if (status != HttpStatusCode.Created)
                        {
                            throw new InvalidOperationException($"PUT {Collection}/{record.Id} on node 1 returned {(int)status}: {error}");
                        }
                    });
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {options.SyncTimeout.TotalSeconds:0} s waiting for: node 1 to acknowledge {records.Count} PUTs", e);
            }

            var write = clock.Elapsed;
            var polls = 0;
            var lastCount = -1;
            var lastPoll = TimeSpan.Zero;
            var remaining = options.SyncTimeout - write;
            try
            {
                await Deadline.PollAsync(async token =>
                {
                    var started = clock.Elapsed;
                    lastCount = await reader.CountAsync(Collection, token);
                    lastPoll = clock.Elapsed - started;
                    polls++;
                    return lastCount >= records.Count;
                }, options.PollInterval, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, $"node 3 to hold all {records.Count} {Collection}", cancellationToken);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} (last count {lastCount} after {polls} polls)", e);
            }

            var endToEnd = clock.Elapsed;
            var nodeCpu = NodeCpuTime(mesh) - cpuAtStart;
            await VerifyAsync(reader, records, cancellationToken);
            return new RunResult(startup.Elapsed, write, endToEnd, lastPoll, polls, nodeCpu);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            foreach (var node in mesh.Nodes)
            {
                await progress.WriteLineAsync($"---- {node.Options.Name} (last 30 output lines; running={node.IsRunning}, exit code={node.ExitCode})");
                await progress.WriteLineAsync(node.Tail(30));
            }

            throw;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task WaitForFullMeshAsync(LocalMesh mesh, BrokerHttp[] clients, CancellationToken cancellationToken)
    {
        for (var i = 0; i < mesh.Nodes.Count; i++)
        {
            var client = clients[i];
            var expected = mesh.Nodes.Where((_, j) => j != i).Select(n => n.Options.Name).Order(StringComparer.Ordinal).ToList();
            await Deadline.PollAsync(async token => (await client.PeerNodeIdsAsync(token)).SequenceEqual(expected),
                TimeSpan.FromMilliseconds(50), ConnectTimeout, $"{mesh.Nodes[i].Options.Name} connected to {string.Join(",", expected)}", cancellationToken);
        }
    }

    private static async Task VerifyAsync(BrokerHttp reader, IReadOnlyList<(string Id, byte[] Json)> records, CancellationToken cancellationToken)
    {
        var replicated = await reader.ListAsync(Collection, cancellationToken);
        if (replicated.Count != records.Count)
        {
            throw new InvalidDataException($"node 3 holds {replicated.Count} {Collection}, expected exactly {records.Count}.");
        }

        foreach (var (id, json) in records)
        {
            var expected = JsonNode.Parse(json)!.AsObject();
            expected["_id"] = id;
            if (!replicated.TryGetValue(id, out var actual) || !JsonNode.DeepEquals(expected, actual))
            {
                throw new InvalidDataException($"{Collection}/{id} on node 3 is {actual?.ToJsonString() ?? "missing"}, expected {expected.ToJsonString()}.");
            }
        }
    }

    private void Log(string line) => progress.WriteLine($"[{ScenarioNames.SyncCities}] {line}");

    private static TimeSpan NodeCpuTime(LocalMesh mesh)
    {
        var total = TimeSpan.Zero;
        foreach (var node in mesh.Nodes)
        {
            var pid = node.ProcessId ?? throw new InvalidOperationException($"{node.Options.Name} is not running (exit code {node.ExitCode}).");
            using var process = Process.GetProcessById(pid);
            total += process.TotalProcessorTime;
        }

        return total;
    }

    private sealed record RunResult(TimeSpan Startup, TimeSpan Write, TimeSpan EndToEnd, TimeSpan LastPoll, int Polls, TimeSpan NodeCpu);
}
