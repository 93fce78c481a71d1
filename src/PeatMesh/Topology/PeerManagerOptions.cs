using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>Options of the <see cref="MeshPeerManager"/>.</summary>
/// <remarks>Set before start; not thread-safe to mutate afterwards.</remarks>
public sealed class PeerManagerOptions
{
    /// <summary>How long one dial (connect + handshake + hello) may take. Defaults to 10 seconds.</summary>
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Backoff between failed dials of one address. Defaults to <see cref="ReconnectionPolicy.Default"/>.</summary>
    public ReconnectionPolicy Reconnection { get; set; } = ReconnectionPolicy.Default;

    /// <summary>Options applied to every connection.</summary>
    public MeshConnectionOptions Connection { get; set; } = new();

    /// <summary>Seed for backoff jitter; <see langword="null"/> (default) seeds from the OS.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DialTimeout, TimeSpan.Zero, nameof(DialTimeout));
        Reconnection.Validate();
        Connection.Validate();
    }
}
