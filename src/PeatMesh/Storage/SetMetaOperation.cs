namespace PeatMesh.Storage;

/// <summary>Queued <see cref="IDocumentStore.SetMetaAsync"/>.</summary>
internal sealed class SetMetaOperation(string key, byte[] value, CancellationToken cancellationToken)
    : WriteOperation<bool>(cancellationToken)
{
    public override string Name => "set-meta";

    public override string Target => "meta:" + key;

    protected override bool Apply(SqliteWriter writer, long nowMs)
    {
        writer.SetMeta(key, value);
        return true;
    }
}
