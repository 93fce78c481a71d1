using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Hosting;
using PeatMesh.Security;
using PeatMesh.Transport.InMemory;

namespace PeatMesh.Testing.InProcess;

/// <summary>
/// N real <see cref="MeshNode"/>s in one process, composed exactly as the node executable composes them
/// (store, peer manager, documents, sync) but connected by an <see cref="InMemoryNetwork"/> instead of
/// TCP + Noise — for fast, deterministic sync tests.
/// </summary>
/// <remarks>Thread-safe for reads; dispose once.</remarks>
public sealed class InProcessCluster : IAsyncDisposable
{
    private readonly string _root;

    private InProcessCluster(IReadOnlyList<MeshNode> nodes, InMemoryNetwork network, string root)
    {
        Nodes = nodes;
        Network = network;
        _root = root;
    }

    /// <summary>The nodes (node ids <c>node-1</c>, …).</summary>
    public IReadOnlyList<MeshNode> Nodes { get; }

    /// <summary>The network connecting them.</summary>
    public InMemoryNetwork Network { get; }

    /// <summary>Starts <paramref name="count"/> nodes, each dialling every other (full mesh) unless <paramref name="peersOf"/> says otherwise.</summary>
    /// <param name="count">Number of nodes.</param>
    /// <param name="timeProvider">Clock for all nodes (a <see cref="ManualTimeProvider"/> in deterministic tests).</param>
    /// <param name="configure">Adjusts each node's options (index, options) before start.</param>
    /// <param name="loggerFactory">Loggers; none when null.</param>
    /// <param name="peersOf">Which nodes (zero-based indexes) node i dials; every other node when null.</param>
    public static async Task<InProcessCluster> StartAsync(int count, TimeProvider? timeProvider = null,
        Action<int, MeshNodeOptions>? configure = null, ILoggerFactory? loggerFactory = null, Func<int, IEnumerable<int>>? peersOf = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var network = new InMemoryNetwork();
        var root = Directory.CreateTempSubdirectory("peat-cluster-").FullName;
        var secretText = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var formation = Convert.ToHexString(SHA256.HashData(Convert.FromBase64String(secretText)));
        var nodes = new List<MeshNode>();
        var addresses = new List<Transport.PeerAddress>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var options = new MeshNodeOptions
                {
                    NodeId = $"node-{i + 1}",
                    FormationSecret = FormationSecret.Parse(secretText),
                    DataDirectory = Path.Combine(root, $"node-{i + 1}"),
                    BrokerPort = 0,
                };
                configure?.Invoke(i, options);
                InMemoryMeshTransport? transport = null;
                var node = await MeshNode.StartAsync(options, loggerFactory ?? NullLoggerFactory.Instance, timeProvider,
                    (identity, _) => transport = new InMemoryMeshTransport(network, identity.PublicKey.ToArray(), formation),
                    CancellationToken.None).ConfigureAwait(false);
                nodes.Add(node);
                addresses.Add(transport!.Address!);
            }

            for (var i = 0; i < count; i++)
            {
                foreach (var j in peersOf?.Invoke(i) ?? Enumerable.Range(0, count).Where(j => j != i))
                {
                    nodes[i].Peers.AddPeer(addresses[j]);
                }
            }

            return new InProcessCluster(nodes, network, root);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>A chain topology for the <c>peersOf</c> argument of <c>StartAsync</c>: node i dials i−1 and i+1.</summary>
    public static Func<int, IEnumerable<int>> Chain(int count) => i => new[] { i - 1, i + 1 }.Where(j => j >= 0 && j < count);

    /// <summary>Whether every node is connected to every other node.</summary>
    public bool IsFullyConnected => Nodes.All(n => n.Peers.Peers.Count == Nodes.Count - 1);

    /// <summary>Stops every node and deletes their data. Idempotent per node.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
