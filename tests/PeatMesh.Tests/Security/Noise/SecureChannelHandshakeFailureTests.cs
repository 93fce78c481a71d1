using System.Net.Sockets;
using PeatMesh.Security.Noise;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>
/// Handshake failures over real sockets: every bad peer gets a classified error, nobody hangs, no identity leaks to
/// a peer without the PSK, and the listener keeps serving good clients.
/// </summary>
public class SecureChannelHandshakeFailureTests : SecureChannelTestBase
{
    private static readonly TimeSpan LongTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConnectAsync_WrongPsk_BothSidesFailAndListenerSurvives()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());

        var clientError = await ThrowsTransportAsync(() => ConnectAsync(listener.Port, ClientOptions(OtherPsk)), "client with wrong PSK fails");
        var serverError = await AssertServerFailsAsync(listener, MeshTransportError.AuthenticationFailed, "server rejects wrong PSK");

        // The responder hangs up without answering message 3, so the initiator sees the connection end.
        Assert.True(clientError.Error is MeshTransportError.ConnectionClosed or MeshTransportError.ConnectionAborted, clientError.ToString());
        Assert.DoesNotContain(ServerIdentity.DeviceId.ToString(), clientError.ToString());
        Assert.DoesNotContain(ClientIdentity.DeviceId.ToString(), serverError.ToString());
        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task AcceptAsync_InitiatorWithWrongPsk_ReceivesOnlyAnEmptyMessage2ThenEof()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions());
        await using var stream = await RawNoisePeer.DialAsync(listener.Port);
        using var handshake = RawNoisePeer.NewHandshake(initiator: true, OtherPsk);

        await RawNoisePeer.WriteFrameAsync(stream, handshake.WriteMessage([]));
        var message2 = await RawNoisePeer.ReadFrameAsync(stream);
        Assert.NotNull(message2);
        Assert.Empty(handshake.ReadMessage(message2));
        await RawNoisePeer.WriteFrameAsync(stream, handshake.WriteMessage(RawNoisePeer.Honest(ClientIdentity)(handshake.LocalStaticPublicKey.ToArray())));
        var rest = await RawNoisePeer.ReadToEndAsync(stream);

        // Everything the responder ever sent: a 96-byte message 2 (e, encrypted per-channel static key, empty payload).
        Assert.Equal(32 + 48 + 16, message2.Length);
        Assert.Empty(rest);
        Assert.False(Contains(message2, ServerIdentity.PublicKey.ToArray()), "responder identity key leaked in message 2");
        Assert.False(Contains(handshake.RemoteStaticPublicKey.ToArray(), ServerIdentity.PublicKey.ToArray()), "static key equals identity");
        await AssertServerFailsAsync(listener, MeshTransportError.AuthenticationFailed, "server rejects wrong PSK");
        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task ConnectAsync_ResponderWithWrongPsk_InitiatorFailsWithoutLearningIdentity()
    {
        await using var wrongListener = ChannelTestListener.StartSecure(TestKeys.Options(ServerIdentity, OtherPsk));

        var error = await ThrowsTransportAsync(() => ConnectAsync(wrongListener.Port, ClientOptions()), "initiator against wrong-PSK responder");

        Assert.True(error.Error is MeshTransportError.ConnectionClosed or MeshTransportError.ConnectionAborted, error.ToString());
        await AssertServerFailsAsync(wrongListener, MeshTransportError.AuthenticationFailed, "wrong-PSK responder rejects message 3");
    }

    [Fact]
    public async Task AcceptAsync_GarbageWithBadLength_ProtocolViolation()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(LongTimeout));
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            var garbage = TestKeys.Bytes(200, seed: 9);
            garbage[0] = 0x12;
            garbage[1] = 0x34;
            await stream.WriteAsync(garbage);
            await AssertServerFailsAsync(listener, MeshTransportError.ProtocolViolation, "server rejects garbage");
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task AcceptAsync_GarbageFramedAsMessage1_AuthenticationFailed()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(LongTimeout));
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            // A well-framed 48-byte message 1 whose payload tag cannot verify.
            await RawNoisePeer.WriteFrameAsync(stream, TestKeys.Bytes(48, seed: 10));
            await AssertServerFailsAsync(listener, MeshTransportError.AuthenticationFailed, "server rejects forged message 1");
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task ConnectAsync_ResponderSendsGarbage_ProtocolViolation()
    {
        await using var raw = ChannelTestListener.StartRaw(async (stream, ct) =>
        {
            await RawNoisePeer.ReadFrameAsync(stream);
            await stream.WriteAsync(TestKeys.Bytes(300, seed: 11), ct);
            await RawNoisePeer.ReadToEndAsync(stream);
        });

        var error = await ThrowsTransportAsync(() => ConnectAsync(raw.Port, ClientOptions(timeout: LongTimeout)), "initiator facing garbage");

        Assert.Equal(MeshTransportError.ProtocolViolation, error.Error);
    }

    [Theory]
    [InlineData(new byte[0], MeshTransportError.ConnectionClosed)]
    [InlineData(new byte[] { 0x00 }, MeshTransportError.ProtocolViolation)]
    [InlineData(new byte[] { 0x00, 0x30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, MeshTransportError.ProtocolViolation)]
    public async Task AcceptAsync_EofBeforeOrInsideMessage1_ClassifiedAndListenerSurvives(byte[] sent, MeshTransportError expected)
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(LongTimeout));
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            await stream.WriteAsync(sent);
            stream.Socket.Shutdown(SocketShutdown.Send);
            var ex = await AssertServerFailsAsync(listener, expected, $"server sees EOF after {sent.Length} bytes");
            if (expected == MeshTransportError.ProtocolViolation)
            {
                Assert.Contains("truncated", ex.Message);
            }
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task ConnectAsync_ResponderEofInsideMessage2_ProtocolViolation()
    {
        await using var raw = ChannelTestListener.StartRaw(async (stream, ct) =>
        {
            await RawNoisePeer.ReadFrameAsync(stream);
            await stream.WriteAsync(new byte[] { 0x00, 0x60, 1, 2, 3, 4, 5 }, ct);
            stream.Socket.Shutdown(SocketShutdown.Send);
            await RawNoisePeer.ReadToEndAsync(stream);
        });

        var error = await ThrowsTransportAsync(() => ConnectAsync(raw.Port, ClientOptions(timeout: LongTimeout)), "initiator facing truncated message 2");

        Assert.Equal(MeshTransportError.ProtocolViolation, error.Error);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(0x00, 0x00)]
    [InlineData(0xFF, 0xFF)]
    [InlineData(0x00, 0x31)]
    public async Task AcceptAsync_BadDeclaredLength_RejectedWithoutWaitingForTheBody(byte high, byte low)
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(LongTimeout));
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            // Only the header is sent and the connection stays open: the server must reject on the length alone.
            await stream.WriteAsync(new[] { high, low });
            var ex = await AssertServerFailsAsync(listener, MeshTransportError.ProtocolViolation, $"server rejects declared length {high:x2}{low:x2}");
            Assert.Contains("declared", ex.Message);
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task AcceptAsync_PeerNeverSpeaks_HandshakeTimeout()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(TimeSpan.FromMilliseconds(300)));
        await using (await RawNoisePeer.DialAsync(listener.Port))
        {
            var ex = await AssertServerFailsAsync(listener, MeshTransportError.HandshakeTimeout, "server gives up on a silent client");
            Assert.Contains("300 ms", ex.Message);
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task ConnectAsync_ResponderNeverSpeaks_HandshakeTimeout()
    {
        await using var raw = ChannelTestListener.StartRaw(async (stream, ct) => await RawNoisePeer.ReadToEndAsync(stream));

        var error = await ThrowsTransportAsync(
            () => ConnectAsync(raw.Port, ClientOptions(timeout: TimeSpan.FromMilliseconds(300))),
            "initiator gives up on a silent responder");

        Assert.Equal(MeshTransportError.HandshakeTimeout, error.Error);
    }

    [Fact]
    public async Task ConnectAsync_CallerCancelsMidHandshake_OperationCanceledNotTimeout()
    {
        var message1Seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var raw = ChannelTestListener.StartRaw(async (stream, ct) =>
        {
            await RawNoisePeer.ReadFrameAsync(stream);
            message1Seen.SetResult();
            await RawNoisePeer.ReadToEndAsync(stream);
        });
        using var cts = new CancellationTokenSource();

        var connect = ConnectAsync(raw.Port, ClientOptions(timeout: LongTimeout), cts.Token);
        await message1Seen.Task.Within("responder sees message 1");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect.Within("cancelled handshake ends"));
    }

    [Fact]
    public async Task AcceptAsync_TamperedMessage3_AuthenticationFailed()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(LongTimeout));
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            var handshake = RawNoisePeer.InitiateAsync(stream, Psk, RawNoisePeer.Honest(ClientIdentity), m =>
            {
                m[^1] ^= 0x01;
                return m;
            });
            await AssertServerFailsAsync(listener, MeshTransportError.AuthenticationFailed, "server rejects tampered message 3");
            await Assert.ThrowsAnyAsync<Exception>(() => handshake.Within("raw initiator sees the hang-up"));
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task AcceptAsync_IdentitySignedByAnotherKey_AuthenticationFailed()
    {
        using var impostor = TestKeys.Identity(seed: 666);
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(LongTimeout));
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            // Claims ClientIdentity's public key but the signature is made with a different key.
            var handshake = RawNoisePeer.InitiateAsync(stream, Psk, staticKey =>
                new NoiseHandshakePayload(ClientIdentity.PublicKey, impostor.Sign(NoiseHandshakePayload.BuildSignedMessage(staticKey))).Encode());
            var ex = await AssertServerFailsAsync(listener, MeshTransportError.AuthenticationFailed, "server rejects forged identity signature");
            Assert.Contains("signature", ex.Message);
            await Assert.ThrowsAnyAsync<Exception>(() => handshake.Within("raw initiator sees the hang-up"));
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task AcceptAsync_SignatureOverADifferentStaticKey_AuthenticationFailed()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(LongTimeout));
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            // A genuine signature, but replayed from another session's static key.
            var otherStatic = new byte[32];
            PeatMesh.Security.X25519.DerivePublicKey(TestKeys.Bytes(32, seed: 77), otherStatic);
            var handshake = RawNoisePeer.InitiateAsync(stream, Psk, _ => NoiseHandshakePayload.Create(ClientIdentity, otherStatic).Encode());
            await AssertServerFailsAsync(listener, MeshTransportError.AuthenticationFailed, "server rejects signature bound to another key");
            await Assert.ThrowsAnyAsync<Exception>(() => handshake.Within("raw initiator sees the hang-up"));
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task AcceptAsync_MalformedIdentityPayload_ProtocolViolation()
    {
        await using var listener = ChannelTestListener.StartSecure(ServerOptions(LongTimeout));
        await using (var stream = await RawNoisePeer.DialAsync(listener.Port))
        {
            var handshake = RawNoisePeer.InitiateAsync(stream, Psk, _ => TestKeys.Bytes(50, seed: 12));
            await AssertServerFailsAsync(listener, MeshTransportError.ProtocolViolation, "server rejects a malformed identity payload");
            await Assert.ThrowsAnyAsync<Exception>(() => handshake.Within("raw initiator sees the hang-up"));
        }

        await AssertListenerStillServesAsync(listener);
    }

    [Fact]
    public async Task ConnectAsync_ResponderIdentitySignedByAnotherKey_AuthenticationFailed()
    {
        using var impostor = TestKeys.Identity(seed: 667);
        await using var raw = ChannelTestListener.StartRaw(async (stream, ct) =>
        {
            using var transport = await RawNoisePeer.RespondAsync(stream, Psk, staticKey =>
                new NoiseHandshakePayload(ServerIdentity.PublicKey, impostor.Sign(NoiseHandshakePayload.BuildSignedMessage(staticKey))).Encode());
            await RawNoisePeer.ReadToEndAsync(stream);
        });

        var error = await ThrowsTransportAsync(() => ConnectAsync(raw.Port, ClientOptions(timeout: LongTimeout)), "initiator rejects forged responder identity");

        Assert.Equal(MeshTransportError.AuthenticationFailed, error.Error);
    }

    [Fact]
    public async Task ConnectAsync_HonestRawResponder_Interoperates()
    {
        // Cross-check: the scripted peer (engine API only) and SecureChannel agree on the wire protocol.
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var raw = ChannelTestListener.StartRaw(async (stream, ct) =>
        {
            using var transport = await RawNoisePeer.RespondAsync(stream, Psk, RawNoisePeer.Honest(ServerIdentity));
            var frame = await RawNoisePeer.ReadFrameAsync(stream);
            var plaintext = new byte[frame!.Length];
            var length = transport.ReadMessage(frame, plaintext);
            received.SetResult(plaintext[..length]);
        });

        await using var client = await ConnectAsync(raw.Port, ClientOptions()).Within("initiator with honest raw responder");
        await client.SendAsync("hello raw"u8.ToArray()).Within("send to raw responder");

        Assert.Equal(ServerIdentity.DeviceId, client.RemoteDeviceId);
        Assert.Equal("hello raw"u8.ToArray(), await received.Task.Within("raw responder decrypts"));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
