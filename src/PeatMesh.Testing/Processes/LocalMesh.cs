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

    /// <summary>Reserves <paramref name="count"/> distinct free TCP ports on 127.0.0.1 (released before return).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
