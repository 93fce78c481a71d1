using System.Buffers.Binary;
using PeatMesh.Security.Noise;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>Successful secure channels over real TCP sockets on 127.0.0.1.</summary>
public class SecureChannelTests : SecureChannelTestBase
{
    [Fact]
    public async Task ConnectAsync_MatchingPsk_BothSidesLearnVerifiedIdentities()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        var server = await listener.NextChannelAsync("server handshake");

        Assert.True(client.IsInitiator);
        Assert.False(server.IsInitiator);
        Assert.Equal(ServerIdentity.PublicKey.ToArray(), client.RemoteIdentityKey.ToArray());
        Assert.Equal(ServerIdentity.DeviceId, client.RemoteDeviceId);
        Assert.Equal(ClientIdentity.PublicKey.ToArray(), server.RemoteIdentityKey.ToArray());
        Assert.Equal(ClientIdentity.DeviceId, server.RemoteDeviceId);
        Assert.Equal(32, client.HandshakeHash.Length);
        Assert.Equal(client.HandshakeHash.ToArray(), server.HandshakeHash.ToArray());
    }

    [Fact]
    public async Task ConnectAsync_TwoConnections_UseFreshStaticKeysAndDistinctHandshakeHashes()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var first = await ConnectAsync(listener.Port, ClientOptions()).Within("first handshake");
        await using var second = await ConnectAsync(listener.Port, ClientOptions()).Within("second handshake");
        await listener.NextChannelAsync("server first");
        await listener.NextChannelAsync("server second");

        Assert.NotEqual(first.HandshakeHash.ToArray(), second.HandshakeHash.ToArray());
    }

    [Fact]
    public async Task SendAsync_MaxSizeAndEmptyMessages_RoundTripInBothDirections()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        var server = await listener.NextChannelAsync("server handshake");
        var big = TestKeys.Bytes(SecureChannel.MaxPlaintextSize, seed: 42);
        var buffer = new byte[SecureChannel.MaxPlaintextSize];

        foreach (var (sender, receiver, direction) in new[] { (client, server, "client->server"), (server, client, "server->client") })
        {
            var send = sender.SendAsync(big).AsTask();
            var length = await receiver.ReceiveAsync(buffer).Within($"{direction}: receive 65,519 bytes");
            await send.Within($"{direction}: send 65,519 bytes");
            Assert.Equal(SecureChannel.MaxPlaintextSize, length);
            Assert.True(big.AsSpan().SequenceEqual(buffer), $"{direction}: max-size message corrupted");

            await sender.SendAsync(ReadOnlyMemory<byte>.Empty).Within($"{direction}: send empty");
            Assert.Equal(0, await receiver.ReceiveAsync(buffer).Within($"{direction}: receive empty"));

            await sender.SendAsync("after"u8.ToArray()).Within($"{direction}: send small");
            length = await receiver.ReceiveAsync(buffer).Within($"{direction}: receive small");
            Assert.Equal("after"u8.ToArray(), buffer[..length]);
        }
    }

    [Fact]
    public async Task SendAsync_ManyConcurrentCallers_EveryMessageArrivesWholeAndInPerSenderOrder()
    {
        const int senders = 8;
        const int perSender = 40;
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        var server = await listener.NextChannelAsync("server handshake");

        var sending = Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++)
            {
                await client.SendAsync(MessageFor(s, i));
            }
        })).ToArray();

        var buffer = new byte[SecureChannel.MaxPlaintextSize];
        var nextSeq = new int[senders];
        for (var n = 0; n < senders * perSender; n++)
        {
            var length = await server.ReceiveAsync(buffer).Within($"receive concurrent message {n}");
            var s = BinaryPrimitives.ReadInt32BigEndian(buffer);
            var i = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4));
            Assert.InRange(s, 0, senders - 1);
            Assert.Equal(nextSeq[s]++, i);
            Assert.True(MessageFor(s, i).AsSpan().SequenceEqual(buffer.AsSpan(0, length)), $"message {s}/{i} corrupted or interleaved");
        }

        await Task.WhenAll(sending).Within("all concurrent senders finish");
        Assert.All(nextSeq, count => Assert.Equal(perSender, count));
    }

    [Fact]
    public async Task SendAsync_TooLarge_ThrowsMessageTooLargeAndChannelStaysUsable()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        var server = await listener.NextChannelAsync("server handshake");

        var ex = await Assert.ThrowsAsync<MeshTransportException>(() => client.SendAsync(new byte[SecureChannel.MaxPlaintextSize + 1]).AsTask());
        Assert.Equal(MeshTransportError.MessageTooLarge, ex.Error);

        await client.SendAsync("still fine"u8.ToArray()).Within("send after rejection");
        var buffer = new byte[SecureChannel.MaxPlaintextSize];
        var length = await server.ReceiveAsync(buffer).Within("receive after rejection");
        Assert.Equal("still fine"u8.ToArray(), buffer[..length]);
    }

    [Fact]
    public async Task ReceiveAsync_DestinationSmallerThanMaxPlaintext_ThrowsArgumentException()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        await listener.NextChannelAsync("server handshake");

        await Assert.ThrowsAsync<ArgumentException>(() => client.ReceiveAsync(new byte[SecureChannel.MaxPlaintextSize - 1]).AsTask());
    }

    [Fact]
    public async Task ReceiveAsync_SecondConcurrentReader_ThrowsInvalidOperation()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        var server = await listener.NextChannelAsync("server handshake");

        var pending = client.ReceiveAsync(new byte[SecureChannel.MaxPlaintextSize]).AsTask();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ReceiveAsync(new byte[SecureChannel.MaxPlaintextSize]).AsTask());

        await server.SendAsync("x"u8.ToArray()).Within("server sends to the pending reader");
        Assert.Equal(1, await pending.Within("pending receive completes"));
    }

    [Fact]
    public async Task ReceiveAsync_PeerDisposes_ThrowsConnectionClosedAndStaysFaulted()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        var server = await listener.NextChannelAsync("server handshake");
        await client.SendAsync("last"u8.ToArray()).Within("client sends before closing");
        await client.DisposeAsync();

        var buffer = new byte[SecureChannel.MaxPlaintextSize];
        Assert.Equal(4, await server.ReceiveAsync(buffer).Within("server reads the last message"));
        var ex = await ThrowsTransportAsync(() => server.ReceiveAsync(buffer).AsTask(), "server sees EOF");
        Assert.Equal(MeshTransportError.ConnectionClosed, ex.Error);
        ex = await ThrowsTransportAsync(() => server.ReceiveAsync(buffer).AsTask(), "server receive after EOF");
        Assert.Equal(MeshTransportError.ConnectionClosed, ex.Error);
    }

    [Fact]
    public async Task DisposeAsync_CalledTwiceAndWithPendingReceive_IsIdempotentAndAbortsTheReceive()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        await listener.NextChannelAsync("server handshake");

        var pending = client.ReceiveAsync(new byte[SecureChannel.MaxPlaintextSize]).AsTask();
        await client.DisposeAsync().Within("first dispose");
        await client.DisposeAsync().Within("second dispose");

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.Within("pending receive ends after dispose"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendAsync("x"u8.ToArray()).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ReceiveAsync(new byte[SecureChannel.MaxPlaintextSize]).AsTask());
    }

    [Fact]
    public async Task ToString_Channel_NamesRoleAndPeerWithoutKeys()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var client = await ConnectAsync(listener.Port, ClientOptions()).Within("client handshake");
        await listener.NextChannelAsync("server handshake");

        var text = client.ToString();
        Assert.Contains("initiator", text);
        Assert.Contains(ServerIdentity.DeviceId.ToString(), text);
        Assert.DoesNotContain(Convert.ToHexString(client.HandshakeHash.Span), text, StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] MessageFor(int sender, int index)
    {
        // Sizes vary from a few bytes to the maximum, so interleaving or truncation would show.
        var size = index % 10 == 9 ? SecureChannel.MaxPlaintextSize : 8 + new Random((sender * 1000) + index).Next(0, 3000);
        var message = TestKeys.Bytes(size, seed: (sender * 1000) + index);
        BinaryPrimitives.WriteInt32BigEndian(message, sender);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), index);
        return message;
    }
}
