using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PeatMesh.Diagnostics;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// mDNS over one IPv4 UDP socket bound to <c>0.0.0.0:5353</c> with address reuse (so avahi-daemon and several nodes
/// can share the port), joined to 224.0.0.251 on every selected interface, multicast TTL 255 and loopback on
/// (RFC 6762 §11), IP_PKTINFO to learn the arrival interface. Multicast sends choose the interface per datagram,
/// so each interface advertises its own addresses; every datagram leaves from port 5353 (avahi drops others).
/// </summary>
/// <remarks>Thread-safe: sends are serialized; one receive loop delivers datagrams in order.</remarks>
internal sealed class MdnsUdpTransport : IMdnsTransport
{
    /// <summary>The IPv4 mDNS group (RFC 6762 §3).</summary>
    public static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

    private readonly Socket _socket;
    private static readonly KeyValuePair<string, object?>[] InTags = MeshMetrics.DirectionTags("in");
    private static readonly KeyValuePair<string, object?>[] OutTags = MeshMetrics.DirectionTags("out");
    private readonly ILogger _logger;
    private readonly MeshMetrics? _metrics;
    private readonly int _port;
    private readonly object _sendLock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiveLoop = Task.CompletedTask;
    private int _disposed;

    private MdnsUdpTransport(Socket socket, IReadOnlyList<MdnsInterface> interfaces, int port, ILogger logger, MeshMetrics? metrics)
    {
        _socket = socket;
        _metrics = metrics;
        Interfaces = interfaces;
        _port = port;
        _logger = logger;
    }

    /// <inheritdoc />
    public IReadOnlyList<MdnsInterface> Interfaces { get; }

    /// <summary>
    /// Selects the interfaces, binds the port and joins the group. Runs in the calling thread's network namespace.
    /// Every datagram sent and received (UDP payload) is counted in <paramref name="metrics"/>
    /// (<c>peat_mdns_packets_total</c>, <c>peat_mdns_bytes_total</c>) when given.
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable interface (see <see cref="MdnsInterfaceCatalog.Select"/>).</exception>
    /// <exception cref="SocketException">The port cannot be bound or the group cannot be joined.</exception>
    public static MdnsUdpTransport Open(MdnsOptions options, ILogger logger, MeshMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var interfaces = MdnsInterfaceCatalog.Select(options);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, options.Port));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.IpTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            foreach (var nic in interfaces)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, nic.Index));
            }

            return new MdnsUdpTransport(socket, interfaces, options.Port, logger, metrics);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Start(Action<MdnsPacket> onPacket) => _receiveLoop = Task.Run(() => ReceiveLoopAsync(onPacket));

    /// <inheritdoc />
    public void SendMulticast(byte[] packet, MdnsInterface via)
    {
        var destination = new IPEndPoint(Group, _port);
        lock (_sendLock)
        {
            try
            {
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, via.IPv4Addresses[0].GetAddressBytes());
                var sent = _socket.SendTo(packet, SocketFlags.None, destination);
                _metrics?.MdnsPacket(OutTags, sent);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                MdnsLog.SendFailed(_logger, destination, via.Name, e.Message);
            }
        }
    }

    /// <inheritdoc />
    public void SendUnicast(byte[] packet, IPEndPoint destination)
    {
        lock (_sendLock)
        {
            try
            {
                var sent = _socket.SendTo(packet, SocketFlags.None, destination);
                _metrics?.MdnsPacket(OutTags, sent);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                MdnsLog.SendFailed(_logger, destination, "unicast", e.Message);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync(Action<MdnsPacket> onPacket)
    {
        var buffer = new byte[DnsMessage.MaxPacketBytes];
        var any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult result;
            try
            {
                result = await _socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException e)
            {
                MdnsLog.ReceiveFailed(_logger, e.Message);
                continue;
            }

            if ((result.SocketFlags & SocketFlags.Truncated) != 0 || result.RemoteEndPoint is not IPEndPoint source)
            {
                continue; // larger than 9000 bytes: not a valid mDNS message (RFC 6762 §17)
            }

            _metrics?.MdnsPacket(InTags, result.ReceivedBytes);
            onPacket(new MdnsPacket(buffer.AsMemory(0, result.ReceivedBytes), source, result.PacketInformation.Interface));
        }
    }
}
