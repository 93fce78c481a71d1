using System.Net;

namespace PeatMesh.Discovery.Mdns;

/// <summary>A network interface mDNS runs on, with the addresses advertised on it.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Index">The OS interface index (as in IP_PKTINFO).</param>
/// <param name="Name">The interface name, e.g. <c>eth0</c>.</param>
/// <param name="IPv4Addresses">Its IPv4 addresses (at least one; the first selects the interface for multicast sends).</param>
/// <param name="IPv6Addresses">Its IPv6 addresses.</param>
/// <param name="IsLoopback">Whether it is a loopback interface.</param>
internal sealed record MdnsInterface(int Index, string Name, IReadOnlyList<IPAddress> IPv4Addresses, IReadOnlyList<IPAddress> IPv6Addresses, bool IsLoopback)
{
    /// <summary><c>name#index</c>.</summary>
    public override string ToString() => Name + "#" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
