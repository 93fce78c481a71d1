namespace PeatMesh.Transport;

/// <summary>Classifies a <see cref="MeshTransportException"/>.</summary>
public enum MeshTransportError
{
    /// <summary>Not otherwise classified.</summary>
    Unknown = 0,

    /// <summary>The peer closed the connection cleanly between two messages (EOF on a frame boundary).</summary>
    ConnectionClosed = 1,

    /// <summary>The underlying stream failed (connection reset, I/O error, stream disposed); the inner exception has the cause.</summary>
    ConnectionAborted = 2,

    /// <summary>The handshake did not complete within the configured timeout.</summary>
    HandshakeTimeout = 3,

    /// <summary>The handshake failed for a reason other than authentication or framing (e.g. a low-order public key).</summary>
    HandshakeFailed = 4,

    /// <summary>
    /// The peer could not be authenticated: a handshake message failed its AEAD check (usually a different
    /// formation secret / PSK) or the identity signature did not verify.
    /// </summary>
    AuthenticationFailed = 5,

    /// <summary>
    /// The peer broke the wire protocol: bad frame length (zero, too short, larger than the phase allows), EOF inside a
    /// frame (truncated), a payload where none is allowed, or a malformed identity payload.
    /// </summary>
    ProtocolViolation = 6,

    /// <summary>
    /// A message handed to the channel to send exceeds the maximum plaintext size, or a message a peer
    /// assembled on a multiplexed stream exceeds its limit.
    /// </summary>
    MessageTooLarge = 7,

    /// <summary>A transport message failed authentication (tampered, replayed, reordered or forged).</summary>
    DecryptionFailed = 8,

    /// <summary>The peer does not speak the requested multiplexed protocol.</summary>
    ProtocolNotSupported = 9,

    /// <summary>The peer stopped answering heartbeats.</summary>
    HeartbeatTimeout = 10,
}
