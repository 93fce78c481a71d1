using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Security;
using PeatMesh.Testing;
using PeatMesh.Transport;
using PeatMesh.Transport.InMemory;

namespace PeatMesh.Tests.Transport;

public class MeshConnectionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static PeerHello Hello(string node, params string[] protocols) =>
        new(node, 11204, 8081, "test", protocols.Length == 0 ? [MeshProtocols.AutomergeSync] : protocols);

    private static async Task<(MeshConnection A, MeshConnection B)> ConnectAsync(
        MeshConnectionOptions? options = null, TimeProvider? time = null, PeerHello? helloA = null, PeerHello? helloB = null)
    {
        using var keyA = DeviceKeypair.Generate();
        using var keyB = DeviceKeypair.Generate();
        var (a, b) = InMemoryMessageChannel.CreatePair(keyA.PublicKey.ToArray(), keyB.PublicKey.ToArray());
        options ??= new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan };
        time ??= TimeProvider.System;
        var ta = MeshConnection.EstablishAsync(a, helloA ?? Hello("node-a"), ConnectionDirection.Outbound, null, options, time, NullLogger.Instance);
        var tb = MeshConnection.EstablishAsync(b, helloB ?? Hello("node-b"), ConnectionDirection.Inbound, null, options, time, NullLogger.Instance);
        return (await Wait.ForAsync(ta, Deadline, "connection A established"), await Wait.ForAsync(tb, Deadline, "connection B established"));
    }

    [Fact]
    public async Task EstablishAsync_ExchangesHellos_ExposesPeerIdentity()
    {
        var (a, b) = await ConnectAsync();
        await using var _ = a;
        await using var __ = b;

        Assert.Equal("node-b", a.RemoteNodeId);
        Assert.Equal("node-a", b.RemoteNodeId);
        Assert.Equal(DeviceId.FromPublicKey(a.RemoteIdentityKey.Span), a.RemoteDeviceId);
        Assert.Equal(ConnectionDirection.Outbound, a.Direction);
        Assert.True(a.Supports(MeshProtocols.AutomergeSync));
        Assert.False(a.Supports(MeshProtocols.Blobs));
    }

    [Fact]
    public async Task SendAsync_SmallAndFragmentedMessages_ArriveWholeAndInOrder()
    {
        var (a, b) = await ConnectAsync();
        await using var _ = a;
        await using var __ = b;
        var random = new Random(42);
        var messages = new[] { 0, 1, 100, 65517, 65518, 200_000, 1_000_000 }.Select(n =>
        {
            var m = new byte[n];
            random.NextBytes(m);
            return m;
        }).ToList();

        var sender = a.GetProtocol(MeshProtocols.AutomergeSync);
        var sendAll = Task.Run(async () =>
        {
            foreach (var m in messages)
            {
                await sender.SendAsync(m);
            }
        });

        var receiver = b.GetProtocol(MeshProtocols.AutomergeSync);
        foreach (var expected in messages)
        {
            var received = await Wait.ForAsync(receiver.Incoming.ReadAsync().AsTask(), Deadline, $"message of {expected.Length} bytes");
            Assert.Equal(expected, received);
        }

        await sendAll;
    }

    [Fact]
    public async Task GetProtocol_NotSpokenByPeer_ThrowsProtocolNotSupported()
    {
        var (a, b) = await ConnectAsync(helloA: Hello("node-a", MeshProtocols.AutomergeSync, MeshProtocols.Blobs));
        await using var _ = a;
        await using var __ = b;

        var e = Assert.Throws<MeshTransportException>(() => a.GetProtocol(MeshProtocols.Blobs));
        Assert.Equal(MeshTransportError.ProtocolNotSupported, e.Error);
    }

    [Fact]
    public async Task Protocols_LargeTransferOnOne_DoesNotBlockTheOther()
    {
        using var keyA = DeviceKeypair.Generate();
        using var keyB = DeviceKeypair.Generate();
        var protocols = new[] { MeshProtocols.AutomergeSync, MeshProtocols.Blobs };
        var (a, raw) = InMemoryMessageChannel.CreatePair(keyA.PublicKey.ToArray(), keyB.PublicKey.ToArray(), capacity: 1);
        var options = new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan };
        await raw.SendAsync(new byte[] { (byte)MuxFrameKind.Hello }.Concat(Hello("raw", protocols).Encode()).ToArray());
        var establish = MeshConnection.EstablishAsync(a, Hello("node-a", protocols), ConnectionDirection.Outbound, null, options, TimeProvider.System, NullLogger.Instance);
        var frame = new byte[65519];
        Assert.Equal((byte)MuxFrameKind.Hello, frame[..await raw.ReceiveAsync(frame)][0]);
        await using var connection = await Wait.ForAsync(establish, Deadline, "establish");

        // The raw peer reads nothing yet, so the writer stalls after a fragment or two of the 4 MB blob.
        await connection.GetProtocol(MeshProtocols.Blobs).SendAsync(new byte[4_000_000]);
        await connection.GetProtocol(MeshProtocols.AutomergeSync).SendAsync(new byte[] { 7 });

        var blobFragments = 0;
        while (true)
        {
            var length = await Wait.ForAsync(raw.ReceiveAsync(frame).AsTask(), Deadline, "next frame from the writer");
            if (frame[1] == 0)
            {
                Assert.Equal(new byte[] { (byte)MuxFrameKind.Data, 0, 7 }, frame[..length]);
                break;
            }

            Assert.Equal(blobFragments == 0 ? (byte)MuxFrameKind.DataStart : (byte)MuxFrameKind.DataContinue, frame[0]);
            blobFragments++;
        }

        // 4 MB needs 62 fragments; the small message overtook all but the few already written.
        Assert.InRange(blobFragments, 0, 4);
    }

    [Fact]
    public async Task SendAsync_OverMaxMessageSize_ThrowsMessageTooLarge()
    {
        var options = new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan, MaxMessageSize = 4096 };
        var (a, b) = await ConnectAsync(options);
        await using var _ = a;
        await using var __ = b;

        var e = await Assert.ThrowsAsync<MeshTransportException>(() => a.GetProtocol(MeshProtocols.AutomergeSync).SendAsync(new byte[4097]).AsTask());
        Assert.Equal(MeshTransportError.MessageTooLarge, e.Error);
    }

    [Fact]
    public async Task CloseAsync_SendsGoAway_PeerCompletesWithReason()
    {
        var (a, b) = await ConnectAsync();
        await a.CloseAsync("maintenance");

        await Wait.ForAsync(b.Completion, Deadline, "peer closes after goodbye");
        Assert.Equal(MeshTransportError.ConnectionClosed, b.CloseReason!.Error);
        Assert.Contains("maintenance", b.CloseReason.Message, StringComparison.Ordinal);
        var incoming = b.GetProtocol(MeshProtocols.AutomergeSync).Incoming;
        Assert.False(await incoming.WaitToReadAsync(), "incoming stream completes on close");
        await Assert.ThrowsAsync<MeshTransportException>(() => b.GetProtocol(MeshProtocols.AutomergeSync).SendAsync(new byte[1]).AsTask());
    }

    [Fact]
    public async Task Heartbeat_PongsAnswered_MeasuresRtt()
    {
        var (a, b) = await ConnectAsync();
        await using var _ = a;
        await using var __ = b;

        a.SendPing();
        await Wait.UntilAsync(() => a.SmoothedRtt is not null, Deadline, "RTT sample after ping");
        Assert.True(a.SmoothedRtt >= TimeSpan.Zero);
        Assert.Equal(LinkState.Healthy, a.LinkState);
    }

    [Fact]
    public async Task Heartbeat_PeerSilent_SuspectThenDeadOnFakeClock()
    {
        var time = new ManualTimeProvider();
        using var keyA = DeviceKeypair.Generate();
        using var keyB = DeviceKeypair.Generate();
        var (a, silent) = InMemoryMessageChannel.CreatePair(keyA.PublicKey.ToArray(), keyB.PublicKey.ToArray());
        var options = new MeshConnectionOptions { HeartbeatInterval = TimeSpan.FromSeconds(5) };
        var helloFrame = new byte[] { (byte)MuxFrameKind.Hello }.Concat(Hello("silent").Encode()).ToArray();
        await silent.SendAsync(helloFrame);
        var connection = await Wait.ForAsync(
            MeshConnection.EstablishAsync(a, Hello("node-a"), ConnectionDirection.Outbound, null, options, time, NullLogger.Instance),
            Deadline, "establish against a silent peer");
        var received = new byte[65519];
        Assert.True(await silent.ReceiveAsync(received) > 1);
        Assert.Equal((byte)MuxFrameKind.Hello, received[0]);

        await Wait.UntilAsync(() => time.ActiveTimers > 0, Deadline, "heartbeat timer armed");
        for (var i = 1; i <= 2; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Wait.UntilAsync(() => connection.MissedHeartbeats == i, Deadline, $"missed heartbeat {i} counted");
        }

        Assert.Equal(LinkState.Suspect, connection.LinkState);
        time.Advance(TimeSpan.FromSeconds(5));
        await Wait.UntilAsync(() => connection.MissedHeartbeats == 3, Deadline, "missed heartbeat 3 counted");
        time.Advance(TimeSpan.FromSeconds(5));
        await Wait.ForAsync(connection.Completion, Deadline, "connection closed after 4 missed heartbeats");
        Assert.Equal(MeshTransportError.HeartbeatTimeout, connection.CloseReason!.Error);
        Assert.Equal(LinkState.Dead, connection.LinkState);
    }

    [Theory]
    [InlineData(new byte[] { 0x7f, 0x00 }, MeshTransportError.ProtocolViolation)]
    [InlineData(new byte[] { (byte)MuxFrameKind.Data, 9, 1, 2 }, MeshTransportError.ProtocolViolation)]
    [InlineData(new byte[] { (byte)MuxFrameKind.Data }, MeshTransportError.ProtocolViolation)]
    [InlineData(new byte[] { (byte)MuxFrameKind.Ping, 1 }, MeshTransportError.ProtocolViolation)]
    [InlineData(new byte[] { (byte)MuxFrameKind.Hello, (byte)'{', (byte)'}' }, MeshTransportError.ProtocolViolation)]
    public async Task ReadLoop_GarbageFrame_ClosesWithClearError(byte[] garbage, MeshTransportError expected)
    {
        using var keyA = DeviceKeypair.Generate();
        using var keyB = DeviceKeypair.Generate();
        var (a, raw) = InMemoryMessageChannel.CreatePair(keyA.PublicKey.ToArray(), keyB.PublicKey.ToArray());
        var options = new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan };
        await raw.SendAsync(new byte[] { (byte)MuxFrameKind.Hello }.Concat(Hello("raw").Encode()).ToArray());
        var connection = await MeshConnection.EstablishAsync(a, Hello("node-a"), ConnectionDirection.Inbound, null, options, TimeProvider.System, NullLogger.Instance);

        await raw.SendAsync(garbage);

        await Wait.ForAsync(connection.Completion, Deadline, "connection closed after garbage");
        Assert.Equal(expected, connection.CloseReason!.Error);
    }

    private static async Task<(MeshConnection Connection, InMemoryMessageChannel Raw)> ConnectRawAsync(int maxMessageSize = 100_000)
    {
        using var keyA = DeviceKeypair.Generate();
        using var keyB = DeviceKeypair.Generate();
        var (a, raw) = InMemoryMessageChannel.CreatePair(keyA.PublicKey.ToArray(), keyB.PublicKey.ToArray());
        var options = new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan, MaxMessageSize = maxMessageSize };
        await raw.SendAsync(new byte[] { (byte)MuxFrameKind.Hello }.Concat(Hello("raw").Encode()).ToArray());
        var connection = await MeshConnection.EstablishAsync(a, Hello("node-a"), ConnectionDirection.Inbound, null, options, TimeProvider.System, NullLogger.Instance);
        return (connection, raw);
    }

    private static byte[] DataStart(uint total, int fragmentLength)
    {
        var frame = new byte[6 + fragmentLength];
        frame[0] = (byte)MuxFrameKind.DataStart;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2), total);
        return frame;
    }

    [Fact]
    public async Task ReadLoop_AnnouncedLengthBeyondLimit_ClosesWithMessageTooLargeBeforeAllocating()
    {
        var (connection, raw) = await ConnectRawAsync(maxMessageSize: 100_000);

        await raw.SendAsync(DataStart(uint.MaxValue, 100));

        await Wait.ForAsync(connection.Completion, Deadline, "connection closed after an oversized announcement");
        Assert.Equal(MeshTransportError.MessageTooLarge, connection.CloseReason!.Error);
    }

    [Theory]
    [InlineData("continue without start")]
    [InlineData("fragments exceed announced length")]
    [InlineData("start announcing less than its own fragment")]
    [InlineData("whole message while fragmented one in progress")]
    public async Task ReadLoop_InconsistentFragments_CloseWithProtocolViolation(string scenario)
    {
        var (connection, raw) = await ConnectRawAsync();
        switch (scenario)
        {
            case "continue without start":
                await raw.SendAsync(new byte[] { (byte)MuxFrameKind.DataContinue, 0, 1, 2 });
                break;
            case "fragments exceed announced length":
                await raw.SendAsync(DataStart(1000, 600));
                var overflow = new byte[2 + 500];
                overflow[0] = (byte)MuxFrameKind.DataContinue;
                await raw.SendAsync(overflow);
                break;
            case "start announcing less than its own fragment":
                await raw.SendAsync(DataStart(10, 100));
                break;
            default:
                await raw.SendAsync(DataStart(1000, 600));
                await raw.SendAsync(new byte[] { (byte)MuxFrameKind.Data, 0, 1 });
                break;
        }

        await Wait.ForAsync(connection.Completion, Deadline, "connection closed after " + scenario);
        Assert.Equal(MeshTransportError.ProtocolViolation, connection.CloseReason!.Error);
    }

    [Fact]
    public async Task Incoming_ConsumerSlow_SenderBackpressuredNotUnbounded()
    {
        var options = new MeshConnectionOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan, ProtocolQueueCapacity = 2 };
        var (a, b) = await ConnectAsync(options);
        await using var _ = a;
        await using var __ = b;
        var sender = a.GetProtocol(MeshProtocols.AutomergeSync);

        // Nobody reads on B: B's inbound queue (2), the channel buffer (64) and A's outbound queue (2) fill up,
        // after which SendAsync must wait instead of buffering without bound.
        var sent = 0;
        var blocked = Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await sender.SendAsync(BitConverter.GetBytes(i));
                Interlocked.Increment(ref sent);
            }
        });
        await Wait.UntilAsync(() => Volatile.Read(ref sent) > 60, Deadline, "sender fills the buffers");
        var plateau = Volatile.Read(ref sent);
        Assert.False(blocked.IsCompleted);
        Assert.True(plateau < 100, $"sender got {plateau} messages ahead of a stalled reader");

        var incoming = b.GetProtocol(MeshProtocols.AutomergeSync).Incoming;
        for (var i = 0; i < 1000; i++)
        {
            var message = await Wait.ForAsync(incoming.ReadAsync().AsTask(), Deadline, $"message {i}");
            Assert.Equal(i, BinaryPrimitives.ReadInt32LittleEndian(message));
        }

        await Wait.ForAsync(blocked, Deadline, "sender finishes once the reader drains");
    }
}
