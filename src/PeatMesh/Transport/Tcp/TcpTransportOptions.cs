using System.Net;

namespace PeatMesh.Transport.Tcp;

/// <summary>Options of the TCP mesh transport.</summary>
/// <remarks>Set before start; not thread-safe to mutate afterwards.</remarks>
public sealed class TcpTransportOptions
{
    /// <summary>Address to listen on. Defaults to <see cref="IPAddress.Any"/> (all IPv4 interfaces).</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Any;

    /// <summary>TCP port to listen on. Defaults to 11204 (the reference's mesh port); 0 picks a free port.</summary>
    public int Port { get; set; } = 11204;

    /// <summary>
    /// Inbound handshakes allowed in flight at once; further connections wait in the listen backlog.
    /// Defaults to 64. Bounds the work an unauthenticated flood can cause.
    /// </summary>
    public int MaxPendingHandshakes { get; set; } = 64;

    /// <summary>How long a TCP connect may take. Defaults to 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(BindAddress);
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 0, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingHandshakes, 1, nameof(MaxPendingHandshakes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
    }
}
