using PeatMesh.Testing.Processes;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests.Support;

/// <summary>Starts and disposes local meshes of real node processes; dumps node output when a test fails.</summary>
public abstract class MeshTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    protected static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(60);
    private readonly List<LocalMesh> _meshes = [];
    private readonly List<BrokerClient> _clients = [];

    protected MeshTestBase(ITestOutputHelper output) => Output = output;

    protected ITestOutputHelper Output { get; }

    protected async Task<LocalMesh> StartMeshAsync(int nodes, Action<LocalMeshOptions>? configure = null)
    {
        var options = new LocalMeshOptions { Nodes = nodes, NodeIdPrefix = "n" };
        options.Environment["PEAT_LOG_LEVEL"] = "debug";
        configure?.Invoke(options);
        var mesh = LocalMesh.Create(options);
        _meshes.Add(mesh);
        await mesh.StartAsync(ReadyTimeout);
        return mesh;
    }

    protected BrokerClient Client(NodeProcess node)
    {
        var client = new BrokerClient(node.BrokerUrl);
        _clients.Add(client);
        return client;
    }

    /// <summary>Waits until every node lists every other node as a peer.</summary>
    protected async Task WaitForFullMeshAsync(LocalMesh mesh)
    {
        foreach (var node in mesh.Nodes)
        {
            var client = Client(node);
            var expected = mesh.Nodes.Where(n => n != node).Select(n => n.Options.Name).Order(StringComparer.Ordinal).ToList();
            await Wait.UntilAsync(async () => (await client.PeerNodeIdsAsync()).SequenceEqual(expected), SyncTimeout,
                $"{node.Options.Name} connected to {string.Join(",", expected)}");
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var mesh in _meshes)
        {
            foreach (var node in mesh.Nodes)
            {
                Output.WriteLine($"---- {node.Options.Name} (last 60 lines)");
                Output.WriteLine(node.Tail(60));
            }

            await mesh.DisposeAsync();
        }
    }
}
