using Microsoft.Data.Sqlite;

namespace PeatMesh.Tests.Storage;

/// <summary>
/// A brand-new, unpooled SQLite connection on a database file, independent of any store: what it sees is
/// what is committed on disk, not anything cached by the store.
/// </summary>
internal sealed class RawDatabase : IDisposable
{
    public RawDatabase(string path, bool readOnly = false)
    {
        Connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        Connection.Open();
    }

    public SqliteConnection Connection { get; }

    public object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => Connection.Dispose();
}
