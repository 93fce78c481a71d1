using System.Buffers;
using PeatMesh.Transport;

namespace PeatMesh.Security.Noise;

/// <summary>
/// A mutually authenticated, encrypted message channel over a <see cref="Stream"/> (usually a TCP
/// <c>NetworkStream</c>): <c>Noise_XXpsk3_25519_ChaChaPoly_SHA256</c> (Noise rev 34) with prologue
/// <c>"peat-mesh/1"</c>, a per-channel random X25519 static key, the formation PSK, and each side's Ed25519
/// identity bound to its Noise static key by a libp2p-style signature (<see cref="NoiseHandshakePayload"/>).
/// Every Noise message is framed as <c>[len:u16 BE][message]</c>. See docs/adr/0004-secure-channel.md.
/// </summary>
/// <remarks>
/// <para>Handshake (wrong-PSK peers learn no identity): <c>-&gt; e</c> (empty payload);
/// <c>&lt;- e, ee, s, es</c> (empty payload); <c>-&gt; s, se, psk</c> + the initiator's identity payload; the responder
/// verifies it, then sends its own identity payload as the first transport message, which the initiator verifies
/// before <see cref="ConnectAsync"/> returns.</para>
/// <para>Thread-safety: <see cref="SendAsync"/> may be called from many threads at once (calls are serialized, each
/// message is written whole). <see cref="ReceiveAsync"/> allows one caller at a time (a concurrent call throws
/// <see cref="InvalidOperationException"/>); sending and receiving may overlap. <see cref="DisposeAsync"/> is
/// idempotent and may race with both.</para>
/// <para>Failure model: a failed or cancelled send faults the send side, a failed or cancelled receive faults the
/// receive side (the stream can no longer be resynchronized); later calls on that side rethrow the original
/// classification. The channel owns the stream and disposes it in <see cref="DisposeAsync"/>.</para>
/// </remarks>
public sealed partial class SecureChannel : IAsyncDisposable
{
    /// <summary>The Noise protocol name used by every channel.</summary>
    public const string ProtocolName = "Noise_XXpsk3_25519_ChaChaPoly_SHA256";

    /// <summary>The prologue text (UTF-8) mixed into the handshake; bump it to version the channel protocol.</summary>
    public const string PrologueText = "peat-mesh/1";

    /// <summary>The largest plaintext a single <see cref="SendAsync"/> accepts, in bytes (65,535 − 16-byte tag).</summary>
    public const int MaxPlaintextSize = NoiseConstants.MaxPlaintextSize;

    private readonly Stream _stream;
    private readonly NoiseTransport _transport;
    private readonly byte[] _remoteIdentityKey;
    private readonly byte[] _handshakeHash;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _receiveLock = new(1, 1);
    private MeshTransportException? _sendFault;
    private MeshTransportException? _receiveFault;
    private int _disposed;

    private SecureChannel(Stream stream, NoiseTransport transport, NoiseHandshakePayload remote, bool isInitiator)
    {
        _stream = stream;
        _transport = transport;
        _remoteIdentityKey = remote.IdentityKey.ToArray();
        _handshakeHash = transport.HandshakeHash.ToArray();
        RemoteDeviceId = remote.DeviceId;
        IsInitiator = isInitiator;
    }

    /// <summary><see langword="true"/> when this side dialled (<see cref="ConnectAsync"/>).</summary>
    public bool IsInitiator { get; }

    /// <summary>The peer's verified 32-byte Ed25519 identity public key.</summary>
    public ReadOnlyMemory<byte> RemoteIdentityKey => _remoteIdentityKey;

    /// <summary>The peer's device id (first 16 bytes of SHA-256 of <see cref="RemoteIdentityKey"/>).</summary>
    public DeviceId RemoteDeviceId { get; }

    /// <summary>The final Noise handshake hash (32 bytes), equal on both sides; usable for channel binding (rev 34 §11.2).</summary>
    public ReadOnlyMemory<byte> HandshakeHash => _handshakeHash;

    /// <summary>
    /// Dials: runs the handshake as initiator over <paramref name="stream"/> and returns once the responder's identity
    /// is verified. Ownership of the stream passes to the call: on failure the stream is disposed, on success the
    /// returned channel owns it.
    /// </summary>
    /// <param name="stream">A connected, readable and writable stream.</param>
    /// <param name="options">Identity, PSK and timeout; validated first.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The established channel.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (the stream is not touched).</exception>
    /// <exception cref="MeshTransportException">
    /// The handshake failed: <see cref="MeshTransportError.HandshakeTimeout"/>,
    /// <see cref="MeshTransportError.AuthenticationFailed"/>, <see cref="MeshTransportError.ProtocolViolation"/>,
    /// <see cref="MeshTransportError.ConnectionClosed"/> (e.g. the responder rejected our PSK and hung up),
    /// <see cref="MeshTransportError.ConnectionAborted"/> or <see cref="MeshTransportError.HandshakeFailed"/>.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<SecureChannel> ConnectAsync(Stream stream, SecureChannelOptions options, CancellationToken cancellationToken = default) =>
        EstablishAsync(stream, options, initiator: true, cancellationToken);

    /// <summary>
    /// Accepts: runs the handshake as responder over <paramref name="stream"/>; returns after verifying the
    /// initiator's identity and sending ours. Ownership of the stream passes to the call as in <see cref="ConnectAsync"/>.
    /// </summary>
    /// <param name="stream">A connected, readable and writable stream.</param>
    /// <param name="options">Identity, PSK and timeout; validated first.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The established channel.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (the stream is not touched).</exception>
    /// <exception cref="MeshTransportException">
    /// The handshake failed; a peer with a different PSK yields <see cref="MeshTransportError.AuthenticationFailed"/>.
    /// See <see cref="ConnectAsync"/> for the other classes.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<SecureChannel> AcceptAsync(Stream stream, SecureChannelOptions options, CancellationToken cancellationToken = default) =>
        EstablishAsync(stream, options, initiator: false, cancellationToken);

    /// <summary>Encrypts and sends <paramref name="plaintext"/> as one Noise transport message. Safe to call concurrently.</summary>
    /// <param name="plaintext">0 to <see cref="MaxPlaintextSize"/> bytes; the receiver gets exactly these bytes in one <see cref="ReceiveAsync"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for earlier sends or the write; a cancelled write faults the send side.</param>
    /// <exception cref="MeshTransportException">
    /// <see cref="MeshTransportError.MessageTooLarge"/> (nothing sent, channel still usable), or the send side is faulted
    /// (<see cref="MeshTransportError.ConnectionAborted"/> and the class of the earlier failure).
    /// </exception>
    /// <exception cref="ObjectDisposedException">The channel was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        if (plaintext.Length > MaxPlaintextSize)
        {
            throw new MeshTransportException(
                MeshTransportError.MessageTooLarge,
                $"A secure channel message is at most {MaxPlaintextSize} bytes, got {plaintext.Length}.");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var frame = ArrayPool<byte>.Shared.Rent(NoiseFraming.HeaderSize + plaintext.Length + NoiseConstants.TagSize);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            ThrowIfFaulted(_sendFault, "send");
            cancellationToken.ThrowIfCancellationRequested();
            var length = EncryptFrame(plaintext.Span, frame);
            try
            {
                await NoiseFraming.WriteAsync(_stream, frame.AsMemory(0, length), "a transport message", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MeshTransportException or OperationCanceledException)
            {
                _sendFault = Volatile.Read(ref _disposed) != 0
                    ? new MeshTransportException(MeshTransportError.ConnectionAborted, "The channel was disposed during a send.", ex)
                    : ex as MeshTransportException
                        ?? new MeshTransportException(MeshTransportError.ConnectionAborted, "A send was cancelled mid-message; the send side is unusable.", ex);
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
            _sendLock.Release();
        }
    }

    /// <summary>Receives and decrypts one transport message into <paramref name="destination"/>. One caller at a time.</summary>
    /// <param name="destination">At least <see cref="MaxPlaintextSize"/> bytes.</param>
    /// <param name="cancellationToken">Cancels the receive; cancellation faults the receive side.</param>
    /// <returns>The message length (0 for an empty message).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="MaxPlaintextSize"/>.</exception>
    /// <exception cref="InvalidOperationException">Another <see cref="ReceiveAsync"/> is in progress.</exception>
    /// <exception cref="MeshTransportException">
    /// <see cref="MeshTransportError.ConnectionClosed"/> (clean EOF between messages),
    /// <see cref="MeshTransportError.ProtocolViolation"/> (EOF inside a message, frame shorter than the 16-byte tag),
    /// <see cref="MeshTransportError.DecryptionFailed"/> (tampered, replayed or forged message),
    /// <see cref="MeshTransportError.ConnectionAborted"/> (stream failure). Each faults the receive side.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The channel was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length < MaxPlaintextSize)
        {
            throw new ArgumentException($"The destination must hold {MaxPlaintextSize} bytes, got {destination.Length}.", nameof(destination));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_receiveLock.Wait(0, CancellationToken.None))
        {
            throw new InvalidOperationException("SecureChannel.ReceiveAsync supports a single reader; another receive is in progress.");
        }

        var frame = ArrayPool<byte>.Shared.Rent(NoiseConstants.MaxMessageSize);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            ThrowIfFaulted(_receiveFault, "receive");
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var length = await NoiseFraming.ReadFrameAsync(
                    _stream, frame, NoiseConstants.TagSize, NoiseConstants.MaxMessageSize, "a transport message", cancellationToken).ConfigureAwait(false);
                return DecryptFrame(frame.AsSpan(0, length), destination.Span);
            }
            catch (Exception ex) when (ex is MeshTransportException or OperationCanceledException)
            {
                _receiveFault = Volatile.Read(ref _disposed) != 0
                    ? new MeshTransportException(MeshTransportError.ConnectionAborted, "The channel was disposed during a receive.", ex)
                    : ex as MeshTransportException
                        ?? new MeshTransportException(MeshTransportError.ConnectionAborted, "A receive was cancelled; the receive side is unusable.", ex);
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
            _receiveLock.Release();
        }
    }

    /// <summary>
    /// Closes the stream (aborting pending sends and receives), waits for them to finish, then zeroes the transport
    /// keys. Idempotent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Closing an already broken connection; nothing left to release.
        }

        await _sendLock.WaitAsync().ConfigureAwait(false);
        await _receiveLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _transport.Dispose();
        }
        finally
        {
            _receiveLock.Release();
            _sendLock.Release();
        }
    }

    /// <summary>Describes the channel (role and peer device id); never keys.</summary>
    public override string ToString() => $"SecureChannel({(IsInitiator ? "initiator" : "responder")}, remote={RemoteDeviceId})";

    private static void ThrowIfFaulted(MeshTransportException? fault, string side)
    {
        if (fault is not null)
        {
            throw new MeshTransportException(fault.Error, $"The channel's {side} side failed earlier: {fault.Message}", fault);
        }
    }

    private int EncryptFrame(ReadOnlySpan<byte> plaintext, byte[] frame)
    {
        try
        {
            var length = _transport.WriteMessage(plaintext, frame.AsSpan(NoiseFraming.HeaderSize));
            NoiseFraming.WriteHeader(frame, length);
            return NoiseFraming.HeaderSize + length;
        }
        catch (NoiseException ex)
        {
            _sendFault = new MeshTransportException(MeshTransportError.ProtocolViolation, "The send nonce space is exhausted; reconnect.", ex);
            throw _sendFault;
        }
    }

    private int DecryptFrame(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        try
        {
            if (!_transport.ReceiveCipher.TryDecryptWithAd(ReadOnlySpan<byte>.Empty, message, destination, out var written))
            {
                throw new MeshTransportException(
                    MeshTransportError.DecryptionFailed,
                    $"Transport message {_transport.ReceiveCipher.Nonce} failed authentication (tampered, replayed or forged).");
            }

            return written;
        }
        catch (NoiseException ex)
        {
            throw new MeshTransportException(MeshTransportError.ProtocolViolation, "The receive nonce space is exhausted; reconnect.", ex);
        }
    }
}
