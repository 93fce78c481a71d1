using PeatMesh.Security.Noise;

namespace PeatMesh.Transport.Tcp;

/// <summary>Adapts a Noise <see cref="SecureChannel"/> to <see cref="IMessageChannel"/> (one Noise transport message per message).</summary>
/// <remarks>Thread-safety as <see cref="SecureChannel"/>: concurrent sends are serialized; one reader.</remarks>
internal sealed class SecureMessageChannel(SecureChannel channel) : IMessageChannel
{
    public int MaxMessageSize => SecureChannel.MaxPlaintextSize;

    public ReadOnlyMemory<byte> RemoteIdentityKey => channel.RemoteIdentityKey;

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        channel.SendAsync(message, cancellationToken);

    public ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
        channel.ReceiveAsync(destination, cancellationToken);

    public ValueTask DisposeAsync() => channel.DisposeAsync();
}
