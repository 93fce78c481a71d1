using System.Diagnostics;
using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class DocumentRowPoolTests
{
    // A pool of the test's own: document loads in other tests use DocumentRowPool.Shared, so they can neither take the
    // array under test nor leave a larger spare in its place.
    private readonly DocumentRowPool _pool = new();

    [Fact]
    public void Return_ThenRent_GivesTheArrayBackCleared()
    {
        var rows = _pool.Rent(1000);
        Assert.All(rows, row => Assert.Equal(default, row));
        rows[3] = new DocumentOpRow { Id = 7, MapKey = "key", Change = 2 };
        rows[9].Insert = true;
        _pool.Return(rows, 10);

        WaitUntilSpare(rows);
        Assert.Same(rows, _pool.Rent(500));
        Assert.All(rows.AsSpan(0, 10).ToArray(), row => Assert.Equal(default, row));
    }

    [Fact]
    public void Rent_SpareTooSmall_GivesAFreshArrayAndKeepsTheSpare()
    {
        var small = _pool.Rent(100);
        _pool.Return(small, 0);
        WaitUntilSpare(small);

        var large = _pool.Rent(200);
        Assert.NotSame(small, large);
        Assert.True(large.Length >= 200);
        Assert.True(_pool.IsSpare(small));
        Assert.Same(small, _pool.Rent(50));
    }

    private void WaitUntilSpare(DocumentOpRow[] rows)
    {
        // The clearing runs on a thread-pool thread.
        var deadline = Stopwatch.StartNew();
        while (!_pool.IsSpare(rows))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting for the returned rows to become the pool's spare");
            Thread.Yield();
        }
    }
}
