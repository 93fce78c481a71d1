namespace PeatMesh.Storage;

/// <summary>Queued <see cref="IDocumentStore.PurgeTombstonesAsync"/>.</summary>
internal sealed class PurgeTombstonesOperation(long deletedBeforeMs, CancellationToken cancellationToken)
    : WriteOperation<int>(cancellationToken)
{
    public override string Name => "purge-tombstones";

    public override string Target => "deleted_at_ms<" + deletedBeforeMs.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override int Apply(SqliteWriter writer, long nowMs) => writer.PurgeTombstones(deletedBeforeMs);
}
