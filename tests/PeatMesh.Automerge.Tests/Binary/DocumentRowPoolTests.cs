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

        // The clearing runs on a thread-pool thread; poll until the array is the spare (other tests may borrow it).
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var again = DocumentRowPool.Rent(Length);
            if (ReferenceEquals(again, rows))
            {
                Assert.All(again.AsSpan(0, 10).ToArray(), row => Assert.Equal(default, row));
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the returned rows never became the pool's spare");
            Assert.All(again.AsSpan(0, 10).ToArray(), row => Assert.Equal(default, row)); // a fresh or other spare is clean too
            DocumentRowPool.Return(again, 0);
            Thread.Yield();
        }
    }
}
