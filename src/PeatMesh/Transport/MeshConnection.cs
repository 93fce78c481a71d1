using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PeatMesh.Diagnostics;
using PeatMesh.Security;

namespace PeatMesh.Transport;

/// <summary>
/// One authenticated connection to a peer, multiplexing several named protocols
/// (<see cref="MeshProtocols"/>) over an <see cref="IMessageChannel"/> (decision 3), with
/// heartbeats (ping/pong RTT) and bounded per-protocol queues. Wire format: docs/protocol.md.
/// </summary>
/// <remarks>
/// Thread-safe. Create with <see cref="EstablishAsync(IMessageChannel, PeerHello, ConnectionDirection, EndPoint?, MeshConnectionOptions, TimeProvider, ILogger, CancellationToken)"/>; the connection runs a reader, a writer and a
/// heartbeat loop until closed by either side, by a protocol violation or by missed heartbeats.
/// <see cref="Completion"/> then completes (it never faults) and <see cref="CloseReason"/> says why.
/// Disposal closes gracefully and is idempotent.
/// </remarks>
public sealed partial class MeshConnection : IAsyncDisposable
{
    private readonly IMessageChannel _channel;
    private readonly MeshConnectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MeshMetrics? _metrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<byte[]> _control = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly MeshProtocolChannel[] _protocols;
    private readonly Dictionary<string, MeshProtocolChannel> _protocolsByName;
    private readonly MeshProtocolChannel?[] _remoteStreams;
    private MeshTransportException? _closeReason;
    private int _closed;
    private Task _loops = Task.CompletedTask;

    private MeshConnection(IMessageChannel channel, PeerHello localHello, PeerHello remoteHello, ConnectionDirection direction,
        EndPoint? remoteEndPoint, MeshConnectionOptions options, TimeProvider time, ILogger logger, MeshMetrics? metrics)
    {
        _channel = channel;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        LocalHello = localHello;
        RemoteHello = remoteHello;
        Direction = direction;
        RemoteEndPoint = remoteEndPoint;
        RemoteIdentityKey = channel.RemoteIdentityKey.ToArray();
        RemoteDeviceId = DeviceId.FromPublicKey(RemoteIdentityKey.Span);
        ConnectedSince = time.GetUtcNow();

        _protocols = new MeshProtocolChannel[localHello.Protocols.Count];
        _protocolsByName = new Dictionary<string, MeshProtocolChannel>(StringComparer.Ordinal);
        for (var i = 0; i < _protocols.Length; i++)
        {
            _protocols[i] = new MeshProtocolChannel(this, localHello.Protocols[i], i, options.ProtocolQueueCapacity, metrics);
            _protocolsByName[localHello.Protocols[i]] = _protocols[i];
        }

        _remoteStreams = new MeshProtocolChannel?[remoteHello.Protocols.Count];
        for (var i = 0; i < _remoteStreams.Length; i++)
        {
            _remoteStreams[i] = _protocolsByName.GetValueOrDefault(remoteHello.Protocols[i]);
        }
    }

    /// <summary>What we told the peer.</summary>
    public PeerHello LocalHello { get; }

    /// <summary>What the peer told us (node id, ports, protocols).</summary>
    public PeerHello RemoteHello { get; }

    /// <summary>The peer's node id (from its hello).</summary>
    public string RemoteNodeId => RemoteHello.NodeId;

    /// <summary>The peer's authenticated Ed25519 identity key (32 bytes).</summary>
    public ReadOnlyMemory<byte> RemoteIdentityKey { get; }

    /// <summary>The peer's device id, derived from <see cref="RemoteIdentityKey"/>.</summary>
    public DeviceId RemoteDeviceId { get; }

    /// <summary>Who dialled.</summary>
    public ConnectionDirection Direction { get; }

    /// <summary>The peer's socket address, when known.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>When the connection was established.</summary>
    public DateTimeOffset ConnectedSince { get; }

    /// <summary>Completes (never faults) once the connection is closed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Whether the connection is still open.</summary>
    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    /// <summary>Why the connection closed, or <see langword="null"/> while open.</summary>
    public MeshTransportException? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>
    /// Exchanges hellos over an authenticated channel and starts the connection's loops.
    /// </summary>
    /// <param name="channel">The authenticated channel; owned by the connection from now on (disposed with it, or on failure).</param>
    /// <param name="localHello">Our hello.</param>
    /// <param name="direction">Who dialled.</param>
    /// <param name="remoteEndPoint">The peer's socket address, if known.</param>
    /// <param name="options">Limits and timings (validated).</param>
    /// <param name="timeProvider">Clock for heartbeats and timeouts.</param>
    /// <param name="logger">Logger (category <c>PeatMesh.Transport</c>).</param>
    /// <param name="cancellationToken">Cancels the hello exchange.</param>
    /// <exception cref="MeshTransportException">The hello was missing, malformed or late.</exception>
    public static Task<MeshConnection> EstablishAsync(IMessageChannel channel, PeerHello localHello, ConnectionDirection direction,
        EndPoint? remoteEndPoint, MeshConnectionOptions options, TimeProvider timeProvider, ILogger logger,
        CancellationToken cancellationToken = default) =>
        EstablishAsync(channel, localHello, direction, remoteEndPoint, options, timeProvider, logger, metrics: null, cancellationToken);

    /// <summary>
    /// Exchanges hellos and starts the connection's loops, recording messages, bytes, heartbeat round trips and the
    /// close reason into <paramref name="metrics"/> (see the public overload for the other parameters).
    /// </summary>
    internal static async Task<MeshConnection> EstablishAsync(IMessageChannel channel, PeerHello localHello, ConnectionDirection direction,
        EndPoint? remoteEndPoint, MeshConnectionOptions options, TimeProvider timeProvider, ILogger logger, MeshMetrics? metrics,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(localHello);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        try
        {
            var remoteHello = await ExchangeHelloAsync(channel, localHello, options, timeProvider, cancellationToken).ConfigureAwait(false);
            var connection = new MeshConnection(channel, localHello, remoteHello, direction, remoteEndPoint, options, timeProvider, logger, metrics);
            connection.Start();
            return connection;
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The channel for protocol <paramref name="name"/>.</summary>
    /// <exception cref="MeshTransportException"><see cref="MeshTransportError.ProtocolNotSupported"/> when either side does not speak it.</exception>
    public MeshProtocolChannel GetProtocol(string name)
    {
        if (!_protocolsByName.TryGetValue(name, out var protocol) || !RemoteHello.Protocols.Contains(name))
        {
            throw new MeshTransportException(MeshTransportError.ProtocolNotSupported, $"Protocol {name} is not spoken by both peers.");
        }

        return protocol;
    }

    /// <summary>Whether both sides speak protocol <paramref name="name"/>.</summary>
    public bool Supports(string name) => _protocolsByName.ContainsKey(name) && RemoteHello.Protocols.Contains(name);

    /// <summary>
    /// Closes gracefully: sends a goodbye with <paramref name="reason"/> (waiting at most
    /// <see cref="MeshConnectionOptions.CloseTimeout"/>), then tears down. Idempotent.
    /// </summary>
    public async Task CloseAsync(string reason)
    {
        if (!IsOpen)
        {
            await Completion.ConfigureAwait(false);
            return;
        }

        var goAway = new byte[1 + System.Text.Encoding.UTF8.GetByteCount(reason)];
        goAway[0] = (byte)MuxFrameKind.GoAway;
        System.Text.Encoding.UTF8.GetBytes(reason, goAway.AsSpan(1));
        _goAwaySent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_control.Writer.TryWrite(goAway))
        {
            SignalWriter();
            using var timeout = new CancellationTokenSource(_options.CloseTimeout, _time);
            try
            {
                await _goAwaySent.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The peer is not reading; tear down anyway.
            }
        }

        await AbortAsync(new MeshTransportException(MeshTransportError.ConnectionClosed, "Closed locally: " + reason)).ConfigureAwait(false);
    }

    /// <summary>Closes gracefully with reason "disposed". Idempotent.</summary>
    public async ValueTask DisposeAsync() => await CloseAsync("disposed").ConfigureAwait(false);

    /// <summary>A short description for logs: node id, device id and direction.</summary>
    public override string ToString() => $"{RemoteNodeId} ({RemoteDeviceId}, {Direction})";

    internal void CheckSendable(int length)
    {
        if (length > _options.MaxMessageSize)
        {
            throw new MeshTransportException(MeshTransportError.MessageTooLarge,
                $"Message of {length} bytes exceeds the limit of {_options.MaxMessageSize} bytes.");
        }

        if (!IsOpen)
        {
            throw ClosedException(null);
        }
    }

    internal MeshTransportException ClosedException(Exception? inner) =>
        new(MeshTransportError.ConnectionClosed, "The connection to " + RemoteNodeId + " is closed.", CloseReason ?? inner);

    internal void SignalWriter() => _wake.Writer.TryWrite(true);

    private void Start()
    {
        var reader = Task.Run(ReadLoopAsync);
        var writer = Task.Run(WriteLoopAsync);
        var heartbeat = _options.HeartbeatInterval == Timeout.InfiniteTimeSpan ? Task.CompletedTask : Task.Run(HeartbeatLoopAsync);
        _loops = Task.WhenAll(reader, writer, heartbeat);
    }

    private async Task AbortAsync(MeshTransportException reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            await Completion.ConfigureAwait(false);
            return;
        }

        Volatile.Write(ref _closeReason, reason);
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var protocol in _protocols)
        {
            protocol.Complete();
        }

        _control.Writer.TryComplete();
        _wake.Writer.TryComplete();
        _goAwaySent?.TrySetResult();
        await _channel.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MeshTransportException or ObjectDisposedException or IOException)
        {
            // Loops end with these once the channel is gone; the close reason is already recorded.
        }

        _stop.Dispose();
        _metrics?.ConnectionClosed(MetricLabels.SnakeCase(reason.Error));
        TransportLog.ConnectionClosed(_logger, RemoteNodeId, RemoteDeviceId, reason.Error, reason.Message);
        _completion.TrySetResult();
    }

    private void AbortInBackground(MeshTransportException reason) => _ = Task.Run(() => AbortAsync(reason));

    private static async Task<PeerHello> ExchangeHelloAsync(IMessageChannel channel, PeerHello localHello, MeshConnectionOptions options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var encoded = localHello.Encode();
        var frame = new byte[encoded.Length + 1];
        frame[0] = (byte)MuxFrameKind.Hello;
        encoded.CopyTo(frame, 1);
        using var timeout = new CancellationTokenSource(options.HelloTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await channel.SendAsync(frame, linked.Token).ConfigureAwait(false);
            var buffer = new byte[channel.MaxMessageSize];
            var length = await channel.ReceiveAsync(buffer, linked.Token).ConfigureAwait(false);
            if (length < 1 || buffer[0] != (byte)MuxFrameKind.Hello)
            {
                throw new MeshTransportException(MeshTransportError.ProtocolViolation, "The peer's first frame was not a hello.");
            }

            return PeerHello.Decode(buffer.AsSpan(1, length - 1));
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MeshTransportException(MeshTransportError.HandshakeTimeout, "No hello from the peer within " + options.HelloTimeout + ".", e);
        }
    }

    private TaskCompletionSource? _goAwaySent;
}
