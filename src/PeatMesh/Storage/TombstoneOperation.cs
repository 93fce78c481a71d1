namespace PeatMesh.Storage;

/// <summary>Queued <see cref="IDocumentStore.DeleteAsync"/> or <see cref="IDocumentStore.PutTombstoneAsync"/>.</summary>
internal sealed class TombstoneOperation(Tombstone tombstone, string name, CancellationToken cancellationToken)
    : WriteOperation<TombstoneWriteResult>(cancellationToken)
{
    public override string Name => name;

    public override string Target => tombstone.Key.ToString();

    protected override TombstoneWriteResult Apply(SqliteWriter writer, long nowMs) => writer.PutTombstone(tombstone);
}
