using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PeatMesh.Diagnostics;

/// <summary>
/// The node's metric instruments on one <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <see cref="MeterName"/> (version = the assembly version): peers, members by state, partition, Noise handshakes,
/// closed connections, mesh TCP bytes, multiplexer frames, messages and bytes, sync frames and backlog, mDNS traffic,
/// stored documents and tombstones, broker requests and latency, durable write latency and group-commit size, heartbeat RTT. The Prometheus names
/// (what <see cref="PrometheusMetricsExporter"/> writes) and labels are listed in docs/observability.md.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Each node records into its own instance (a <see cref="MeshMetrics"/> per node, so several nodes in one
/// process — tests — keep apart); a listener selects the node's instruments by <see cref="Meter"/>. Recording costs a
/// branch while nobody listens.
/// </para>
/// <para>
/// Gauges (peers, members, partition, sync backlog, documents, tombstones) are observable: they read the node's
/// state when a listener collects, through sources the node attaches at start and detaches at stop.
/// </para>
/// </remarks>
public sealed class MeshMetrics : IDisposable
{
    /// <summary>The meter name: <c>PeatMesh</c>.</summary>
    public const string MeterName = MeshTelemetry.ActivitySourceName;

    private static readonly string[] MemberStates = ["healthy", "degraded", "suspect", "dead", "relayed"];

    private readonly bool _ownsMeter;
    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _connectionsClosed;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _syncFrames;
    private readonly Counter<long> _httpRequests;
    private readonly Histogram<double> _httpDuration;
    private readonly Histogram<double> _storageWriteDuration;
    private readonly Histogram<int> _storageBatchSize;
    private readonly Histogram<double> _heartbeatRtt;
    private readonly Counter<long> _transportBytes;
    private readonly Counter<long> _meshFrames;
    private readonly Counter<long> _mdnsBytes;
    private readonly Counter<long> _mdnsPackets;
    private Sources _sources = new();

    /// <summary>Creates the instruments on a new meter.</summary>
    /// <param name="meterFactory">
    /// Creates the meter (ASP.NET Core hosts register one; meters then belong to that host). When null the meter is
    /// created directly and disposed with this object.
    /// </param>
    public MeshMetrics(IMeterFactory? meterFactory = null)
    {
        var options = new MeterOptions(MeterName) { Version = MeshTelemetry.Version };
        if (meterFactory is null)
        {
            Meter = new Meter(options);
            _ownsMeter = true;
        }
        else
        {
            Meter = meterFactory.Create(options);
        }

        Meter.CreateObservableGauge("peat.peers.connected", ObservePeers, "{peer}", "Connected peers.");
        Meter.CreateObservableGauge("peat.members", ObserveMembers, "{member}",
            "Known formation members (this node excluded) by state: healthy, degraded, suspect, dead, relayed.");
        Meter.CreateObservableGauge("peat.mesh.partitioned", ObservePartitioned, "1", "1 when a known member is unreachable (partitioned), else 0.");
        _handshakes = Meter.CreateCounter<long>("peat.handshakes", "{handshake}",
            "Noise handshakes by direction (inbound, outbound), result (ok, failed) and failure reason.");
        _connectionsClosed = Meter.CreateCounter<long>("peat.connections.closed", "{connection}", "Closed mesh connections by reason.");
        _messages = Meter.CreateCounter<long>("peat.mesh.messages", "{message}", "Multiplexer messages by direction (in, out) and protocol.");
        _bytes = Meter.CreateCounter<long>("peat.mesh.bytes", "By", "Multiplexer message payload bytes by direction (in, out) and protocol.");
        _syncFrames = Meter.CreateCounter<long>("peat.sync.frames", "{frame}", "Sync frames by direction (in, out) and type.");
        Meter.CreateObservableGauge("peat.sync.pending_documents", ObservePending, "{document}",
            "Documents waiting to be offered to peers, summed over peers (sync lag).");
        Meter.CreateObservableGauge("peat.documents", ObserveDocuments, "{document}", "Stored documents.");
        Meter.CreateObservableGauge("peat.tombstones", ObserveTombstones, "{tombstone}", "Stored tombstones.");
        _httpRequests = Meter.CreateCounter<long>("peat.http.requests", "{request}", "Broker requests by route template, method and status.");
        _httpDuration = Meter.CreateHistogram("peat.http.request.duration", "s", "Broker request duration by route template and method.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.HttpDurationSeconds });
        _storageWriteDuration = Meter.CreateHistogram("peat.storage.write.duration", "s",
            "Durable write latency: from queueing a write to the commit that made it durable.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.StorageWriteSeconds });
        _storageBatchSize = Meter.CreateHistogram("peat.storage.batch_size", "{write}", "Writes committed per group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [.. MetricBuckets.BatchSize.Select(b => (int)b)] });
        _heartbeatRtt = Meter.CreateHistogram("peat.heartbeat.rtt", "s", "Heartbeat round-trip times.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.RoundTripSeconds });
        _transportBytes = Meter.CreateCounter<long>("peat.transport.bytes", "By",
            "Bytes on the mesh TCP connections by direction (in, out): Noise handshakes and every encrypted frame, TCP/IP headers excluded.");
        _meshFrames = Meter.CreateCounter<long>("peat.mesh.frames", "{frame}",
            "Multiplexer frames by direction (in, out) and kind (data, data_start, data_continue, ping, pong, go_away; the hello is not counted).");
        _mdnsBytes = Meter.CreateCounter<long>("peat.mdns.bytes", "By", "mDNS UDP payload bytes by direction (in, out).");
        _mdnsPackets = Meter.CreateCounter<long>("peat.mdns.packets", "{packet}", "mDNS datagrams by direction (in, out).");
    }

    /// <summary>The meter holding the node's instruments.</summary>
    public Meter Meter { get; }

    /// <summary>Disposes the meter if this object created it (not one from a meter factory, which owns it). Idempotent.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _sources, new Sources());
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    /// <summary>Tags for one protocol's messages in one direction (<c>in</c> or <c>out</c>), built once per channel.</summary>
    internal static KeyValuePair<string, object?>[] ProtocolTags(string direction, string protocol) =>
        [new("direction", direction), new("protocol", protocol)];

    /// <summary>Records a completed (<paramref name="failureReason"/> null) or failed Noise handshake.</summary>
    internal void Handshake(string direction, string? failureReason)
    {
        if (_handshakes.Enabled)
        {
            _handshakes.Add(1, new TagList
            {
                { "direction", direction },
                { "result", failureReason is null ? "ok" : "failed" },
                { "reason", failureReason ?? string.Empty },
            });
        }
    }

    /// <summary>Records a closed mesh connection.</summary>
    internal void ConnectionClosed(string reason)
    {
        if (_connectionsClosed.Enabled)
        {
            _connectionsClosed.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>Records one multiplexer message of <paramref name="bytes"/> payload bytes (tags from <see cref="ProtocolTags"/>).</summary>
    internal void Message(KeyValuePair<string, object?>[] tags, int bytes)
    {
        if (_messages.Enabled)
        {
            _messages.Add(1, tags);
        }

        if (_bytes.Enabled)
        {
            _bytes.Add(bytes, tags);
        }
    }

    /// <summary>Records one sync frame (<paramref name="direction"/> <c>in</c> or <c>out</c>).</summary>
    internal void SyncFrame(string direction, string type)
    {
        if (_syncFrames.Enabled)
        {
            _syncFrames.Add(1, new KeyValuePair<string, object?>("direction", direction), new KeyValuePair<string, object?>("type", type));
        }
    }

    /// <summary>Records one broker request.</summary>
    internal void HttpRequest(string route, string method, int status, TimeSpan duration)
    {
        if (_httpRequests.Enabled)
        {
            _httpRequests.Add(1, new TagList { { "route", route }, { "method", method }, { "status", MetricLabels.Status(status) } });
        }

        if (_httpDuration.Enabled)
        {
            _httpDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("method", method));
        }
    }

    /// <summary>Whether durable write latencies are being collected (lets the store skip taking timestamps' differences).</summary>
    internal bool StorageEnabled => _storageWriteDuration.Enabled || _storageBatchSize.Enabled;

    /// <summary>Records the latency of one durable write (enqueue to commit).</summary>
    internal void StorageWrite(TimeSpan latency) => _storageWriteDuration.Record(latency.TotalSeconds);

    /// <summary>Records the number of writes of one group commit.</summary>
    internal void StorageBatch(int writes) => _storageBatchSize.Record(writes);

    /// <summary>Records one heartbeat round trip.</summary>
    internal void HeartbeatRoundTrip(TimeSpan rtt)
    {
        if (_heartbeatRtt.Enabled)
        {
            _heartbeatRtt.Record(rtt.TotalSeconds);
        }
    }

    /// <summary>Whether <c>peat_transport_bytes_total</c> is being collected (lets the transport skip wrapping its sockets' streams).</summary>
    internal bool TransportBytesEnabled => _transportBytes.Enabled;

    /// <summary>Records <paramref name="bytes"/> read from or written to a mesh TCP socket (tags from <see cref="DirectionTags"/>).</summary>
    internal void TransportBytes(KeyValuePair<string, object?>[] tags, int bytes) => _transportBytes.Add(bytes, tags);

    /// <summary>Records one multiplexer frame (<paramref name="direction"/> <c>in</c> or <c>out</c>, <paramref name="kind"/> from <see cref="MetricLabels"/>).</summary>
    internal void MeshFrame(string direction, string kind)
    {
        if (_meshFrames.Enabled)
        {
            _meshFrames.Add(1, new KeyValuePair<string, object?>("direction", direction), new KeyValuePair<string, object?>("kind", kind));
        }
    }

    /// <summary>Records one mDNS datagram of <paramref name="bytes"/> UDP payload bytes (tags from <see cref="DirectionTags"/>).</summary>
    internal void MdnsPacket(KeyValuePair<string, object?>[] tags, int bytes)
    {
        _mdnsPackets.Add(1, tags);
        _mdnsBytes.Add(bytes, tags);
    }

    /// <summary>Tags holding only a direction (<c>in</c> or <c>out</c>), built once per socket.</summary>
    internal static KeyValuePair<string, object?>[] DirectionTags(string direction) => [new("direction", direction)];

    /// <summary>Attaches the source of <c>peat_peers_connected</c>.</summary>
    internal void ObservePeers(Func<int> connectedPeers) => Update(s => s with { Peers = connectedPeers });

    /// <summary>
    /// Attaches the sources of <c>peat_members</c> (member states in snake_case, this node excluded) and
    /// <c>peat_mesh_partitioned</c>.
    /// </summary>
    internal void ObserveMembership(Func<IEnumerable<string>> memberStates, Func<bool> partitioned) =>
        Update(s => s with { MemberStates = memberStates, Partitioned = partitioned });

    /// <summary>Attaches the source of <c>peat_sync_pending_documents</c>.</summary>
    internal void ObserveSyncBacklog(Func<int> pendingDocuments) => Update(s => s with { Pending = pendingDocuments });

    /// <summary>Attaches the sources of <c>peat_documents</c> and <c>peat_tombstones</c>.</summary>
    internal void ObserveStore(Func<long> documents, Func<long> tombstones) => Update(s => s with { Documents = documents, Tombstones = tombstones });

    /// <summary>Detaches every observed source (the node stopped): the gauges report nothing.</summary>
    internal void DetachSources() => Volatile.Write(ref _sources, new Sources());

    private void Update(Func<Sources, Sources> change)
    {
        Sources current, updated;
        do
        {
            current = Volatile.Read(ref _sources);
            updated = change(current);
        }
        while (Interlocked.CompareExchange(ref _sources, updated, current) != current);
    }

    private IEnumerable<Measurement<int>> ObservePeers() =>
        Volatile.Read(ref _sources).Peers is { } peers ? [new Measurement<int>(peers())] : [];

    private IEnumerable<Measurement<int>> ObserveMembers()
    {
        if (Volatile.Read(ref _sources).MemberStates is not { } states)
        {
            return [];
        }

        var counts = new int[MemberStates.Length];
        foreach (var state in states())
        {
            var index = Array.IndexOf(MemberStates, state);
            if (index >= 0)
            {
                counts[index]++;
            }
        }

        return [.. MemberStates.Select((state, i) => new Measurement<int>(counts[i], new KeyValuePair<string, object?>("state", state)))];
    }

    private IEnumerable<Measurement<int>> ObservePartitioned() =>
        Volatile.Read(ref _sources).Partitioned is { } partitioned ? [new Measurement<int>(partitioned() ? 1 : 0)] : [];

    private IEnumerable<Measurement<int>> ObservePending() =>
        Volatile.Read(ref _sources).Pending is { } pending ? [new Measurement<int>(pending())] : [];

    private IEnumerable<Measurement<long>> ObserveDocuments() =>
        Volatile.Read(ref _sources).Documents is { } documents ? [new Measurement<long>(documents())] : [];

    private IEnumerable<Measurement<long>> ObserveTombstones() =>
        Volatile.Read(ref _sources).Tombstones is { } tombstones ? [new Measurement<long>(tombstones())] : [];

    /// <summary>The node state the observable gauges read; swapped atomically as a whole.</summary>
    private sealed record Sources
    {
        public Func<int>? Peers { get; init; }

        public Func<IEnumerable<string>>? MemberStates { get; init; }

        public Func<bool>? Partitioned { get; init; }

        public Func<int>? Pending { get; init; }

        public Func<long>? Documents { get; init; }

        public Func<long>? Tombstones { get; init; }
    }
}
