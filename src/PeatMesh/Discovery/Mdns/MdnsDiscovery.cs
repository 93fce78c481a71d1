using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Diagnostics;
using PeatMesh.Internal;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// mDNS/DNS-SD discovery (RFC 6762, RFC 6763), interoperable with avahi and Bonjour: advertises this node as
/// <c>&lt;node id&gt;._peat._udp.local</c> (SRV with the mesh port and target <c>&lt;sanitised node id&gt;.local</c>, TXT
/// <c>node_id</c>, <c>device_id</c>, <c>proto</c>, <c>version</c>, A records of each interface), and browses and resolves
/// other instances into <see cref="DiscoveredPeer"/>s.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. All protocol work runs under one lock, driven by received datagrams and by one timer of the
/// <see cref="TimeProvider"/> (so tests run on a fake clock). <see cref="Changed"/> handlers run outside the lock, one
/// at a time and in order, on the thread that processed the datagram or timer; a failing handler is logged.
/// </para>
/// <para>
/// Lifecycle: <see cref="StartAsync"/> opens the socket, then probes the names (three probes 250 ms apart; on a
/// conflict picks <c>name (2)</c> / <c>host-2</c> and probes again), announces (<see cref="MdnsOptions.AnnounceCount"/>
/// times, 1 s then doubling), and answers queries; browsing starts at once. <see cref="DisposeAsync"/> sends goodbyes
/// (TTL 0) and closes the socket; it is idempotent.
/// </para>
/// <para>
/// A peer is reported once its SRV record and at least one address of the SRV target are known; its
/// <see cref="DiscoveredPeer.NodeId"/> is TXT <c>node_id</c> (else the instance name), its addresses are the target's
/// A/AAAA addresses with the SRV port (routable IPv4 first, loopback and IPv6 link-local last), its metadata the TXT
/// attributes. It is lost on a goodbye or when its records expire (SRV/A after <see cref="MdnsOptions.HostRecordTtl"/>
/// unless refreshed). This node's own instance and node id are never reported.
/// </para>
/// </remarks>
public sealed class MdnsDiscovery : IDiscoveryStrategy
{
    /// <summary>The strategy name used in <c>PEAT_DISCOVERY</c> and as <see cref="DiscoveredPeer.Source"/>.</summary>
    public const string StrategyName = "mdns";

    private readonly object _gate = new();
    private readonly object _eventGate = new();
    private readonly MdnsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<MdnsOptions, IMdnsTransport> _transportFactory;
    private readonly Random _random;
    private readonly ConcurrentQueue<DiscoveryEvent> _events = new();
    private IMdnsTransport? _transport;
    private MdnsScheduler? _scheduler;
    private MdnsResponder? _responder;
    private MdnsBrowser? _browser;
    private int _draining;
    private bool _started;
    private volatile bool _disposed;

    /// <summary>Creates mDNS discovery; nothing is sent or bound until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The settings (validated here).</param>
    /// <param name="timeProvider">The clock for probes, announcements, queries and TTLs.</param>
    /// <param name="logger">The logger (category of the caller's choosing); null logs nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> fail <see cref="MdnsOptionsValidator"/>.</exception>
    public MdnsDiscovery(MdnsOptions options, TimeProvider timeProvider, ILogger? logger = null)
        : this(options, timeProvider, logger, null, null)
    {
    }

    /// <summary>
    /// Creates mDNS discovery that counts every datagram it sends and receives (UDP payload bytes and packets, by
    /// direction) in <paramref name="metrics"/>: <c>peat_mdns_bytes_total</c>, <c>peat_mdns_packets_total</c>.
    /// </summary>
    /// <param name="options">The settings (validated here).</param>
    /// <param name="timeProvider">The clock for probes, announcements, queries and TTLs.</param>
    /// <param name="logger">The logger (category of the caller's choosing); null logs nothing.</param>
    /// <param name="metrics">Where to count mDNS traffic; null counts nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> fail <see cref="MdnsOptionsValidator"/>.</exception>
    public MdnsDiscovery(MdnsOptions options, TimeProvider timeProvider, ILogger? logger, MeshMetrics? metrics)
        : this(options, timeProvider, logger, metrics is null ? null : o => MdnsUdpTransport.Open(o, logger ?? NullLogger.Instance, metrics), null)
    {
    }

    /// <summary>Creates mDNS discovery over a given transport (tests: in-memory network, or sockets in a network namespace).</summary>
    internal MdnsDiscovery(
        MdnsOptions options, TimeProvider timeProvider, ILogger? logger, Func<MdnsOptions, IMdnsTransport>? transportFactory, Random? random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var validation = new MdnsOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _options = options;
        _time = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _transportFactory = transportFactory ?? (o => MdnsUdpTransport.Open(o, _logger));
        _random = random ?? new Random();
    }

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public IReadOnlyCollection<DiscoveredPeer> Peers => Volatile.Read(ref _browser)?.Snapshot ?? [];

    /// <inheritdoc />
    public event Action<DiscoveryEvent>? Changed;

    /// <summary>The advertised instance name (e.g. <c>node-a._peat._udp.local</c>; changes after a name conflict), or null before start.</summary>
    public string? InstanceName
    {
        get
        {
            lock (_gate)
            {
                return _responder?.Service?.Instance.ToString();
            }
        }
    }

    /// <summary>The advertised host name (e.g. <c>node-a.local</c>; changes after a name conflict), or null before start.</summary>
    public string? HostName
    {
        get
        {
            lock (_gate)
            {
                return _responder?.Service?.Host.ToString();
            }
        }
    }

    /// <summary>Where the advertisement stands (probing, announcing, announced).</summary>
    public MdnsResponderState State
    {
        get
        {
            lock (_gate)
            {
                return _responder?.State ?? MdnsResponderState.Idle;
            }
        }
    }

    /// <summary>Records held in the cache of other hosts' records (tests and diagnostics).</summary>
    internal int CachedRecordCount
    {
        get
        {
            lock (_gate)
            {
                return _browser?.CachedRecords ?? 0;
            }
        }
    }

    /// <summary>
    /// Binds UDP 5353 on the selected interfaces, starts probing/announcing <paramref name="self"/> and browsing.
    /// Returns once the socket is open; the announcement follows about a second later.
    /// </summary>
    /// <param name="self">This node: node id (instance name and TXT <c>node_id</c>), device id, mesh port (SRV), version.</param>
    /// <param name="cancellationToken">Cancels before anything starts.</param>
    /// <exception cref="InvalidOperationException">Already started, or no usable network interface.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    /// <exception cref="ArgumentException">The node id is empty, or a TXT attribute exceeds 255 bytes, or the port is not 1–65535.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The mDNS port cannot be bound or the group joined.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before start.</exception>
    public Task StartAsync(LocalAdvertisement self, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(self.NodeId))
        {
            throw new ArgumentException("The node id is empty.", nameof(self));
        }

        if (self.MeshPort is < 1 or > 65535)
        {
            throw new ArgumentException($"Mesh port {self.MeshPort} is not 1-65535.", nameof(self));
        }

        var txt = TxtRecordData.FromAttributes(
        [
            new("node_id", self.NodeId),
            new("device_id", self.DeviceId.ToString()),
            new("proto", self.ProtocolVersion.ToString(CultureInfo.InvariantCulture)),
            new("version", self.Version),
        ]);
        var serviceType = DnsName.Parse(_options.ServiceType + "." + _options.Domain);

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("mDNS discovery is already started.");
            }

            _started = true;
        }

        IMdnsTransport transport;
        try
        {
            transport = _transportFactory(_options);
        }
        catch
        {
            lock (_gate)
            {
                _started = false;
            }

            throw;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                _ = transport.DisposeAsync().AsTask();
                throw new ObjectDisposedException(nameof(MdnsDiscovery));
            }

            _transport = transport;
            _scheduler = new MdnsScheduler(_time, _gate, DrainEvents, e => MdnsLog.HandlerFailed(_logger, e));
            var runtime = new MdnsRuntime(_options, _scheduler, _random, transport, serviceType, _logger);
            _responder = new MdnsResponder(runtime);
            _browser = new MdnsBrowser(runtime, () => _responder.Service, self.NodeId, Raise);
            _responder.Start(self.NodeId, (ushort)self.MeshPort, txt);
            _browser.Start();
            MdnsLog.Started(_logger, _responder.Service!.Instance, _responder.Service.Host, self.MeshPort, transport.Interfaces);
        }

        transport.Start(OnPacket);
        return Task.CompletedTask;
    }

    /// <summary>Sends goodbyes for the announced records, stops the timer and closes the socket. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        IMdnsTransport? transport;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var goodbyes = _responder?.Stop() ?? false;
            _browser?.Stop();
            _scheduler?.Dispose();
            transport = _transport;
            if (_started)
            {
                MdnsLog.Stopped(_logger, goodbyes);
            }
        }

        lock (_eventGate)
        {
            // Waits for a handler running on another thread; no event is raised after this point.
            _events.Clear();
        }

        if (transport is not null)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnPacket(MdnsPacket packet)
    {
        if (!DnsMessage.TryParse(packet.Payload.Span, out var message, out var error))
        {
            MdnsLog.MalformedPacket(_logger, packet.Source, error);
            return;
        }

        // RFC 6762 §18.3, §18.11: ignore other opcodes and non-zero response codes.
        if (message.Opcode != 0 || message.ResponseCode != 0)
        {
            return;
        }

        lock (_gate)
        {
            try
            {
                Dispatch(message, packet);
            }
            catch (Exception e)
            {
                // A bug in handling one datagram must not end the receive loop.
                MdnsLog.HandlerFailed(_logger, e);
            }
        }

        DrainEvents();
    }

    private void Dispatch(DnsMessage message, MdnsPacket packet)
    {
        if (_disposed || _responder is null || _browser is null || _transport is null)
        {
            return;
        }

        var nic = _transport.Interfaces.FirstOrDefault(n => n.Index == packet.InterfaceIndex);
        if (nic is null)
        {
            return;
        }

        if (message.IsResponse)
        {
            // RFC 6762 §6: responses from any port other than 5353 are silently ignored.
            if (packet.Source.Port != _options.Port)
            {
                return;
            }

            _responder.OnResponse(message, packet.Source, nic);
            _browser.OnResponse(message, nic);
        }
        else
        {
            _responder.OnQuery(message, packet.Source, nic);
        }
    }

    private void Raise(DiscoveryEventKind kind, DiscoveredPeer peer, DnsName instance)
    {
        MdnsLog.PeerChanged(_logger, kind, peer.NodeId, instance, peer.Addresses);
        _events.Enqueue(new DiscoveryEvent(kind, peer));
    }

    private void DrainEvents()
    {
        while (!_events.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            try
            {
                while (_events.TryDequeue(out var e))
                {
                    lock (_eventGate)
                    {
                        if (_disposed)
                        {
                            _events.Clear();
                            return;
                        }

                        EventHandlers.Raise(Changed, e, ex => MdnsLog.HandlerFailed(_logger, ex));
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _draining, 0);
            }
        }
    }
}
