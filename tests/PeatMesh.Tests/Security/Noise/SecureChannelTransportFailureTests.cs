using System.Net.Sockets;
using PeatMesh.Security.Noise;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>Transport-phase attacks from an authenticated (PSK-holding) scripted peer, over real sockets.</summary>
public class SecureChannelTransportFailureTests : SecureChannelTestBase
{
    [Fact]
    public async Task ReceiveAsync_TamperedCiphertext_DecryptionFailedAndSideStaysFaulted()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            var (transport, _) = await RawNoisePeer.InitiateAsync(stream, Psk, RawNoisePeer.Honest(ClientIdentity)).Within("raw handshake");
            using (transport)
            {
                var server = await listener.NextChannelAsync("server accepts raw initiator");
                var message = RawNoisePeer.Seal(transport, "transfer 10 coins"u8);
                message[3] ^= 0x20;
                await RawNoisePeer.WriteFrameAsync(stream, message);

                var buffer = new byte[SecureChannel.MaxPlaintextSize];
                var ex = await ThrowsTransportAsync(() => server.ReceiveAsync(buffer).AsTask(), "server receives tampered message");
                Assert.Equal(MeshTransportError.DecryptionFailed, ex.Error);
                Assert.True(buffer.AsSpan(0, 17).IndexOfAnyExcept((byte)0) < 0, "tampered plaintext was exposed");

                // A later, genuine message cannot resynchronize a faulted receive side.
                await RawNoisePeer.WriteFrameAsync(stream, RawNoisePeer.Seal(transport, "again"u8));
                ex = await ThrowsTransportAsync(() => server.ReceiveAsync(buffer).AsTask(), "server receive after tampering");
                Assert.Equal(MeshTransportError.DecryptionFailed, ex.Error);
            }
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task ReceiveAsync_ReplayedMessage_RejectedAsDecryptionFailed()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var stream = await RawNoisePeer.DialAsync(listener.Port);
        var (transport, _) = await RawNoisePeer.InitiateAsync(stream, Psk, RawNoisePeer.Honest(ClientIdentity)).Within("raw handshake");
        using (transport)
        {
            var server = await listener.NextChannelAsync("server accepts raw initiator");
            var message = RawNoisePeer.Seal(transport, "pay once"u8);
            await RawNoisePeer.WriteFrameAsync(stream, message);
            await RawNoisePeer.WriteFrameAsync(stream, message);

            var buffer = new byte[SecureChannel.MaxPlaintextSize];
            var length = await server.ReceiveAsync(buffer).Within("server receives the original");
            Assert.Equal("pay once"u8.ToArray(), buffer[..length]);
            var ex = await ThrowsTransportAsync(() => server.ReceiveAsync(buffer).AsTask(), "server receives the replay");
            Assert.Equal(MeshTransportError.DecryptionFailed, ex.Error);
        }
    }

    [Fact]
    public async Task ReceiveAsync_ReorderedMessages_Rejected()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var stream = await RawNoisePeer.DialAsync(listener.Port);
        var (transport, _) = await RawNoisePeer.InitiateAsync(stream, Psk, RawNoisePeer.Honest(ClientIdentity)).Within("raw handshake");
        using (transport)
        {
            var server = await listener.NextChannelAsync("server accepts raw initiator");
            var first = RawNoisePeer.Seal(transport, "first"u8);
            var second = RawNoisePeer.Seal(transport, "second"u8);
            await RawNoisePeer.WriteFrameAsync(stream, second);

            var ex = await ThrowsTransportAsync(() => server.ReceiveAsync(new byte[SecureChannel.MaxPlaintextSize]).AsTask(), "server receives out-of-order message");
            Assert.Equal(MeshTransportError.DecryptionFailed, ex.Error);
            Assert.NotEqual(first, second);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 }, "zero-length")]
    [InlineData(new byte[] { 0x00, 0x0F, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }, "shorter than the tag")]
    public async Task ReceiveAsync_FrameTooShortForATag_ProtocolViolation(byte[] frame, string why)
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var stream = await RawNoisePeer.DialAsync(listener.Port);
        var (transport, _) = await RawNoisePeer.InitiateAsync(stream, Psk, RawNoisePeer.Honest(ClientIdentity)).Within("raw handshake");
        using (transport)
        {
            var server = await listener.NextChannelAsync("server accepts raw initiator");
            await stream.WriteAsync(frame);

            var ex = await ThrowsTransportAsync(() => server.ReceiveAsync(new byte[SecureChannel.MaxPlaintextSize]).AsTask(), "server receives a " + why + " frame");
            Assert.Equal(MeshTransportError.ProtocolViolation, ex.Error);
        }
    }

    [Fact]
    public async Task ReceiveAsync_EofInsideTransportMessage_ProtocolViolationTruncated()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var stream = await RawNoisePeer.DialAsync(listener.Port);
        var (transport, _) = await RawNoisePeer.InitiateAsync(stream, Psk, RawNoisePeer.Honest(ClientIdentity)).Within("raw handshake");
        using (transport)
        {
            var server = await listener.NextChannelAsync("server accepts raw initiator");
            var frame = RawNoisePeer.Frame(RawNoisePeer.Seal(transport, "cut short"u8));
            await stream.WriteAsync(frame.AsMemory(0, frame.Length - 3));
            stream.Socket.Shutdown(SocketShutdown.Send);

            var ex = await ThrowsTransportAsync(() => server.ReceiveAsync(new byte[SecureChannel.MaxPlaintextSize]).AsTask(), "server receives a truncated message");
            Assert.Equal(MeshTransportError.ProtocolViolation, ex.Error);
            Assert.Contains("truncated", ex.Message);
        }
    }

    [Fact]
    public async Task SendAsync_ResponderToRawInitiator_DecryptsWithNoiseTransport()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var stream = await RawNoisePeer.DialAsync(listener.Port);
        var (transport, responder) = await RawNoisePeer.InitiateAsync(stream, Psk, RawNoisePeer.Honest(ClientIdentity)).Within("raw handshake");
        using (transport)
        {
            var server = await listener.NextChannelAsync("server accepts raw initiator");
            Assert.Equal(ServerIdentity.DeviceId, responder.DeviceId);
            Assert.Equal(transport.HandshakeHash.ToArray(), server.HandshakeHash.ToArray());

            await server.SendAsync("from server"u8.ToArray()).Within("server sends");
            var frame = await RawNoisePeer.ReadFrameAsync(stream);
            var plaintext = new byte[frame!.Length];
            var length = transport.ReadMessage(frame, plaintext);
            Assert.Equal("from server"u8.ToArray(), plaintext[..length]);
        }
    }
}
