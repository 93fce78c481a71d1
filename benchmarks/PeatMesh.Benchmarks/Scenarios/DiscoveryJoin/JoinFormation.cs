using System.Globalization;
using System.Security.Cryptography;
using PeatMesh.Benchmarks.Support;
using PeatMesh.Testing.Network;
using PeatMesh.Testing.Processes;

namespace PeatMesh.Benchmarks.Scenarios.DiscoveryJoin;

/// <summary>
/// The six <c>peat-mesh-node</c> processes of one join run, planned but not started, with a broker client each: five
/// members and the joiner (the last). Either on 127.0.0.1 with static seeds (<see cref="PeerExchange"/>) or in network
/// namespaces on one bridge with mDNS and no peer lists (<see cref="Mdns"/>). Disposal stops every process and deletes
/// the data and namespaces.
/// </summary>
/// <remarks>Not thread-safe: drive from one thread.</remarks>
public sealed class JoinFormation : IAsyncDisposable
{
    /// <summary>Nodes in a formation: 5 members and the joiner.</summary>
    public const int NodeCount = 6;

    private const string MdnsSubnet = "10.78.0";
    private readonly Func<ValueTask> _release;
    private int _disposed;

    private JoinFormation(IReadOnlyList<NodeProcess> nodes, Func<ValueTask> release)
    {
        Nodes = nodes;
        Clients = [.. nodes.Select(n => new BrokerHttp(n.BrokerUrl, connections: 8, TimeSpan.FromSeconds(30)))];
        _release = release;
    }

    /// <summary>The nodes; index 5 is the joiner.</summary>
    public IReadOnlyList<NodeProcess> Nodes { get; }

    /// <summary>A broker client per node, same order.</summary>
    public IReadOnlyList<BrokerHttp> Clients { get; }

    /// <summary>The node ids (<c>HOSTNAME</c>), same order.</summary>
    public IReadOnlyList<string> NodeIds => [.. Nodes.Select(n => n.Options.Name)];

    /// <summary>
    /// Peer exchange: <see cref="LocalMesh"/> on 127.0.0.1, <c>PEAT_DISCOVERY=static</c>; member i (i ≥ 1) is given only
    /// member i−1, and the joiner only member 1 (the far end of the chain), so everything else is learned over
    /// <c>peat/peers/1</c>.
    /// </summary>
    public static JoinFormation PeerExchange()
    {
        var options = new LocalMeshOptions
        {
            Nodes = NodeCount,
            NodeIdPrefix = "join",
            PeersOf = (i, n) => i == 0 ? [] : i == n - 1 ? [0] : [i - 1],
        };
        options.Environment["PEAT_LOG_LEVEL"] = "warn";
        var mesh = LocalMesh.Create(options);
        return new JoinFormation(mesh.Nodes, () => mesh.DisposeAsync());
    }

    /// <summary>Why the mDNS formation cannot run here (not root, no <c>ip</c>), or null when it can.</summary>
    public static string? MdnsUnavailableReason() => HostTools.NetnsUnavailableReason();

    /// <summary>
    /// mDNS: each node in its own network namespace on one bridge (<see cref="NetnsLan"/>, subnet 10.78.0.0/24, the
    /// harness reaching the brokers through an uplink), <c>PEAT_DISCOVERY=mdns</c>, no peer list at all.
    /// </summary>
    /// <exception cref="InvalidOperationException">Setting up the namespaces failed (the message names the step).</exception>
    public static JoinFormation Mdns()
    {
        var lan = NetnsLan.Create(NodeCount, MdnsSubnet);
        string? root = null;
        try
        {
            lan.ConnectHost(MdnsSubnet + ".250");
            root = Directory.CreateTempSubdirectory("peat-join-mdns-").FullName;
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var nodes = new List<NodeProcess>();
            for (var i = 0; i < NodeCount; i++)
            {
                var name = "mjoin-" + (i + 1).ToString(CultureInfo.InvariantCulture);
                var options = new NodeProcessOptions { Name = name, BrokerUrl = new Uri($"http://{lan.Address(i)}:8081") };
                foreach (var part in new[] { "ip", "netns", "exec", lan.Nodes[i] })
                {
                    options.CommandPrefix.Add(part);
                }

                options.Environment["HOSTNAME"] = name;
                options.Environment["PEAT_FORMATION_SECRET"] = secret;
                options.Environment["PEAT_DATA_DIR"] = Path.Combine(root, name);
                options.Environment["PEAT_DISCOVERY"] = "mdns";
                options.Environment["PEAT_LOG_LEVEL"] = "warn";
                nodes.Add(new NodeProcess(options));
            }

            var dataRoot = root;
            return new JoinFormation(nodes, async () =>
            {
                foreach (var node in nodes)
                {
                    await node.DisposeAsync();
                }

                lan.Dispose();
                Directory.Delete(dataRoot, recursive: true);
            });
        }
        catch
        {
            lan.Dispose();
            if (root is not null)
            {
                Directory.Delete(root, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Stops every node (SIGTERM, then SIGKILL after 10 s) and deletes what was created. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var client in Clients)
        {
            client.Dispose();
        }

        await _release();
    }
}
