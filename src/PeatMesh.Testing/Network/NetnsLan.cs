using System.Globalization;

namespace PeatMesh.Testing.Network;

/// <summary>
/// A LAN of network namespaces: a hub namespace holding a bridge, and <c>count</c> node namespaces, each with
/// <c>lo</c> up and an <c>eth0</c> (a veth whose peer is a bridge port in the hub) addressed {subnet}.(i+1)/24
/// (default subnet 10.77.0), plus the multicast route <c>224.0.0.0/4 dev eth0</c>. Disposal deletes every namespace
/// (and with them the links). Needs root and iproute2 (<see cref="HostTools.NetnsUnavailableReason"/>).
/// </summary>
/// <remarks>Not thread-safe: create, connect and dispose from one thread.</remarks>
public sealed class NetnsLan : IDisposable
{
    private static int _counter;
    private readonly string _hub;
    private readonly string _subnet;
    private readonly List<string> _namespaces = [];
    private string? _uplink;

    private NetnsLan(string prefix, string subnet)
    {
        _hub = prefix + "-hub";
        _subnet = subnet;
    }

    /// <summary>The default subnet: the first three octets of every address, <c>10.77.0</c>.</summary>
    public const string DefaultSubnet = "10.77.0";

    /// <summary>The node namespaces' names (for <c>ip netns exec</c>).</summary>
    public IReadOnlyList<string> Nodes => [.. _namespaces.Skip(1)];

    /// <summary>The IPv4 address of node <paramref name="index"/> (zero-based) in the default subnet.</summary>
    public static string AddressOf(int index) => AddressOf(DefaultSubnet, index);

    /// <summary>The IPv4 address of node <paramref name="index"/> (zero-based) in <paramref name="subnet"/> (three octets).</summary>
    public static string AddressOf(string subnet, int index) => subnet + "." + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The IPv4 address of node <paramref name="index"/> (zero-based) of this LAN.</summary>
    public string Address(int index) => AddressOf(_subnet, index);

    /// <summary>The path setns(2) takes for node <paramref name="index"/> (zero-based).</summary>
    public string PathOf(int index) => "/var/run/netns/" + Nodes[index];

    /// <summary>Creates the namespaces and links.</summary>
    /// <param name="count">Node namespaces, 1 to 200.</param>
    /// <param name="subnet">The first three octets of the /24 (e.g. <c>10.78.0</c>); a LAN whose host uplink must not
    /// collide with another LAN's uses its own. Defaults to <see cref="DefaultSubnet"/>.</param>
    /// <exception cref="InvalidOperationException">An <c>ip</c> command failed (the message names the step); everything created is deleted.</exception>
    public static NetnsLan Create(int count, string subnet = DefaultSubnet)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 200);
        ArgumentNullException.ThrowIfNull(subnet);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"pm{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}");
        var lan = new NetnsLan(prefix, subnet);
        try
        {
            lan.Add(lan._hub);
            Ip("create bridge", "-n", lan._hub, "link", "add", "br0", "type", "bridge");
            Ip("bridge up", "-n", lan._hub, "link", "set", "br0", "up");
            for (var i = 0; i < count; i++)
            {
                var node = string.Create(CultureInfo.InvariantCulture, $"{prefix}-n{i}");
                var port = string.Create(CultureInfo.InvariantCulture, $"h{i}");
                lan.Add(node);
                Ip("create veth", "link", "add", "eth0", "netns", node, "type", "veth", "peer", "name", port, "netns", lan._hub);
                Ip("attach veth to bridge", "-n", lan._hub, "link", "set", port, "master", "br0", "up");
                Ip("lo up", "-n", node, "link", "set", "lo", "up");
                Ip("address eth0", "-n", node, "addr", "add", lan.Address(i) + "/24", "dev", "eth0");
                Ip("eth0 up", "-n", node, "link", "set", "eth0", "up");
                Ip("multicast route", "-n", node, "route", "add", "224.0.0.0/4", "dev", "eth0");
            }

            return lan;
        }
        catch
        {
            lan.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects the test process's own namespace to the LAN (a veth into the hub's bridge, addressed
    /// <paramref name="address"/>/24, in this LAN's subnet and not a node's address), so tests can reach services inside
    /// the node namespaces.
    /// </summary>
    /// <exception cref="InvalidOperationException">An <c>ip</c> command failed (the message names the step).</exception>
    public void ConnectHost(string address)
    {
        _uplink = "pmup" + (_hub.GetHashCode(StringComparison.Ordinal) & 0xffff).ToString("x4", CultureInfo.InvariantCulture);
        Ip("create uplink", "link", "add", _uplink, "type", "veth", "peer", "name", "up0", "netns", _hub);
        Ip("attach uplink to bridge", "-n", _hub, "link", "set", "up0", "master", "br0", "up");
        Ip("address uplink", "addr", "add", address + "/24", "dev", _uplink);
        Ip("uplink up", "link", "set", _uplink, "up");
    }

    /// <summary>Deletes every namespace created (and the host uplink, if any).</summary>
    public void Dispose()
    {
        if (_uplink is not null)
        {
            try
            {
                Ip("delete uplink", "link", "del", _uplink);
            }
            catch (InvalidOperationException)
            {
                // Deleting the hub namespace removed it already.
            }

            _uplink = null;
        }

        foreach (var ns in _namespaces.AsEnumerable().Reverse())
        {
            try
            {
                Ip("delete namespace", "netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
                // Already gone; nothing else to release.
            }
        }

        _namespaces.Clear();
    }

    /// <summary>Adds a namespace and remembers it for disposal.</summary>
    private void Add(string name)
    {
        Ip("create namespace " + name, "netns", "add", name);
        _namespaces.Add(name);
    }

    private static void Ip(string step, params string[] arguments) => HostTools.Run(step, "ip", arguments);
}
