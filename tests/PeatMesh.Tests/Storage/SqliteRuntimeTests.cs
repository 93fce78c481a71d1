using Microsoft.Data.Sqlite;

namespace PeatMesh.Tests.Storage;

public class SqliteRuntimeTests
{
    [Fact]
    public void Open_InMemoryDatabase_ReportsWalCapableSqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select sqlite_version()";
        var version = (string)command.ExecuteScalar()!;
        Assert.True(Version.Parse(version) >= new Version(3, 7, 0), "WAL needs SQLite >= 3.7, got " + version);
    }
}
