using System.Net;

namespace PeatMesh.Transport;

/// <summary>
/// Produces authenticated <see cref="IMessageChannel"/>s: accepts them from peers and dials them.
/// Implementations: <see cref="Tcp.TcpMeshTransport"/> (TCP + Noise) and
/// <see cref="InMemory.InMemoryMeshTransport"/> (unit tests).
/// </summary>
/// <remarks>Implementations are thread-safe; <see cref="StartAsync"/> is called once.</remarks>
public interface IMeshTransport : IAsyncDisposable
{
    /// <summary>Where the transport accepts connections, once started.</summary>
    EndPoint? LocalEndPoint { get; }

    /// <summary>Starts accepting. Each authenticated inbound channel is handed to <paramref name="onInbound"/> with the peer's address.</summary>
    /// <exception cref="MeshTransportException">The listen address could not be bound.</exception>
    Task StartAsync(Func<IMessageChannel, EndPoint?, Task> onInbound, CancellationToken cancellationToken = default);

    /// <summary>Dials <paramref name="address"/> and authenticates.</summary>
    /// <returns>The channel and the peer's socket address.</returns>
    /// <exception cref="MeshTransportException">Connect, handshake or authentication failed.</exception>
    Task<(IMessageChannel Channel, EndPoint? RemoteEndPoint)> DialAsync(PeerAddress address, CancellationToken cancellationToken = default);
}
