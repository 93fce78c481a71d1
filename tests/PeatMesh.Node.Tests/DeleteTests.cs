using System.Net;
using System.Text.Json.Nodes;
using PeatMesh.Node.Tests.Support;
using Xunit.Abstractions;

namespace PeatMesh.Node.Tests;

/// <summary>Deletes travel as tombstones; a node that missed a delete does not resurrect the document.</summary>
public sealed class DeleteTests(ITestOutputHelper output) : MeshTestBase(output)
{
    [Fact]
    public async Task Delete_OnOneNode_PropagatesToAll()
    {
        var mesh = await StartMeshAsync(3);
        await WaitForFullMeshAsync(mesh);
        var clients = mesh.Nodes.Select(Client).ToArray();
        await clients[0].PutAsync("cities", "vila", new JsonObject { ["name"] = "Vila" });
        foreach (var client in clients)
        {
            await Wait.UntilAsync(async () => await client.GetDocumentAsync("cities", "vila") is not null, SyncTimeout, $"vila reaches {client.BaseUrl}");
        }

        var (status, _) = await clients[2].DeleteAsync("cities", "vila");
        Assert.Equal(HttpStatusCode.OK, status);

        foreach (var client in clients)
        {
            await Wait.UntilAsync(async () => await client.GetDocumentAsync("cities", "vila") is null, SyncTimeout, $"vila deleted on {client.BaseUrl}");
        }
    }

    [Fact]
    public async Task Delete_WhileNodeDown_NodeDoesNotResurrectDocumentOnReturn()
    {
        var mesh = await StartMeshAsync(3);
        await WaitForFullMeshAsync(mesh);
        var clients = mesh.Nodes.Select(Client).ToArray();
        await clients[0].PutAsync("cities", "ordino", new JsonObject { ["name"] = "Ordino", ["country"] = "AD" });
        await Wait.UntilAsync(async () => await clients[2].GetDocumentAsync("cities", "ordino") is not null, SyncTimeout, "ordino reaches node 3");

        await mesh.Nodes[2].StopAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await clients[0].DeleteAsync("cities", "ordino")).Status);
        await Wait.UntilAsync(async () => await clients[1].GetDocumentAsync("cities", "ordino") is null, SyncTimeout, "delete reaches node 2");

        mesh.Nodes[2].Start();
        await mesh.Nodes[2].WaitUntilReadyAsync(ReadyTimeout);
        await WaitForFullMeshAsync(mesh);

        // Node 3 still had the document when it came back; after syncing, nobody has it.
        await Wait.UntilAsync(async () => await clients[2].GetDocumentAsync("cities", "ordino") is null, SyncTimeout, "node 3 learns the delete");
        foreach (var client in clients.Take(2))
        {
            Assert.Null(await client.GetDocumentAsync("cities", "ordino"));
        }

        // And a write under the deleted key is refused everywhere instead of resurrecting it.
        Assert.Equal(HttpStatusCode.Conflict, (await clients[2].PutAsync("cities", "ordino", new JsonObject { ["name"] = "again" })).Status);
    }
}
