namespace PeatMesh.Tests.Storage;

/// <summary>
/// Holds the database's write lock from a separate connection (<c>BEGIN IMMEDIATE</c>), so the store's writer
/// blocks in its own <c>BEGIN IMMEDIATE</c> until <see cref="Release"/>. Lets tests queue writes while the
/// writer cannot commit, deterministically.
/// </summary>
internal sealed class WriteLockHolder : IDisposable
{
    private readonly RawDatabase _database;
    private bool _held;

    public WriteLockHolder(string databasePath)
    {
        _database = new RawDatabase(databasePath);
        _database.Execute("BEGIN IMMEDIATE");
        _held = true;
    }

    public void Release()
    {
        if (_held)
        {
            _database.Execute("ROLLBACK");
            _held = false;
        }
    }

    public void Dispose()
    {
        Release();
        _database.Dispose();
    }
}
