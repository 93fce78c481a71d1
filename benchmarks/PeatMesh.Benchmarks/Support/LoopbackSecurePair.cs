using System.Net;
using System.Net.Sockets;
using PeatMesh.Security;
using PeatMesh.Security.Noise;

namespace PeatMesh.Benchmarks.Support;

/// <summary>
/// Two established <see cref="SecureChannel"/>s over one real TCP connection on 127.0.0.1 (listener on port 0,
/// <c>NoDelay</c> as the mesh transport sets it), with the seeded benchmark identities and PSK.
/// </summary>
/// <remarks>Not thread-safe to dispose concurrently with use. Disposal closes both channels and the identities.</remarks>
public sealed class LoopbackSecurePair : IAsyncDisposable
{
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(30);
    private readonly DeviceKeypair _serverIdentity;
    private readonly DeviceKeypair _clientIdentity;

    private LoopbackSecurePair(SecureChannel client, SecureChannel server, DeviceKeypair clientIdentity, DeviceKeypair serverIdentity)
    {
        Client = client;
        Server = server;
        _clientIdentity = clientIdentity;
        _serverIdentity = serverIdentity;
    }

    /// <summary>The initiator's channel.</summary>
    public SecureChannel Client { get; }

    /// <summary>The responder's channel.</summary>
    public SecureChannel Server { get; }

    /// <summary>Connects, runs both handshakes and returns the pair.</summary>
    /// <exception cref="TimeoutException">The connection or handshake took longer than 30 s.</exception>
    public static async Task<LoopbackSecurePair> CreateAsync(CancellationToken cancellationToken = default)
    {
        var serverIdentity = BenchKeys.ServerIdentity();
        var clientIdentity = BenchKeys.ClientIdentity();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        try
        {
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var accept = AcceptAsync(listener, BenchKeys.Options(serverIdentity), cancellationToken);
            var connect = ConnectAsync(port, BenchKeys.Options(clientIdentity), resetOnClose: false, cancellationToken);
            try
            {
                await Task.WhenAll(accept, connect).WithinAsync(SetupTimeout, "loopback secure channel handshake", cancellationToken);
            }
            catch
            {
                listener.Stop();
                await DisposeIfEstablishedAsync(accept);
                await DisposeIfEstablishedAsync(connect);
                throw;
            }

            return new LoopbackSecurePair(await connect, await accept, clientIdentity, serverIdentity);
        }
        catch
        {
            serverIdentity.Dispose();
            clientIdentity.Dispose();
            throw;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Opens a TCP connection to 127.0.0.1:<paramref name="port"/> and runs the initiator handshake.</summary>
    /// <param name="port">The responder's port.</param>
    /// <param name="options">Identity and PSK.</param>
    /// <param name="resetOnClose">Close with RST (linger 0) instead of FIN, so thousands of short connections leave no TIME_WAIT sockets.</param>
    /// <param name="cancellationToken">Cancels connect and handshake.</param>
    public static async Task<SecureChannel> ConnectAsync(int port, SecureChannelOptions options, bool resetOnClose,
        CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (resetOnClose)
            {
                socket.LingerState = new LingerOption(true, 0);
            }

            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await SecureChannel.ConnectAsync(new NetworkStream(socket, ownsSocket: true), options, cancellationToken);
    }

    /// <summary>Disposes both channels and the identities.</summary>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        _clientIdentity.Dispose();
        _serverIdentity.Dispose();
    }

    private static async Task DisposeIfEstablishedAsync(Task<SecureChannel> handshake)
    {
        try
        {
            var channel = await handshake.WaitAsync(SetupTimeout);
            await channel.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            // This side never got a channel; nothing to release.
        }
    }

    private static async Task<SecureChannel> AcceptAsync(TcpListener listener, SecureChannelOptions options, CancellationToken cancellationToken)
    {
        var socket = await listener.AcceptSocketAsync(cancellationToken);
        socket.NoDelay = true;
        return await SecureChannel.AcceptAsync(new NetworkStream(socket, ownsSocket: true), options, cancellationToken);
    }
}
