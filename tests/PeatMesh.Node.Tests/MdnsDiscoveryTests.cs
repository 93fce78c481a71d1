using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using PeatMesh.Testing.Network;
using PeatMesh.Testing.Processes;
using PeatMesh.Tests.Discovery.Mdns.Netns;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>
/// Three real nodes, each in its own network namespace on one bridged LAN, with <c>PEAT_DISCOVERY=mdns</c> and no
/// peer lists: they find each other by mDNS/DNS-SD and converge documents.
/// </summary>
public sealed class MdnsDiscoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [NetnsFact]
    public async Task ThreeNodes_NoPeerLists_FindEachOtherByMdns_AndConverge()
    {
        using var lan = NetnsLan.Create(3);
        lan.ConnectHost("10.77.0.250");
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var root = Directory.CreateTempSubdirectory("peat-mdns-nodes-").FullName;
        var nodes = new List<NodeProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var options = new NodeProcessOptions { Name = $"m-{i + 1}", BrokerUrl = new Uri($"http://{NetnsLan.AddressOf(i)}:8081") };
                options.CommandPrefix.Add("ip");
                options.CommandPrefix.Add("netns");
                options.CommandPrefix.Add("exec");
                options.CommandPrefix.Add(lan.Nodes[i]);
                options.Environment["HOSTNAME"] = $"m-{i + 1}";
                options.Environment["PEAT_FORMATION_SECRET"] = secret;
                options.Environment["PEAT_DATA_DIR"] = Path.Combine(root, $"m-{i + 1}");
                options.Environment["PEAT_DISCOVERY"] = "mdns";
                options.Environment["PEAT_LOG_LEVEL"] = "debug";
                nodes.Add(new NodeProcess(options));
            }

            foreach (var node in nodes)
            {
                node.Start();
            }

            await Task.WhenAll(nodes.Select(n => n.WaitUntilReadyAsync(Deadline)));
            var clients = nodes.Select(n => new BrokerClient(n.BrokerUrl)).ToList();
            for (var i = 0; i < 3; i++)
            {
                var expected = Enumerable.Range(1, 3).Where(j => j != i + 1).Select(j => $"m-{j}").ToList();
                var client = clients[i];
                await Wait.UntilAsync(async () => (await client.PeerNodeIdsAsync()).SequenceEqual(expected), Deadline,
                    $"m-{i + 1} connected to {string.Join(",", expected)} found by mDNS");
            }

            await clients[0].PutAsync("cities", "mdns", new JsonObject { ["name"] = "Found by multicast" });
            foreach (var client in clients.Skip(1))
            {
                await Wait.UntilAsync(async () => await client.GetDocumentAsync("cities", "mdns") is not null, Deadline,
                    $"document reaches {client.BaseUrl}");
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                output.WriteLine($"---- {node.Options.Name}\n{node.Tail(60)}");
            }

            throw;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }
}
