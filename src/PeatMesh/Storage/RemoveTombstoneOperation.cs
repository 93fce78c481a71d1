namespace PeatMesh.Storage;

/// <summary>Queued <see cref="IDocumentStore.RemoveTombstoneAsync"/>.</summary>
internal sealed class RemoveTombstoneOperation(DocumentKey key, CancellationToken cancellationToken)
    : WriteOperation<bool>(cancellationToken)
{
    public override string Name => "remove-tombstone";

    public override string Target => key.ToString();

    protected override bool Apply(SqliteWriter writer, long nowMs) => writer.RemoveTombstone(key);
}
