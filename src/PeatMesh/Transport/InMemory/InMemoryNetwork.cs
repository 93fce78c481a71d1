using System.Collections.Concurrent;

namespace PeatMesh.Transport.InMemory;

/// <summary>
/// A process-local "network" of <see cref="InMemoryMeshTransport"/>s addressed by <c>host:port</c>.
/// A dial between transports of different formations fails like a wrong formation secret would.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryNetwork
{
    private readonly ConcurrentDictionary<PeerAddress, InMemoryMeshTransport> _listeners = new();
    private int _nextPort = 20000;

    internal PeerAddress Register(InMemoryMeshTransport transport)
    {
        var address = new PeerAddress("inmemory", Interlocked.Increment(ref _nextPort));
        _listeners[address] = transport;
        return address;
    }

    internal void Unregister(PeerAddress address) => _listeners.TryRemove(address, out _);

    internal InMemoryMeshTransport? Find(PeerAddress address) => _listeners.GetValueOrDefault(address);
}
