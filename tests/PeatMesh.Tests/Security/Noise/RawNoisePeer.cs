using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PeatMesh.Security;
using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>
/// A scripted peer speaking the secure-channel wire protocol directly through the Noise engine, so tests can
/// misbehave precisely (wrong signatures, tampering, replays, bad frames).
/// </summary>
internal static class RawNoisePeer
{
    public static HandshakeState NewHandshake(bool initiator, ReadOnlyMemory<byte> psk) => new(new HandshakeParameters
    {
        ProtocolName = SecureChannel.ProtocolName,
        Initiator = initiator,
        Prologue = Encoding.UTF8.GetBytes(SecureChannel.PrologueText),
        LocalStaticPrivateKey = TestKeys.Bytes(32, seed: initiator ? 7001 : 7002),
        PreSharedKeys = [psk],
    });

    /// <summary>The honest identity payload: <paramref name="identity"/> signs our static key.</summary>
    public static Func<byte[], byte[]> Honest(DeviceKeypair identity) =>
        staticKey => NoiseHandshakePayload.Create(identity, staticKey).Encode();

    public static async Task<NetworkStream> DialAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port).Within("raw peer connects");
        return new NetworkStream(socket, ownsSocket: true);
    }

    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        var frame = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
        message.CopyTo(frame.AsSpan(2));
        return frame;
    }

    public static async Task WriteFrameAsync(Stream stream, ReadOnlyMemory<byte> message) =>
        await stream.WriteAsync(Frame(message.Span)).AsTask().Within("raw peer writes a frame");

    /// <summary>Reads one frame; null on EOF before the header.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream)
    {
        var header = new byte[2];
        var got = await stream.ReadAtLeastAsync(header, 2, throwOnEndOfStream: false).AsTask().Within("raw peer reads a frame header");
        if (got == 0)
        {
            return null;
        }

        Assert.Equal(2, got);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await stream.ReadExactlyAsync(body).AsTask().Within("raw peer reads a frame body");
        return body;
    }

    /// <summary>Reads everything until the peer closes (EOF or reset).</summary>
    public static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).AsTask().Within("raw peer reads until the peer closes")) > 0)
            {
                all.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset also ends the conversation.
        }

        return all.ToArray();
    }

    /// <summary>Runs the initiator side; <paramref name="alterMessage3"/> may rewrite message 3 before it is sent.</summary>
    public static async Task<(NoiseTransport Transport, NoiseHandshakePayload Responder)> InitiateAsync(
        Stream stream, ReadOnlyMemory<byte> psk, Func<byte[], byte[]> identityPayload, Func<byte[], byte[]>? alterMessage3 = null)
    {
        using var handshake = NewHandshake(initiator: true, psk);
        await WriteFrameAsync(stream, handshake.WriteMessage([]));
        var message2 = await ReadFrameAsync(stream) ?? throw new InvalidOperationException("EOF instead of message 2");
        Assert.Empty(handshake.ReadMessage(message2));
        var message3 = handshake.WriteMessage(identityPayload(handshake.LocalStaticPublicKey.ToArray()));
        await WriteFrameAsync(stream, alterMessage3 is null ? message3 : alterMessage3(message3));
        var responderStatic = handshake.RemoteStaticPublicKey.ToArray();
        var transport = handshake.Split();
        var identityMessage = await ReadFrameAsync(stream) ?? throw new InvalidOperationException("EOF instead of the responder's identity");
        var payload = new byte[identityMessage.Length];
        var length = transport.ReadMessage(identityMessage, payload);
        var responder = NoiseHandshakePayload.Decode(payload.AsSpan(0, length));
        Assert.True(responder.VerifySignature(responderStatic), "responder identity signature");
        return (transport, responder);
    }

    /// <summary>Runs the responder side with a chosen identity payload.</summary>
    public static async Task<NoiseTransport> RespondAsync(Stream stream, ReadOnlyMemory<byte> psk, Func<byte[], byte[]> identityPayload)
    {
        using var handshake = NewHandshake(initiator: false, psk);
        var message1 = await ReadFrameAsync(stream) ?? throw new InvalidOperationException("EOF instead of message 1");
        handshake.ReadMessage(message1);
        await WriteFrameAsync(stream, handshake.WriteMessage([]));
        var message3 = await ReadFrameAsync(stream) ?? throw new InvalidOperationException("EOF instead of message 3");
        handshake.ReadMessage(message3);
        var ours = identityPayload(handshake.LocalStaticPublicKey.ToArray());
        var transport = handshake.Split();
        await WriteFrameAsync(stream, Seal(transport, ours));
        return transport;
    }

    /// <summary>Encrypts one transport message (unframed).</summary>
    public static byte[] Seal(NoiseTransport transport, ReadOnlySpan<byte> payload)
    {
        var message = new byte[payload.Length + NoiseConstants.TagSize];
        transport.WriteMessage(payload, message);
        return message;
    }
}
