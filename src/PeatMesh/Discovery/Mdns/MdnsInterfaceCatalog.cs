using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PeatMesh.Discovery.Mdns;

/// <summary>Chooses the interfaces mDNS runs on (see <see cref="MdnsOptions.Interfaces"/>).</summary>
/// <remarks>Stateless; thread-safe. Reads the interfaces of the calling thread's network namespace.</remarks>
internal static class MdnsInterfaceCatalog
{
    /// <summary>The selected interfaces, each with at least one IPv4 address.</summary>
    /// <exception cref="InvalidOperationException">A listed interface is missing or has no IPv4 address, or nothing suitable exists.</exception>
    public static IReadOnlyList<MdnsInterface> Select(MdnsOptions options)
    {
        var all = NetworkInterface.GetAllNetworkInterfaces();
        var selected = new List<MdnsInterface>();
        if (options.Interfaces.Count > 0)
        {
            foreach (var name in options.Interfaces)
            {
                var nic = all.FirstOrDefault(n => n.Name == name)
                    ?? throw new InvalidOperationException($"mDNS interface '{name}' does not exist (have: {string.Join(", ", all.Select(n => n.Name))}).");
                selected.Add(Describe(nic) ?? throw new InvalidOperationException($"mDNS interface '{name}' has no IPv4 address."));
            }

            return selected;
        }

        foreach (var nic in all)
        {
            var loopback = nic.NetworkInterfaceType == NetworkInterfaceType.Loopback;
            var up = nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown;
            if (up && (nic.SupportsMulticast || (loopback && options.IncludeLoopback)) && Describe(nic) is { } described)
            {
                selected.Add(described);
            }
        }

        return selected.Count > 0
            ? selected
            : throw new InvalidOperationException("No network interface is up with an IPv4 address and multicast support; mDNS cannot run.");
    }

    private static MdnsInterface? Describe(NetworkInterface nic)
    {
        IPInterfaceProperties properties;
        int index;
        try
        {
            properties = nic.GetIPProperties();
            index = properties.GetIPv4Properties()?.Index ?? 0;
        }
        catch (NetworkInformationException)
        {
            return null;
        }

        var unicast = properties.UnicastAddresses.Select(u => u.Address).ToList();
        var v4 = unicast.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
        if (v4.Count == 0)
        {
            return null;
        }

        var v6 = unicast.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6Multicast)
            .Select(a => new IPAddress(a.GetAddressBytes()))
            .ToList();
        return index > 0
            ? new MdnsInterface(index, nic.Name, v4, v6, nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            : null;
    }
}
