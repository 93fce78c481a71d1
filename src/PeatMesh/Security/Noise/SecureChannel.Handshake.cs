using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using PeatMesh.Transport;

namespace PeatMesh.Security.Noise;

/// <content>The XXpsk3 handshake with identity binding (see the type's remarks and docs/adr/0004-secure-channel.md).</content>
public sealed partial class SecureChannel
{
    // Handshake frames are tiny; bound them tightly so an unauthenticated peer cannot make us wait for or buffer 64 KiB.
    private const int HandshakeBufferSize = NoiseFraming.HeaderSize + (2 * NoiseConstants.DhLength) + (3 * NoiseConstants.TagSize) + NoiseHandshakePayload.MaxEncodedSize;

    private static readonly byte[] Prologue = Encoding.UTF8.GetBytes(PrologueText);

    private static async Task<SecureChannel> EstablishAsync(Stream stream, SecureChannelOptions options, bool initiator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var role = initiator ? "initiator" : "responder";

        using var timeout = options.HandshakeTimeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(options.HandshakeTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        // Cancellation tokens stop NetworkStream/SslStream I/O; disposing the stream also unblocks streams that ignore them.
        var registration = linked.Token.Register(static s => ((Stream)s!).Dispose(), stream);
        (NoiseTransport Transport, NoiseHandshakePayload Remote)? result = null;
        try
        {
            result = initiator
                ? await RunInitiatorAsync(stream, options, linked.Token).ConfigureAwait(false)
                : await RunResponderAsync(stream, options, linked.Token).ConfigureAwait(false);
            await registration.DisposeAsync().ConfigureAwait(false);

            // The callback may have closed the stream just after the last read; then the channel is unusable.
            linked.Token.ThrowIfCancellationRequested();
            return new SecureChannel(stream, result.Value.Transport, result.Value.Remote, initiator);
        }
        catch (Exception ex)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            result?.Transport.Dispose();
            await DisposeQuietlyAsync(stream).ConfigureAwait(false);

            if (cancellationToken.IsCancellationRequested)
            {
                if (ex is OperationCanceledException)
                {
                    throw;
                }

                throw new OperationCanceledException($"The Noise handshake ({role}) was cancelled.", ex, cancellationToken);
            }

            if (timeout.IsCancellationRequested)
            {
                throw new MeshTransportException(
                    MeshTransportError.HandshakeTimeout,
                    $"The Noise handshake ({role}) did not complete within {options.HandshakeTimeout.TotalMilliseconds:0} ms.",
                    ex);
            }

            ExceptionDispatchInfo.Capture(ex).Throw();
            throw; // unreachable
        }
    }

    private static async Task<(NoiseTransport, NoiseHandshakePayload)> RunInitiatorAsync(Stream stream, SecureChannelOptions options, CancellationToken cancellationToken)
    {
        using var handshake = CreateHandshake(options, initiator: true);
        var buffer = new byte[HandshakeBufferSize];
        try
        {
            // -> e   (empty payload: nothing identifying before the PSK is proven)
            var length = FrameHandshakeMessage(handshake, [], buffer);
            await NoiseFraming.WriteAsync(stream, buffer.AsMemory(0, length), "handshake message 1", cancellationToken).ConfigureAwait(false);

            // <- e, ee, s, es   (must carry an empty payload)
            var expected = EmptyReadLength(handshake);
            length = await NoiseFraming.ReadFrameAsync(stream, buffer, expected, expected, "handshake message 2", cancellationToken).ConfigureAwait(false);
            ReadHandshakeMessage(handshake, buffer.AsSpan(0, length), [], "handshake message 2");

            // -> s, se, psk   + our identity payload, encrypted under a key that depends on the PSK
            var identity = NoiseHandshakePayload.Create(options.Identity, handshake.LocalStaticPublicKey).Encode();
            length = FrameHandshakeMessage(handshake, identity, buffer);
            await NoiseFraming.WriteAsync(stream, buffer.AsMemory(0, length), "handshake message 3", cancellationToken).ConfigureAwait(false);

            var remoteStatic = handshake.RemoteStaticPublicKey.ToArray();
            var transport = handshake.Split();
            try
            {
                // First transport message: the responder's identity payload.
                length = await NoiseFraming.ReadFrameAsync(
                    stream, buffer, NoiseConstants.TagSize + 1, NoiseConstants.TagSize + NoiseHandshakePayload.MaxEncodedSize, "the responder's identity message", cancellationToken).ConfigureAwait(false);
                var remote = DecryptIdentity(transport, buffer.AsSpan(0, length), remoteStatic);
                return (transport, remote);
            }
            catch
            {
                transport.Dispose();
                throw;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static async Task<(NoiseTransport, NoiseHandshakePayload)> RunResponderAsync(Stream stream, SecureChannelOptions options, CancellationToken cancellationToken)
    {
        using var handshake = CreateHandshake(options, initiator: false);
        var buffer = new byte[HandshakeBufferSize];
        try
        {
            // <- e   (must carry an empty payload)
            var expected = EmptyReadLength(handshake);
            var length = await NoiseFraming.ReadFrameAsync(stream, buffer, expected, expected, "handshake message 1", cancellationToken).ConfigureAwait(false);
            ReadHandshakeMessage(handshake, buffer.AsSpan(0, length), [], "handshake message 1");

            // -> e, ee, s, es   (empty payload: our identity stays hidden until the initiator proves the PSK)
            length = FrameHandshakeMessage(handshake, [], buffer);
            await NoiseFraming.WriteAsync(stream, buffer.AsMemory(0, length), "handshake message 2", cancellationToken).ConfigureAwait(false);

            // <- s, se, psk   + the initiator's identity payload
            var minimum = EmptyReadLength(handshake) + 1;
            length = await NoiseFraming.ReadFrameAsync(
                stream, buffer, minimum, minimum - 1 + NoiseHandshakePayload.MaxEncodedSize, "handshake message 3", cancellationToken).ConfigureAwait(false);
            var payload = new byte[NoiseHandshakePayload.MaxEncodedSize];
            var payloadLength = ReadHandshakeMessage(handshake, buffer.AsSpan(0, length), payload, "handshake message 3");
            var remote = VerifyIdentity(payload.AsSpan(0, payloadLength), handshake.RemoteStaticPublicKey, "initiator");

            var ours = NoiseHandshakePayload.Create(options.Identity, handshake.LocalStaticPublicKey).Encode();
            var transport = handshake.Split();
            try
            {
                length = transport.WriteMessage(ours, buffer.AsSpan(NoiseFraming.HeaderSize));
                NoiseFraming.WriteHeader(buffer, length);
                await NoiseFraming.WriteAsync(stream, buffer.AsMemory(0, NoiseFraming.HeaderSize + length), "our identity message", cancellationToken).ConfigureAwait(false);
                return (transport, remote);
            }
            catch
            {
                transport.Dispose();
                throw;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static HandshakeState CreateHandshake(SecureChannelOptions options, bool initiator)
    {
        // A fresh static key per channel, never stored (libp2p noise spec: SHOULD NOT be persisted); zeroed once copied.
        var staticKey = RandomNumberGenerator.GetBytes(NoiseConstants.DhLength);
        try
        {
            return new HandshakeState(new HandshakeParameters
            {
                ProtocolName = ProtocolName,
                Initiator = initiator,
                Prologue = Prologue,
                LocalStaticPrivateKey = staticKey,
                PreSharedKeys = [options.PreSharedKey],
            });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(staticKey);
        }
    }

    private static int EmptyReadLength(HandshakeState handshake) =>
        NoiseConstants.MaxMessageSize - handshake.GetReadPayloadLength(NoiseConstants.MaxMessageSize);

    private static int FrameHandshakeMessage(HandshakeState handshake, ReadOnlySpan<byte> payload, byte[] buffer)
    {
        int length;
        try
        {
            length = handshake.WriteMessage(payload, buffer.AsSpan(NoiseFraming.HeaderSize));
        }
        catch (NoiseException ex)
        {
            throw Classify(ex, "writing a handshake message");
        }

        NoiseFraming.WriteHeader(buffer, length);
        return NoiseFraming.HeaderSize + length;
    }

    private static int ReadHandshakeMessage(HandshakeState handshake, ReadOnlySpan<byte> message, Span<byte> payload, string what)
    {
        try
        {
            return handshake.ReadMessage(message, payload);
        }
        catch (NoiseException ex)
        {
            throw Classify(ex, what);
        }
        catch (ArgumentException ex)
        {
            // Only reachable when a payload arrives where none is allowed (the frame length was checked already).
            throw new MeshTransportException(MeshTransportError.ProtocolViolation, $"The peer put an unexpected payload in {what}.", ex);
        }
    }

    private static NoiseHandshakePayload DecryptIdentity(NoiseTransport transport, ReadOnlySpan<byte> message, ReadOnlySpan<byte> remoteStatic)
    {
        Span<byte> payload = stackalloc byte[NoiseHandshakePayload.MaxEncodedSize];
        int length;
        try
        {
            length = transport.ReadMessage(message, payload);
        }
        catch (NoiseException ex)
        {
            throw Classify(ex, "the responder's identity message");
        }

        return VerifyIdentity(payload[..length], remoteStatic, "responder");
    }

    private static NoiseHandshakePayload VerifyIdentity(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> remoteStatic, string who)
    {
        NoiseHandshakePayload payload;
        try
        {
            payload = NoiseHandshakePayload.Decode(encoded);
        }
        catch (FormatException ex)
        {
            throw new MeshTransportException(MeshTransportError.ProtocolViolation, $"The {who}'s identity payload is malformed: {ex.Message}", ex);
        }

        if (!payload.VerifySignature(remoteStatic))
        {
            throw new MeshTransportException(
                MeshTransportError.AuthenticationFailed,
                $"The {who}'s identity signature (device {payload.DeviceId}) does not cover its Noise static key.");
        }

        return payload;
    }

    private static MeshTransportException Classify(NoiseException ex, string what) => ex.Error switch
    {
        NoiseError.DecryptionFailed => new MeshTransportException(
            MeshTransportError.AuthenticationFailed,
            $"{Capitalize(what)} failed authentication: the peer uses a different pre-shared key (formation secret) or protocol version, or the data was altered.",
            ex),
        NoiseError.InvalidPublicKey => new MeshTransportException(MeshTransportError.HandshakeFailed, $"{Capitalize(what)} carried an invalid (low-order) public key.", ex),
        _ => new MeshTransportException(MeshTransportError.ProtocolViolation, $"{Capitalize(what)} is malformed: {ex.Message}", ex),
    };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static async ValueTask DisposeQuietlyAsync(Stream stream)
    {
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The connection is being abandoned; a failure to close it changes nothing.
        }
    }
}
