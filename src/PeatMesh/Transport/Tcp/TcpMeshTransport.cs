using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PeatMesh.Diagnostics;
using PeatMesh.Security.Noise;

namespace PeatMesh.Transport.Tcp;

/// <summary>
/// The mesh transport: TCP sockets secured with <c>Noise_XXpsk3_25519_ChaChaPoly_SHA256</c> (decision 2,
/// <see cref="SecureChannel"/>). Inbound handshakes run concurrently up to
/// <see cref="TcpTransportOptions.MaxPendingHandshakes"/>; a failed handshake (wrong formation secret,
/// garbage, timeout) closes only that socket.
/// </summary>
/// <remarks>Thread-safe. <see cref="StartAsync"/> once; <see cref="DisposeAsync"/> stops accepting (idempotent).</remarks>
public sealed partial class TcpMeshTransport : IMeshTransport
{
    private readonly TcpTransportOptions _options;
    private readonly SecureChannelOptions _secure;
    private readonly ILogger _logger;
    private readonly MeshMetrics? _metrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _handshakeSlots;
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    /// <summary>Creates the transport.</summary>
    /// <param name="options">Listener options (validated).</param>
    /// <param name="secure">Noise options: identity, PSK, handshake timeout (validated).</param>
    /// <param name="logger">Logger (category <c>PeatMesh.Transport</c>).</param>
    public TcpMeshTransport(TcpTransportOptions options, SecureChannelOptions secure, ILogger logger)
        : this(options, secure, logger, metrics: null)
    {
    }

    /// <summary>
    /// Creates the transport, recording Noise handshakes (outcome and failure reason) and the bytes of every mesh
    /// socket (<c>peat_transport_bytes_total</c>) into <paramref name="metrics"/>.
    /// </summary>
    internal TcpMeshTransport(TcpTransportOptions options, SecureChannelOptions secure, ILogger logger, MeshMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(secure);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        secure.Validate();
        _options = options;
        _secure = secure;
        _logger = logger;
        _metrics = metrics;
        _handshakeSlots = new SemaphoreSlim(options.MaxPendingHandshakes, options.MaxPendingHandshakes);
    }

    /// <inheritdoc />
    public EndPoint? LocalEndPoint => _listener?.LocalEndpoint;

    /// <inheritdoc />
    public Task StartAsync(Func<IMessageChannel, EndPoint?, Task> onInbound, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onInbound);
        var listener = new TcpListener(_options.BindAddress, _options.Port);
        try
        {
            listener.Start(backlog: 512);
        }
        catch (SocketException e)
        {
            throw new MeshTransportException(MeshTransportError.Unknown,
                $"Cannot listen on {_options.BindAddress}:{_options.Port}: {e.Message}", e);
        }

        _listener = listener;
        TcpLog.Listening(_logger, listener.LocalEndpoint);
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, onInbound), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<(IMessageChannel Channel, EndPoint? RemoteEndPoint)> DialAsync(PeerAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var client = new TcpClient { NoDelay = true };
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(_options.ConnectTimeout);
                try
                {
                    await client.ConnectAsync(address.Host, address.Port, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new MeshTransportException(MeshTransportError.ConnectionAborted, $"Connecting to {address} timed out.", e);
                }
                catch (SocketException e)
                {
                    throw new MeshTransportException(MeshTransportError.ConnectionAborted, $"Connecting to {address} failed: {e.Message}", e);
                }
            }

            Configure(client.Client);
            var remote = client.Client.RemoteEndPoint;
            using var activity = StartHandshakeActivity(MeshTelemetry.HandshakeOutbound, remote);
            SecureChannel channel;
            try
            {
                channel = await SecureChannel.ConnectAsync(Meter(client.GetStream()), _secure, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                RecordHandshakeFailure(activity, "outbound", e);
                throw;
            }

            _metrics?.Handshake("outbound", failureReason: null);
            return (new SecureMessageChannel(channel), remote);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Stops accepting and waits for the accept loop. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener, Func<IMessageChannel, EndPoint?, Task> onInbound)
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            await _handshakeSlots.WaitAsync(token).ConfigureAwait(false);
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                _handshakeSlots.Release();
                if (token.IsCancellationRequested)
                {
                    return;
                }

                TcpLog.AcceptFailed(_logger, e.Message);
                continue;
            }

            _ = Task.Run(() => HandshakeInboundAsync(socket, onInbound, token), CancellationToken.None);
        }
    }

    private async Task HandshakeInboundAsync(Socket socket, Func<IMessageChannel, EndPoint?, Task> onInbound, CancellationToken token)
    {
        var remote = socket.RemoteEndPoint;
        SecureChannel channel;
        var activity = StartHandshakeActivity(MeshTelemetry.HandshakeInbound, remote);
        try
        {
            Configure(socket);
            channel = await SecureChannel.AcceptAsync(Meter(new NetworkStream(socket, ownsSocket: true)), _secure, token).ConfigureAwait(false);
            _metrics?.Handshake("inbound", failureReason: null);
        }
        catch (Exception e) when (e is MeshTransportException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            RecordHandshakeFailure(activity, "inbound", e);
            TcpLog.HandshakeRejected(_logger, remote, (e as MeshTransportException)?.Error ?? MeshTransportError.ConnectionAborted, e.Message);
            return;
        }
        finally
        {
            activity?.Dispose();
            _handshakeSlots.Release();
        }

        await onInbound(new SecureMessageChannel(channel), remote).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a handshake span as a root: a handshake is caused by a dial loop or the listener, never by whatever
    /// activity happens to be current on the thread.
    /// </summary>
    private static Activity? StartHandshakeActivity(string name, EndPoint? remote)
    {
        if (!MeshTelemetry.Source.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;
        Activity.Current = null;
        var activity = MeshTelemetry.Source.StartActivity(name, ActivityKind.Internal);
        if (activity is null)
        {
            Activity.Current = previous;
            return null;
        }

        if (remote is IPEndPoint ip)
        {
            activity.SetTag("network.peer.address", ip.Address.ToString());
            activity.SetTag("network.peer.port", ip.Port);
        }

        return activity;
    }

    /// <summary>Counts a failed handshake by reason (e.g. <c>authentication_failed</c>, <c>timeout</c>) and marks its span.</summary>
    private void RecordHandshakeFailure(Activity? activity, string direction, Exception exception)
    {
        var reason = exception switch
        {
            MeshTransportException { Error: MeshTransportError.HandshakeTimeout } => "timeout",
            MeshTransportException transport => MetricLabels.SnakeCase(transport.Error),
            OperationCanceledException => "cancelled",
            _ => MetricLabels.SnakeCase(MeshTransportError.ConnectionAborted),
        };
        _metrics?.Handshake(direction, reason);
        MeshTelemetry.SetError(activity, reason, exception.Message);
    }

    /// <summary>Counts the socket's bytes (below Noise) when the transport records metrics.</summary>
    private Stream Meter(NetworkStream stream) => _metrics is null ? stream : new MeteredStream(stream, _metrics);

    private static void Configure(Socket socket)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
    }
}
