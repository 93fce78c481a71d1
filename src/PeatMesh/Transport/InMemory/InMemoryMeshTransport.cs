using System.Net;

namespace PeatMesh.Transport.InMemory;

/// <summary>
/// An <see cref="IMeshTransport"/> over an <see cref="InMemoryNetwork"/>, for fast unit tests of the
/// peer manager and sync without sockets. Channels carry the dialler's and listener's identity keys;
/// formations are modelled by a string that must match.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryMeshTransport : IMeshTransport
{
    private readonly InMemoryNetwork _network;
    private readonly byte[] _identityKey;
    private readonly string _formation;
    private Func<IMessageChannel, EndPoint?, Task>? _onInbound;
    private PeerAddress? _address;

    /// <summary>Creates a transport for a node with identity <paramref name="identityKey"/> in <paramref name="formation"/>.</summary>
    public InMemoryMeshTransport(InMemoryNetwork network, ReadOnlyMemory<byte> identityKey, string formation)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _identityKey = identityKey.ToArray();
        _formation = formation;
    }

    /// <summary>This transport's address once started.</summary>
    public PeerAddress? Address => _address;

    /// <inheritdoc />
    public EndPoint? LocalEndPoint => _address is null ? null : new DnsEndPoint(_address.Host, _address.Port);

    /// <inheritdoc />
    public Task StartAsync(Func<IMessageChannel, EndPoint?, Task> onInbound, CancellationToken cancellationToken = default)
    {
        _onInbound = onInbound;
        _address = _network.Register(this);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<(IMessageChannel Channel, EndPoint? RemoteEndPoint)> DialAsync(PeerAddress address, CancellationToken cancellationToken = default)
    {
        var target = _network.Find(address) ?? throw new MeshTransportException(MeshTransportError.ConnectionClosed, $"Nothing listens on {address}.");
        if (!string.Equals(target._formation, _formation, StringComparison.Ordinal))
        {
            throw new MeshTransportException(MeshTransportError.AuthenticationFailed, "The peer is in another formation.");
        }

        var (ours, theirs) = InMemoryMessageChannel.CreatePair(_identityKey, target._identityKey);
        var from = _address is null ? null : new DnsEndPoint(_address.Host, _address.Port);
        _ = Task.Run(() => target._onInbound!(theirs, from), CancellationToken.None);
        return Task.FromResult<(IMessageChannel, EndPoint?)>((ours, new DnsEndPoint(address.Host, address.Port)));
    }

    /// <summary>Stops accepting. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (_address is not null)
        {
            _network.Unregister(_address);
        }

        return ValueTask.CompletedTask;
    }
}
