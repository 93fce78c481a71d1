using System.Diagnostics;
using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class DocumentRowPoolTests
{
    [Fact]
    public void Return_ThenRent_GivesTheArrayBackCleared()
    {
        const int Length = 300_000; // more rows than any other test's document, so this array wins the single spare slot
        var rows = DocumentRowPool.Rent(Length);
        Assert.All(rows, row => Assert.Equal(default, row));
        rows[3] = new DocumentOpRow { Id = 7, MapKey = "key", Change = 2 };
        rows[9].Insert = true;
        DocumentRowPool.Return(rows, 10);

        // The clearing runs on a thread-pool thread: poll until the array is the spare, then rent it. Another test may
        // borrow it in between (it gives it back cleared); arrays rented here that are not ours are dropped, never
        // returned, so that no fresh array of the same length can take the spare slot from it.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting for the returned rows to become the pool's spare");
            if (!DocumentRowPool.IsSpare(rows))
            {
                Thread.Yield();
                continue;
            }

            var again = DocumentRowPool.Rent(Length);
            if (ReferenceEquals(again, rows))
            {
                Assert.All(again.AsSpan(0, 10).ToArray(), row => Assert.Equal(default, row));
                return;
            }

            Assert.All(again.AsSpan(0, 10).ToArray(), row => Assert.Equal(default, row)); // a fresh array is clean too
        }
    }
}
