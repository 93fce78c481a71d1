using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace PeatMesh.Testing.Processes;

/// <summary>
/// A mesh of real <c>peat-mesh-node</c> processes on 127.0.0.1 with free ports, a shared formation secret,
/// per-node data directories and static peer lists — what <c>peat dev up</c> runs and what integration
/// tests and benchmarks drive.
/// </summary>
/// <remarks>Thread-safe for concurrent reads; start and stop from one thread.</remarks>
public sealed class LocalMesh : IAsyncDisposable
{
    private readonly bool _ownsDataRoot;

    private LocalMesh(IReadOnlyList<NodeProcess> nodes, string dataRoot, string secret, bool ownsDataRoot)
    {
        Nodes = nodes;
        DataRoot = dataRoot;
        FormationSecret = secret;
        _ownsDataRoot = ownsDataRoot;
    }

    /// <summary>The nodes, in order (node ids <c>{prefix}-1</c>, …).</summary>
    public IReadOnlyList<NodeProcess> Nodes { get; }

    /// <summary>The folder holding the nodes' data directories.</summary>
    public string DataRoot { get; }

    /// <summary>The formation secret (base64). Treat as a secret: do not log it.</summary>
    public string FormationSecret { get; }

    /// <summary>Plans the mesh (ports, directories, environment); nothing is started.</summary>
    public static LocalMesh Create(LocalMeshOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Nodes, 1);
        var ownsRoot = options.DataRoot is null;
        var root = options.DataRoot ?? Directory.CreateTempSubdirectory("peat-mesh-").FullName;
        var secret = options.FormationSecret ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var ports = FreePorts(options.Nodes * 2);
        var peersOf = options.PeersOf ?? ((i, n) => Enumerable.Range(0, n).Where(j => j != i));
        var nodes = new List<NodeProcess>();
        for (var i = 0; i < options.Nodes; i++)
        {
            var name = $"{options.NodeIdPrefix}-{i + 1}";
            var brokerPort = ports[2 * i];
            var process = new NodeProcessOptions
            {
                Name = name,
                BrokerUrl = new Uri($"http://127.0.0.1:{brokerPort}"),
                OutputSink = options.OutputSink,
            };
            if (options.NodeAssemblyPath is not null)
            {
                process.NodeAssemblyPath = options.NodeAssemblyPath;
            }

            var dataDir = Path.Combine(root, name);
            Directory.CreateDirectory(dataDir);
            var env = process.Environment;
            env["HOSTNAME"] = name;
            env["PEAT_FORMATION_SECRET"] = secret;
            env["PEAT_DATA_DIR"] = dataDir;
            env["PEAT_BIND_ADDRESS"] = "127.0.0.1";
            env["PEAT_BROKER_PORT"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            env["PEAT_MESH_PORT"] = ports[(2 * i) + 1].ToString(System.Globalization.CultureInfo.InvariantCulture);
            env["PEAT_STATIC_PEERS"] = string.Join(',', peersOf(i, options.Nodes).Select(j => $"127.0.0.1:{ports[(2 * j) + 1]}"));
            env["PEAT_DISCOVERY"] = "static";
            foreach (var (key, value) in options.Environment)
            {
                env[key] = value;
            }

            nodes.Add(new NodeProcess(process));
        }

        return new LocalMesh(nodes, root, secret, ownsRoot);
    }

    /// <summary>Starts every node and waits until each reports ready.</summary>
    /// <exception cref="TimeoutException">A node was not ready in time.</exception>
    public async Task StartAsync(TimeSpan readyTimeout, CancellationToken cancellationToken = default)
    {
        foreach (var node in Nodes)
        {
            node.Start();
        }

        await Task.WhenAll(Nodes.Select(n => n.WaitUntilReadyAsync(readyTimeout, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Stops every node with SIGTERM (escalating to SIGKILL after <paramref name="grace"/>).</summary>
    public Task StopAsync(TimeSpan grace) => Task.WhenAll(Nodes.Select(n => n.StopAsync(grace)));

    /// <summary>Stops the nodes and deletes the data root if this mesh created it. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsDataRoot && Directory.Exists(DataRoot))
        {
            Directory.Delete(DataRoot, recursive: true);
        }
    }

    /// <summary>
    /// Finds <paramref name="count"/> distinct TCP ports that are free on 127.0.0.1 now and lie BELOW the kernel's
    /// ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>). Ports from the ephemeral range (what binding
    /// port 0 returns) can be taken, between our check and the node's bind, as the source port of some other
    /// process's outgoing connection; ports below it cannot. Ports handed out by this process are not reused.
    /// </summary>
    public static int[] FreePorts(int count)
    {
        var ephemeralLow = EphemeralRangeStart();
        var low = Math.Min(10000, ephemeralLow / 2);
        var span = ephemeralLow - low;
        var ports = new List<int>();
        lock (Handed)
        {
            for (var attempts = 0; ports.Count < count; attempts++)
            {
                if (attempts > span)
                {
                    throw new InvalidOperationException($"No {count} free ports between {low} and {ephemeralLow}.");
                }

                var port = low + (int)((uint)Random.Shared.Next() % (uint)span);
                if (!Handed.Contains(port) && IsFree(port))
                {
                    Handed.Add(port);
                    ports.Add(port);
                }
            }
        }

        return [.. ports];
    }

    private static readonly HashSet<int> Handed = [];

    private static int EphemeralRangeStart()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(text[0], System.Globalization.CultureInfo.InvariantCulture) is var start and > 2048 and <= 65535 ? start : 32768;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
