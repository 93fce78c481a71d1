using System.Threading.Channels;
using PeatMesh.Diagnostics;

namespace PeatMesh.Transport;

/// <summary>
/// One protocol's view of a <see cref="MeshConnection"/>: a bounded, ordered stream of whole
/// messages in each direction.
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="SendAsync"/> may be called concurrently (messages from one caller keep
/// their order); <see cref="Incoming"/> is meant for one consumer.
/// </remarks>
public sealed class MeshProtocolChannel
{
    private readonly MeshConnection _connection;
    private readonly Channel<byte[]> _outbound;
    private readonly Channel<byte[]> _inbound;
    private readonly MeshMetrics? _metrics;
    private readonly KeyValuePair<string, object?>[] _inTags;
    private readonly KeyValuePair<string, object?>[] _outTags;

    internal MeshProtocolChannel(MeshConnection connection, string name, int streamId, int capacity, MeshMetrics? metrics)
    {
        _connection = connection;
        _metrics = metrics;
        _inTags = MeshMetrics.ProtocolTags("in", name);
        _outTags = MeshMetrics.ProtocolTags("out", name);
        Name = name;
        StreamId = streamId;
        _outbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _inbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
    }

    /// <summary>The protocol name (e.g. <c>cap/automerge/1</c>).</summary>
    public string Name { get; }

    /// <summary>The connection this channel belongs to.</summary>
    public MeshConnection Connection => _connection;

    /// <summary>Messages received from the peer, in order. Completes when the connection closes.</summary>
    public ChannelReader<byte[]> Incoming => _inbound.Reader;

    internal int StreamId { get; }

    internal ChannelReader<byte[]> OutboundReader => _outbound.Reader;

    /// <summary>
    /// Queues one message for the peer (copied; fragmented on the wire if larger than a channel message).
    /// Completes when the message is queued; waits while <see cref="MeshConnectionOptions.ProtocolQueueCapacity"/>
    /// messages are already queued.
    /// </summary>
    /// <param name="message">The message, at most <see cref="MeshConnectionOptions.MaxMessageSize"/> bytes.</param>
    /// <param name="cancellationToken">Cancels the wait for queue space.</param>
    /// <exception cref="MeshTransportException">Too large (<see cref="MeshTransportError.MessageTooLarge"/>), or the connection is closed.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        _connection.CheckSendable(message.Length);
        try
        {
            await _outbound.Writer.WriteAsync(message.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw _connection.ClosedException(e);
        }

        _metrics?.Message(_outTags, message.Length);
        _connection.SignalWriter();
    }

    /// <summary>Hands a complete message from the peer to <see cref="Incoming"/> (waiting while the queue is full).</summary>
    internal ValueTask DeliverAsync(byte[] message, CancellationToken cancellationToken)
    {
        _metrics?.Message(_inTags, message.Length);
        return _inbound.Writer.WriteAsync(message, cancellationToken);
    }

    internal void Complete()
    {
        _outbound.Writer.TryComplete();
        _inbound.Writer.TryComplete();
    }
}
