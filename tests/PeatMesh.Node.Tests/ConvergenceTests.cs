using System.Net;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>Three real nodes on 127.0.0.1 converge documents written through the broker.</summary>
public sealed class ConvergenceTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [Fact]
    public async Task Cities_1000WrittenOnNode1_AppearIdenticallyOnNodes2And3()
    {
        var mesh = await StartMeshAsync(3);
        await WaitForFullMeshAsync(mesh);
        var writer = Client(mesh.Nodes[0]);
        var cities = Cities.Take(1000);

        await Parallel.ForEachAsync(cities, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (city, _) =>
        {
            var (status, body) = await writer.PutAsync("cities", city.Id, city.Document);
            Assert.True(status == HttpStatusCode.Created, $"PUT {city.Id}: {(int)status} {body}");
        });

        foreach (var node in mesh.Nodes.Skip(1))
        {
            var reader = Client(node);
            await Wait.UntilAsync(async () => (await reader.ListAsync("cities")).Count == cities.Count, SyncTimeout,
                $"{node.Options.Name} holds all {cities.Count} cities");
            var replicated = await reader.ListAsync("cities");
            foreach (var (id, document) in cities)
            {
                var expected = document.DeepClone().AsObject();
                expected["_id"] = id;
                Assert.True(JsonNode.DeepEquals(expected, replicated[id]), $"{id} differs on {node.Options.Name}: {replicated[id]} vs {expected}");
            }
        }
    }

    [Fact]
    public async Task ConcurrentPatches_DifferentFieldsOnDifferentNodes_Merge()
    {
        var mesh = await StartMeshAsync(3);
        await WaitForFullMeshAsync(mesh);
        var clients = mesh.Nodes.Select(Client).ToArray();
        Assert.Equal(HttpStatusCode.Created, (await clients[0].PutAsync("cities", "oslo", new JsonObject { ["name"] = "Oslo" })).Status);
        foreach (var client in clients)
        {
            await Wait.UntilAsync(async () => await client.GetDocumentAsync("cities", "oslo") is not null, SyncTimeout,
                $"oslo reaches {client.BaseUrl}");
        }

        await Task.WhenAll(
            clients[0].PatchAsync("cities", "oslo", new JsonObject { ["population"] = 709037 }),
            clients[1].PatchAsync("cities", "oslo", new JsonObject { ["country"] = "NO" }),
            clients[2].PatchAsync("cities", "oslo", new JsonObject { ["admin1"] = "12" }));

        var expected = new JsonObject { ["name"] = "Oslo", ["population"] = 709037, ["country"] = "NO", ["admin1"] = "12", ["_id"] = "oslo" };
        foreach (var client in clients)
        {
            await Wait.UntilAsync(async () => JsonNode.DeepEquals(await client.GetDocumentAsync("cities", "oslo"), expected), SyncTimeout,
                $"{client.BaseUrl} merges all three patches");
        }
    }

    [Fact]
    public async Task ConcurrentPatches_SameFieldOnDifferentNodes_ConvergeToOneValue()
    {
        var mesh = await StartMeshAsync(3);
        await WaitForFullMeshAsync(mesh);
        var clients = mesh.Nodes.Select(Client).ToArray();
        Assert.Equal(HttpStatusCode.Created, (await clients[0].PutAsync("cities", "bergen", new JsonObject { ["name"] = "Bergen" })).Status);
        foreach (var client in clients)
        {
            await Wait.UntilAsync(async () => await client.GetDocumentAsync("cities", "bergen") is not null, SyncTimeout,
                $"bergen reaches {client.BaseUrl}");
        }

        var written = new[] { "Bjørgvin", "Bergen kommune", "Berghen" };
        await Task.WhenAll(clients.Select((c, i) => c.PatchAsync("cities", "bergen", new JsonObject { ["name"] = written[i] })));

        string? converged = null;
        await Wait.UntilAsync(async () =>
        {
            var names = new List<string>();
            foreach (var client in clients)
            {
                names.Add((string)(await client.GetDocumentAsync("cities", "bergen"))!["name"]!);
            }

            converged = names[0];
            return names.Distinct().Count() == 1;
        }, SyncTimeout, "all nodes agree on one name");
        Assert.Contains(converged, written);
    }
}
