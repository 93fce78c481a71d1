namespace PeatMesh.Transport;

/// <summary>Why a mesh connection or channel operation failed.</summary>
public enum MeshTransportError
{
    /// <summary>An unclassified failure (see the inner exception).</summary>
    Unknown = 0,

    /// <summary>The peer closed the connection cleanly, or it was closed locally.</summary>
    ConnectionClosed,

    /// <summary>The handshake did not complete within its timeout.</summary>
    HandshakeTimeout,

    /// <summary>The handshake failed (malformed handshake message, DH failure).</summary>
    HandshakeFailed,

    /// <summary>The peer could not prove membership (wrong formation secret) or its identity signature was invalid.</summary>
    AuthenticationFailed,

    /// <summary>The peer violated the framing or multiplexing protocol (garbage, truncated frame, unknown frame kind).</summary>
    ProtocolViolation,

    /// <summary>A declared or assembled message exceeded its limit.</summary>
    MessageTooLarge,

    /// <summary>A transport message failed authentication (tampered, replayed or out of order).</summary>
    DecryptionFailed,

    /// <summary>The peer does not support the requested protocol.</summary>
    ProtocolNotSupported,

    /// <summary>The peer stopped answering heartbeats.</summary>
    HeartbeatTimeout,
}
