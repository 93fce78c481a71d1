using System.Reflection;
using Microsoft.Extensions.Logging;
using PeatMesh.Storage;

namespace PeatMesh.Tests.Storage;

public sealed class StorageLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EventIds_AreUniqueAndInTheStorageRange()
    {
        var ids = typeof(StorageLog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .Where(a => a is not null)
            .Select(a => a!.EventId)
            .ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, StorageLog.FirstEventId, StorageLog.LastEventId));
    }

    [Fact]
    public async Task Store_OpenWriteClose_LogsOpenedBatchAndClosedWithoutDocumentBytes()
    {
        var logger = new CapturingLogger();
        var secretLooking = System.Text.Encoding.UTF8.GetBytes("SECRET-PAYLOAD");
        var store = await SqliteDocumentStore.OpenAsync(new StorageOptions { DataDirectory = _dir.Path }, logger);
        await store.AppendAsync(DocumentKey.Create("c", "d"), secretLooking);
        await store.SetMetaAsync("k", secretLooking);
        await store.DisposeAsync();

        var ids = logger.Entries.Select(e => e.EventId.Id).ToList();
        Assert.Contains(3000, ids); // opened
        Assert.Contains(3001, ids); // schema created
        Assert.Contains(3002, ids); // batch committed
        Assert.Contains(3007, ids); // closed
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("SECRET-PAYLOAD"));
    }

    private sealed class CapturingLogger : ILogger<SqliteDocumentStore>
    {
        private readonly Lock _lock = new();
        private readonly List<(EventId EventId, string Message)> _entries = [];

        public IReadOnlyList<(EventId EventId, string Message)> Entries
        {
            get
            {
                lock (_lock)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lock)
            {
                _entries.Add((eventId, formatter(state, exception)));
            }
        }
    }
}
