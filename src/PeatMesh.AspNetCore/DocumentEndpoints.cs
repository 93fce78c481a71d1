using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PeatMesh.Hosting;
using PeatMesh.Storage;
using PeatMesh.Sync;

namespace PeatMesh.AspNetCore;

/// <summary>Handlers of <c>documents/{collection}</c> and <c>documents/{collection}/{id}</c>.</summary>
internal static class DocumentEndpoints
{
    /// <summary><c>{"collection","documents":[…],"count"}</c>; an empty collection has count 0.</summary>
    public static async Task<IResult> List(string collection, MeshNodeHost host, CancellationToken cancellationToken)
    {
        if (!DocumentKey.IsValidCollection(collection))
        {
            return BrokerResults.Error(StatusCodes.Status400BadRequest, "invalid collection name: " + Shorten(collection));
        }

        if (host.Node is not { } node)
        {
            return BrokerResults.NodeStarting();
        }

        var documents = await node.Documents.ListAsync(collection, cancellationToken).ConfigureAwait(false);
        return BrokerResults.Json(new JsonObject
        {
            ["collection"] = collection,
            ["documents"] = new JsonArray([.. documents]),
            ["count"] = documents.Count,
        });
    }

    /// <summary><c>{"collection","id","document":{…,"_id"}}</c>; 404 <c>document not found: c/id</c>.</summary>
    public static async Task<IResult> Get(string collection, string id, MeshNodeHost host, CancellationToken cancellationToken)
    {
        if (Validate(collection, id, host, out var key, out var node) is { } error)
        {
            return error;
        }

        var document = await node!.Documents.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return document is null ? NotFound(key) : BrokerResults.Json(Envelope(key, document));
    }

    /// <summary>Creates (201) or replaces (200) a document with the JSON object in the body.</summary>
    public static Task<IResult> Put(string collection, string id, HttpRequest request, MeshNodeHost host, MeshNodeOptions options,
        CancellationToken cancellationToken) =>
        WriteAsync(collection, id, request, host, options, (node, key, body) => node.Documents.PutAsync(key, body, cancellationToken), cancellationToken);

    /// <summary>Applies an RFC 7396 merge patch to an existing document (200, or 404).</summary>
    public static Task<IResult> Patch(string collection, string id, HttpRequest request, MeshNodeHost host, MeshNodeOptions options,
        CancellationToken cancellationToken) =>
        WriteAsync(collection, id, request, host, options, (node, key, body) => node.Documents.PatchAsync(key, body, cancellationToken), cancellationToken);

    private static async Task<IResult> WriteAsync(string collection, string id, HttpRequest request, MeshNodeHost host, MeshNodeOptions options,
        Func<MeshNode, DocumentKey, JsonElement, Task<DocumentWriteResult>> write, CancellationToken cancellationToken)
    {
        if (Validate(collection, id, host, out var key, out var node) is { } error)
        {
            return error;
        }

        var (body, bodyError) = await JsonBody.ReadAsync(request, options.Sync.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (body)
        {
            return ToResult(key, await write(node!, key, body!.RootElement).ConfigureAwait(false), options);
        }
    }

    /// <summary>Deletes a document (200 <c>{"collection","id","deleted":true}</c>, or 404).</summary>
    public static async Task<IResult> Delete(string collection, string id, MeshNodeHost host, CancellationToken cancellationToken)
    {
        if (Validate(collection, id, host, out var key, out var node) is { } error)
        {
            return error;
        }

        var status = await node!.Documents.DeleteAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false);
        return status == DocumentWriteStatus.Updated
            ? BrokerResults.Json(new JsonObject { ["collection"] = key.Collection, ["id"] = key.Id, ["deleted"] = true })
            : NotFound(key);
    }

    private static IResult ToResult(DocumentKey key, DocumentWriteResult result, MeshNodeOptions options) => result.Status switch
    {
        DocumentWriteStatus.Created => BrokerResults.Json(Envelope(key, result.Document!), StatusCodes.Status201Created),
        DocumentWriteStatus.Updated => BrokerResults.Json(Envelope(key, result.Document!)),
        DocumentWriteStatus.NotFound => NotFound(key),
        DocumentWriteStatus.Deleted => BrokerResults.Error(StatusCodes.Status409Conflict, $"document was deleted: {key.Collection}/{key.Id}"),
        DocumentWriteStatus.TooLarge => BrokerResults.Error(StatusCodes.Status413PayloadTooLarge,
            $"document would exceed {options.Sync.MaxDocumentBytes} bytes"),
        _ => BrokerResults.Error(StatusCodes.Status500InternalServerError, "unexpected write status"),
    };

    private static IResult? Validate(string collection, string id, MeshNodeHost host, out DocumentKey key, out MeshNode? node)
    {
        node = null;
        key = default;
        if (!DocumentKey.IsValidCollection(collection))
        {
            return BrokerResults.Error(StatusCodes.Status400BadRequest, "invalid collection name: " + Shorten(collection));
        }

        if (!DocumentKey.TryCreate(collection, id, out key))
        {
            return BrokerResults.Error(StatusCodes.Status400BadRequest, "invalid document id: " + Shorten(id));
        }

        node = host.Node;
        return node is null ? BrokerResults.NodeStarting() : null;
    }

    private static JsonObject Envelope(DocumentKey key, JsonObject document) =>
        new() { ["collection"] = key.Collection, ["id"] = key.Id, ["document"] = document };

    private static IResult NotFound(DocumentKey key) =>
        BrokerResults.Error(StatusCodes.Status404NotFound, $"document not found: {key.Collection}/{key.Id}");

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
