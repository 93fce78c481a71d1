using PeatMesh.Storage;

namespace PeatMesh.Tests.Storage;

internal static class StoreTestExtensions
{
    public static Task<SqliteDocumentStore> OpenStoreAsync(this TempDirectory directory, Action<StorageOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new StorageOptions { DataDirectory = directory.Path };
        configure?.Invoke(options);
        return SqliteDocumentStore.OpenAsync(options, logger: null, timeProvider: time);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes, then fails naming <paramref name="step"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string step, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for: " + step);
            }

            await Task.Yield();
            await Task.Delay(1); // polling interval, not synchronization: the condition decides
        }
    }

    public static byte[] Bytes(params byte[] values) => values;
}
