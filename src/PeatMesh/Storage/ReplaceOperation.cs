namespace PeatMesh.Storage;

/// <summary>Queued <see cref="IDocumentStore.ReplaceAsync(DocumentKey, ReadOnlyMemory{byte}, CancellationToken)"/> (optionally conditional on a revision).</summary>
internal sealed class ReplaceOperation(DocumentKey key, byte[] bytes, long? expectedRevision, CancellationToken cancellationToken)
    : WriteOperation<StoreWriteResult>(cancellationToken)
{
    public override string Name => "replace";

    public override string Target => key.ToString();

    protected override StoreWriteResult Apply(SqliteWriter writer, long nowMs) =>
        writer.Replace(key, bytes, expectedRevision, nowMs);
}
