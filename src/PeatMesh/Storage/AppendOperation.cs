namespace PeatMesh.Storage;

/// <summary>Queued <see cref="IDocumentStore.AppendAsync"/>.</summary>
internal sealed class AppendOperation(DocumentKey key, byte[] bytes, CancellationToken cancellationToken)
    : WriteOperation<StoreWriteResult>(cancellationToken)
{
    public override string Name => "append";

    public override string Target => key.ToString();

    protected override StoreWriteResult Apply(SqliteWriter writer, long nowMs) => writer.Append(key, bytes, nowMs);
}
