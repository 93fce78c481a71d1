using System.Threading.Channels;

namespace PeatMesh.Transport.InMemory;

/// <summary>
/// An in-process <see cref="IMessageChannel"/> pair for fast unit tests: what one end sends, the other
/// receives, in order. No encryption; the "remote identity" is whatever the test supplies.
/// </summary>
/// <remarks>
/// Thread-safe under the <see cref="IMessageChannel"/> contract (one sender and one receiver at a
/// time). Each direction buffers up to <c>capacity</c> messages; a full buffer makes the sender wait.
/// </remarks>
public sealed class InMemoryMessageChannel : IMessageChannel
{
    private readonly Channel<byte[]> _inbound;
    private readonly Channel<byte[]> _outbound;
    private readonly byte[] _remoteIdentity;
    private int _disposed;

    private InMemoryMessageChannel(Channel<byte[]> inbound, Channel<byte[]> outbound, byte[] remoteIdentity, int maxMessageSize)
    {
        _inbound = inbound;
        _outbound = outbound;
        _remoteIdentity = remoteIdentity;
        MaxMessageSize = maxMessageSize;
    }

    /// <inheritdoc />
    public int MaxMessageSize { get; }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> RemoteIdentityKey => _remoteIdentity;

    /// <summary>Creates a connected pair. <paramref name="identityA"/> is what B sees as its remote identity, and vice versa.</summary>
    /// <param name="identityA">Identity key of end A (32 bytes by convention).</param>
    /// <param name="identityB">Identity key of end B.</param>
    /// <param name="maxMessageSize">Message size limit in bytes; defaults to 65,519 (Noise's transport plaintext limit).</param>
    /// <param name="capacity">Messages buffered per direction before the sender waits; defaults to 64.</param>
    public static (InMemoryMessageChannel A, InMemoryMessageChannel B) CreatePair(
        ReadOnlyMemory<byte> identityA, ReadOnlyMemory<byte> identityB, int maxMessageSize = 65519, int capacity = 64)
    {
        var options = new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true };
        var aToB = Channel.CreateBounded<byte[]>(options);
        var bToA = Channel.CreateBounded<byte[]>(options);
        return (new InMemoryMessageChannel(bToA, aToB, identityB.ToArray(), maxMessageSize),
                new InMemoryMessageChannel(aToB, bToA, identityA.ToArray(), maxMessageSize));
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        if (message.Length > MaxMessageSize)
        {
            throw new MeshTransportException(MeshTransportError.MessageTooLarge, $"Message of {message.Length} bytes exceeds {MaxMessageSize}.");
        }

        try
        {
            await _outbound.Writer.WriteAsync(message.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new MeshTransportException(MeshTransportError.ConnectionClosed, "The in-memory channel is closed.", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        try
        {
            var message = await _inbound.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            message.CopyTo(destination);
            return message.Length;
        }
        catch (ChannelClosedException e)
        {
            throw new MeshTransportException(MeshTransportError.ConnectionClosed, "The in-memory channel is closed.", e);
        }
    }

    /// <summary>Closes both directions; the peer's pending receive fails with ConnectionClosed. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _outbound.Writer.TryComplete();
            _inbound.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }
}
