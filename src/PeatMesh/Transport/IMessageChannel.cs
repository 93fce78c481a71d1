namespace PeatMesh.Transport;

/// <summary>
/// A reliable, ordered, message-oriented, authenticated channel to one peer: the layer under
/// <see cref="MeshConnection"/>. The TCP implementation is a Noise <c>SecureChannel</c>; tests use
/// <see cref="InMemory.InMemoryMessageChannel"/>.
/// </summary>
/// <remarks>
/// <see cref="SendAsync"/> may be called by one writer at a time; <see cref="ReceiveAsync"/> by one
/// reader at a time; the two may run concurrently.
/// </remarks>
public interface IMessageChannel : IAsyncDisposable
{
    /// <summary>Largest message <see cref="SendAsync"/> accepts and <see cref="ReceiveAsync"/> returns, in bytes.</summary>
    int MaxMessageSize { get; }

    /// <summary>The peer's Ed25519 identity public key (32 bytes), authenticated by the channel.</summary>
    ReadOnlyMemory<byte> RemoteIdentityKey { get; }

    /// <summary>Sends one message of at most <see cref="MaxMessageSize"/> bytes.</summary>
    /// <exception cref="MeshTransportException">The channel failed or was closed.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>Receives one message into <paramref name="destination"/> (at least <see cref="MaxMessageSize"/> bytes).</summary>
    /// <returns>The message length.</returns>
    /// <exception cref="MeshTransportException">The channel failed, or was closed by the peer (<see cref="MeshTransportError.ConnectionClosed"/>).</exception>
    ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken = default);
}
