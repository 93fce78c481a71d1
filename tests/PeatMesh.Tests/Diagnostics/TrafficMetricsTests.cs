using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Diagnostics;
using PeatMesh.Discovery.Mdns;
using PeatMesh.Security.Noise;
using PeatMesh.Tests.Security.Noise;
using PeatMesh.Transport;
using PeatMesh.Transport.Tcp;

namespace PeatMesh.Tests.Diagnostics;

/// <summary>
/// The traffic counters on real sockets (127.0.0.1, port 0): <c>peat_transport_bytes_total</c> counts every byte of a
/// mesh TCP connection below Noise (handshake included), and <c>peat_mdns_bytes_total</c> / <c>peat_mdns_packets_total</c>
/// count mDNS datagrams.
/// </summary>
public sealed class TrafficMetricsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private const string In = "peat_transport_bytes_total{direction=\"in\"}";
    private const string Out = "peat_transport_bytes_total{direction=\"out\"}";

    private static TcpMeshTransport Transport(int seed, byte[] psk, MeshMetrics metrics) =>
        new(new TcpTransportOptions { BindAddress = IPAddress.Loopback, Port = 0 }, TestKeys.Options(TestKeys.Identity(seed), psk),
            NullLogger.Instance, metrics);

    private static PrometheusScrape Scrape(PrometheusMetricsExporter exporter) => PrometheusScrape.Parse(exporter.Collect());

    [Fact]
    public async Task TcpTransport_HandshakeAndMessages_CountsEveryByteBelowNoise_OnBothEnds()
    {
        var psk = TestKeys.Psk(7);
        using var listenerMetrics = new MeshMetrics();
        using var dialerMetrics = new MeshMetrics();
        using var listenerScrape = new PrometheusMetricsExporter(listenerMetrics.Meter);
        using var dialerScrape = new PrometheusMetricsExporter(dialerMetrics.Meter);
        await using var listener = Transport(1, psk, listenerMetrics);
        await using var dialer = Transport(2, psk, dialerMetrics);
        var inbound = new TaskCompletionSource<IMessageChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        await listener.StartAsync((channel, _) =>
        {
            inbound.TrySetResult(channel);
            return Task.CompletedTask;
        });
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var (client, _) = await dialer.DialAsync(new PeerAddress("127.0.0.1", port));
        await using var clientChannel = client;
        await using var serverChannel = await inbound.Task.WaitAsync(Deadline);

        // Both handshakes have returned: the responder wrote its last message and the initiator read it, so the
        // handshake bytes one side sent are exactly the bytes the other received.
        var handshakeOut = Scrape(dialerScrape).Value(Out)!.Value;
        var handshakeIn = Scrape(dialerScrape).Value(In)!.Value;
        Assert.True(handshakeOut > 0 && handshakeIn > 0, "the handshake moved bytes both ways");
        Assert.Equal(handshakeOut, Scrape(listenerScrape).Value(In));
        Assert.Equal(handshakeIn, Scrape(listenerScrape).Value(Out));

        // One transport message of n plaintext bytes is a 2-byte length prefix, n ciphertext bytes and a 16-byte tag
        // (Noise rev 34 §5.2, §7.12 framing as in docs/protocol.md).
        var buffer = new byte[client.MaxMessageSize];
        await client.SendAsync(new byte[100]);
        Assert.Equal(100, await serverChannel.ReceiveAsync(buffer).AsTask().WaitAsync(Deadline));
        await serverChannel.SendAsync(new byte[1]);
        Assert.Equal(1, await client.ReceiveAsync(buffer).AsTask().WaitAsync(Deadline));

        var framing = NoiseFraming.HeaderSize + NoiseConstants.TagSize;
        Assert.Equal(handshakeOut + 100 + framing, Scrape(dialerScrape).Value(Out));
        Assert.Equal(handshakeOut + 100 + framing, Scrape(listenerScrape).Value(In));
        Assert.Equal(handshakeIn + 1 + framing, Scrape(dialerScrape).Value(In));
        Assert.Equal(handshakeIn + 1 + framing, Scrape(listenerScrape).Value(Out));
    }

    [Fact]
    public async Task TcpTransport_RejectedHandshake_CountsOnlyTheBytesRead()
    {
        using var metrics = new MeshMetrics();
        using var scrape = new PrometheusMetricsExporter(metrics.Meter);
        await using var listener = Transport(1, TestKeys.Psk(7), metrics);
        await listener.StartAsync((_, _) => Task.CompletedTask);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        // Not a Noise message: a length prefix announcing 3 bytes, then 3 bytes. Message 1 has one fixed length, so the
        // responder rejects the frame after reading its 2-byte prefix and never reads the rest: 2 bytes came in.
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(new byte[] { 0, 3, 1, 2, 3 });
            await Wait.UntilAsync(() => Scrape(scrape).Sum("peat_handshakes_total") >= 1, Deadline, "the listener gives up on the garbage handshake");
        }

        Assert.Equal(NoiseFraming.HeaderSize, Scrape(scrape).Value(In));
        Assert.Null(Scrape(scrape).Value(Out));
    }

    [Fact]
    public async Task MdnsUdpTransport_SendAndReceive_CountsDatagramsAndPayloadBytes()
    {
        using var metrics = new MeshMetrics();
        using var scrape = new PrometheusMetricsExporter(metrics.Meter);
        var options = new MdnsOptions { Port = FreeUdpPort(), Interfaces = { "lo" } };
        await using var transport = MdnsUdpTransport.Open(options, NullLogger.Instance, metrics);
        var received = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.Start(packet => received.TrySetResult(packet.Payload.Length));
        var datagram = new byte[37];
        new Random(5).NextBytes(datagram);

        transport.SendUnicast(datagram, new IPEndPoint(IPAddress.Loopback, options.Port));

        Assert.Equal(datagram.Length, await received.Task.WaitAsync(Deadline));
        var s = Scrape(scrape);
        Assert.Equal(1, s.Value("peat_mdns_packets_total{direction=\"out\"}"));
        Assert.Equal(1, s.Value("peat_mdns_packets_total{direction=\"in\"}"));
        Assert.Equal(datagram.Length, s.Value("peat_mdns_bytes_total{direction=\"out\"}"));
        Assert.Equal(datagram.Length, s.Value("peat_mdns_bytes_total{direction=\"in\"}"));
        Assert.Equal("counter", s.Types["peat_mdns_bytes_total"]);
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
