using System.Globalization;

namespace PeatMesh.Tests.Discovery.Mdns.Netns;

/// <summary>
/// A LAN of network namespaces: a hub namespace holding a bridge, and <c>count</c> node namespaces, each with
/// <c>lo</c> up and an <c>eth0</c> (a veth whose peer is a bridge port in the hub) addressed 10.77.0.(i+1)/24, plus
/// the multicast route <c>224.0.0.0/4 dev eth0</c>. Disposal deletes every namespace (and with them the links).
/// </summary>
internal sealed class NetnsLan : IDisposable
{
    private static int _counter;
    private readonly string _hub;
    private readonly List<string> _namespaces = [];
    private string? _uplink;

    private NetnsLan(string prefix)
    {
        _hub = prefix + "-hub";
    }

    /// <summary>The node namespaces' names (for <c>ip netns exec</c>).</summary>
    public IReadOnlyList<string> Nodes => _namespaces.Skip(1).ToList();

    /// <summary>The IPv4 address of node <paramref name="index"/>.</summary>
    public static string AddressOf(int index) => "10.77.0." + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The path setns(2) takes for node <paramref name="index"/>.</summary>
    public string PathOf(int index) => "/var/run/netns/" + Nodes[index];

    /// <summary>Creates the namespaces and links.</summary>
    public static NetnsLan Create(int count)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"pm{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}");
        var lan = new NetnsLan(prefix);
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
                Ip("address eth0", "-n", node, "addr", "add", AddressOf(i) + "/24", "dev", "eth0");
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
    /// <paramref name="address"/>/24), so tests can reach services inside the node namespaces.
    /// </summary>
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
