using System.Diagnostics;
using System.Net;
using PeatMesh.Benchmarks.Cli;
using PeatMesh.Benchmarks.Reporting;
using PeatMesh.Benchmarks.Support;

namespace PeatMesh.Benchmarks.Scenarios.DiscoveryJoin;

/// <summary>
/// Issue 4 item 7: how long a new node takes to discover and fully sync with a 5-node mesh, by peer exchange (one
/// static seed) and by mDNS (no peer list, network namespaces), and the steady-state traffic per node of the 6-node
/// mesh while it idles. Real <c>peat-mesh-node</c> processes; every wait has a deadline naming its step.
/// </summary>
public sealed class DiscoveryJoinScenario(HarnessOptions options, TextWriter progress) : IScenario
{
    private const string Collection = "cities";
    private const int Members = JoinFormation.NodeCount - 1;
    private const int ConnectionTarget = 8; // PEAT_CONNECTION_TARGET default: the joiner dials every member
    private static readonly TimeSpan JoinPollInterval = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public string Name => ScenarioNames.DiscoveryJoin;

    /// <inheritdoc />
    public string Title =>
        $"discovery-join (N = {Fmt.Count(options.JoinDocs)}, {options.JoinRuns} run{(options.JoinRuns == 1 ? string.Empty : "s")} per mode, idle {options.IdleWindow.TotalSeconds:0} s)";

    /// <inheritdoc />
    public async Task RunAsync(ReportSection section, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        var records = CityRecords.Load(options.CitiesPath, options.JoinDocs);
        var join = new MarkdownTable("Mode", "Joiner's process start →", ">Median", ">Min", ">Max", "Unit");
        var idle = new MarkdownTable("Mode", "Steady-state traffic per node", ">Mean", ">Max", "Unit");

        await MeasureModeAsync("peer exchange", JoinFormation.PeerExchange, records, join, idle, cancellationToken);
        if (JoinFormation.MdnsUnavailableReason() is { } reason)
        {
            join.AddRow("mDNS", $"skipped: needs root and ip netns ({reason})", "—", "—", "—", string.Empty);
            idle.AddRow("mDNS", $"skipped: needs root and ip netns ({reason})", "—", "—", string.Empty);
            Log("mDNS skipped: " + reason);
        }
        else
        {
            await MeasureModeAsync("mDNS", JoinFormation.Mdns, records, join, idle, cancellationToken);
        }

        section.AddTable(join);
        section.AddTable(idle);
        section.AddParagraph(
            $"""
            Method: per run six fresh `peat-mesh-node` processes (Release build next to the harness, `PEAT_LOG_LEVEL=warn`,
            default heartbeat 5 s and connection target {ConnectionTarget}). Five members start first; {Fmt.Count(records.Count)}
            city records are `PUT` round-robin on the five (each must answer 201), and the harness waits until every member
            counts all of them and lists the other four in `/api/v1/topology`. Then the 6th node's process is started and
            the clock runs: its broker is polled every {JoinPollInterval.TotalMilliseconds:0} ms for readiness
            (`/api/v1/ready`), `/api/v1/topology` listing all {Members} members, `/api/v1/peers` listing {Members} connected
            peers (the connection target caps at the 5 members there are), and `GET documents/{Collection}` counting all N;
            each time is when the first poll that saw it returned (an upper bound by at most one interval plus one poll).
            The times include the .NET start of the process (see the "ready" row). **Peer exchange**: 127.0.0.1, static
            peers forming a chain (member i knows only member i−1), the joiner knows only member 1, so it learns the other
            four over `peat/peers/1`. **mDNS**: each node in its own network namespace on one Linux bridge,
            `PEAT_DISCOVERY=mdns`, no peer list at all. **Steady state**: after the last run of a mode, once all six list
            each other in `/api/v1/topology` and `/api/v1/peers`, every node's `/metrics` is read, the mesh idles
            {options.IdleWindow.TotalSeconds:0} s, and `/metrics` is read again; rates are the counter differences over the
            measured window. Mesh TCP = `peat_transport_bytes_total` (all bytes on the mesh sockets below Noise:
            heartbeats, peer exchange, sync, framing; no TCP/IP headers); mDNS = `peat_mdns_bytes_total` (UDP payload);
            heartbeat frames = ping + pong frames sent and received; the payload rows are `peat_mesh_bytes_total` sent.
            """);
    }

    private async Task MeasureModeAsync(string mode, Func<JoinFormation> plan, IReadOnlyList<(string Id, byte[] Json)> records,
        MarkdownTable join, MarkdownTable idle, CancellationToken cancellationToken)
    {
        var results = new List<JoinResult>();
        IReadOnlyList<TrafficSample>? rates = null;
        for (var run = 1; run <= options.JoinRuns; run++)
        {
            await using var formation = plan();
            try
            {
                var result = await JoinOnceAsync(mode, run, formation, records, cancellationToken);
                results.Add(result);
                Log($"{mode} run {run}/{options.JoinRuns}: ready {Sec(result.Ready)}, topology {Sec(result.Topology)}, "
                    + $"connected {Sec(result.Connected)}, all {records.Count} documents {Sec(result.Synced)} ({result.Polls} polls)");
                if (run == options.JoinRuns)
                {
                    rates = await IdleAsync(mode, formation, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                foreach (var node in formation.Nodes)
                {
                    await progress.WriteLineAsync($"---- {node.Options.Name} (last 30 output lines; running={node.IsRunning}, exit code={node.ExitCode})");
                    await progress.WriteLineAsync(node.Tail(30));
                }

                throw;
            }
        }

        void JoinRow(string what, Func<JoinResult, TimeSpan> value) =>
            join.AddRow([mode, what, .. Fmt.Cells(Summary.Of([.. results.Select(r => value(r).TotalSeconds)]), 2), "s"]);
        JoinRow("ready (`/api/v1/ready` 200)", r => r.Ready);
        JoinRow($"topology lists all {Members} members", r => r.Topology);
        JoinRow($"connected to {Members} peers (connection target)", r => r.Connected);
        JoinRow($"holds all {Fmt.Count(records.Count)} documents", r => r.Synced);
        JoinRow("ready → holds all documents", r => r.Synced - r.Ready);

        void IdleRow(string what, Func<TrafficSample, double> value, string unit, int decimals = 0)
        {
            var values = rates!.Select(value).ToList();
            idle.AddRow(mode, what, Fmt.Number(values.Average(), decimals), Fmt.Number(values.Max(), decimals), unit);
        }

        IdleRow("mesh TCP in", r => r.TcpIn, "B/s");
        IdleRow("mesh TCP out", r => r.TcpOut, "B/s");
        IdleRow("mDNS in", r => r.MdnsIn, "B/s", 1);
        IdleRow("mDNS out", r => r.MdnsOut, "B/s", 1);
        IdleRow("heartbeat frames (ping + pong, in + out)", r => r.Heartbeats, "frames/s", 2);
        IdleRow("of mesh TCP out: peer-exchange payload", r => r.PeerExchangeOut, "B/s");
        IdleRow("of mesh TCP out: sync payload", r => r.SyncOut, "B/s");
    }

    private async Task<JoinResult> JoinOnceAsync(string mode, int run, JoinFormation formation, IReadOnlyList<(string Id, byte[] Json)> records,
        CancellationToken cancellationToken)
    {
        var ids = formation.NodeIds;
        var timeout = options.JoinTimeout;
        Log($"{mode} run {run}: starting {Members} members");
        foreach (var node in formation.Nodes.Take(Members))
        {
            node.Start();
        }

        await Task.WhenAll(formation.Nodes.Take(Members).Select(n => n.WaitUntilReadyAsync(timeout, cancellationToken)));

        using (var writes = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            writes.CancelAfter(timeout);
            try
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, records.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = writes.Token },
                    async (k, token) =>
                    {
                        var (id, json) = records[k];
                        var (status, error) = await formation.Clients[k % Members].PutAsync(Collection, id, json, token);
                        if (status != HttpStatusCode.Created)
                        {
                            throw new InvalidOperationException($"PUT {Collection}/{id} on {ids[k % Members]} returned {(int)status}: {error}");
                        }
                    });
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for: the {Members} members to acknowledge {records.Count} PUTs", e);
            }
        }

        for (var i = 0; i < Members; i++)
        {
            var client = formation.Clients[i];
            var others = ids.Take(Members).Where((_, j) => j != i).ToList();
            await Deadline.PollAsync(async token => await client.CountAsync(Collection, token) >= records.Count
                                                    && (await client.TopologyMemberIdsAsync(token)).IsSupersetOf(others),
                TimeSpan.FromMilliseconds(250), timeout, $"{ids[i]} ({mode}) to hold all {records.Count} {Collection} and list {string.Join(",", others)} in its topology",
                cancellationToken);
        }

        Log($"{mode} run {run}: {Members} members hold all {records.Count} documents; starting {ids[Members]}");
        var joiner = formation.Clients[Members];
        var members = ids.Take(Members).ToList();
        TimeSpan? ready = null, topology = null, connected = null, synced = null;
        var polls = 0;
        var clock = Stopwatch.StartNew();
        formation.Nodes[Members].Start();
        try
        {
            await Deadline.PollAsync(async token =>
            {
                polls++;
                if (!formation.Nodes[Members].IsRunning)
                {
                    throw new InvalidOperationException($"{ids[Members]} exited with code {formation.Nodes[Members].ExitCode}");
                }

                ready ??= await joiner.IsReadyAsync(token) ? clock.Elapsed : null;
                if (ready is null)
                {
                    return false;
                }

                topology ??= (await joiner.TopologyMemberIdsAsync(token)).IsSupersetOf(members) ? clock.Elapsed : null;
                connected ??= (await joiner.PeerNodeIdsAsync(token)).Count >= Math.Min(ConnectionTarget, Members) ? clock.Elapsed : null;
                synced ??= await joiner.CountAsync(Collection, token) >= records.Count ? clock.Elapsed : null;
                return topology is not null && connected is not null && synced is not null;
            }, JoinPollInterval, timeout, $"{ids[Members]} ({mode}) to join", cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: ready {Seen(ready)}, topology lists {Members} members {Seen(topology)}, "
                                       + $"connected to {Members} peers {Seen(connected)}, holds {records.Count} documents {Seen(synced)}", e);
        }

        return new JoinResult(ready!.Value, topology!.Value, connected!.Value, synced!.Value, polls);
    }

    private async Task<IReadOnlyList<TrafficSample>> IdleAsync(string mode, JoinFormation formation, CancellationToken cancellationToken)
    {
        var ids = formation.NodeIds;
        for (var i = 0; i < ids.Count; i++)
        {
            var client = formation.Clients[i];
            var others = ids.Where((_, j) => j != i).ToList();
            await Deadline.PollAsync(async token => (await client.TopologyMemberIdsAsync(token)).IsSupersetOf(others)
                                                    && (await client.PeerNodeIdsAsync(token)).Count >= others.Count,
                TimeSpan.FromMilliseconds(250), options.JoinTimeout, $"{ids[i]} ({mode}) to list and connect to the other {others.Count} nodes before the idle window",
                cancellationToken);
        }

        Log($"{mode}: all {ids.Count} nodes connected; idling {options.IdleWindow.TotalSeconds:0} s");
        var start = await ScrapeAllAsync(formation, cancellationToken);
        var window = Stopwatch.StartNew();
        await Task.Delay(options.IdleWindow, cancellationToken); // the measurement window itself, not a synchronization
        var end = await ScrapeAllAsync(formation, cancellationToken);
        var elapsed = window.Elapsed;
        return [.. start.Zip(end, (s, e) => TrafficSample.Rate(s, e, elapsed))];
    }

    private async Task<TrafficSample[]> ScrapeAllAsync(JoinFormation formation, CancellationToken cancellationToken) =>
        await Task.WhenAll(formation.Clients.Select(async c => TrafficSample.From(await c.MetricsAsync(cancellationToken))))
            .WithinAsync(TimeSpan.FromSeconds(30), "/metrics of all nodes", cancellationToken);

    private static string Sec(TimeSpan t) => $"{t.TotalSeconds:0.00} s";

    private static string Seen(TimeSpan? t) => t is { } v ? $"(after {v.TotalSeconds:0.00} s)" : "(not yet)";

    private void Log(string line) => progress.WriteLine($"[{ScenarioNames.DiscoveryJoin}] {line}");
}
