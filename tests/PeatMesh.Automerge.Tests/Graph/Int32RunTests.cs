using PeatMesh.Automerge.Graph;

namespace PeatMesh.Automerge.Tests.Graph;

/// <summary>The change graph's dependency runs: appends, adopted arrays (not copied), slices and bounds.</summary>
public class Int32RunTests
{
    [Fact]
    public void Add_PastTheInitialCapacity_KeepsEveryItemInOrder()
    {
        var run = new Int32Run(0);
        for (var i = 1; i <= 100; i++)
        {
            run.Add(i);
        }

        Assert.Equal(101, run.Count);
        Assert.Equal(Enumerable.Range(0, 101), run.Slice(0, run.Count).ToArray());
        Assert.Equal([40, 41, 42], run.Slice(40, 43).ToArray());
    }

    [Fact]
    public void Adopt_UsesTheArrayAndAppendsOnlyPastTheCount()
    {
        int[] adopted = [7, 8, 9, -1, -1];
        var run = new Int32Run();

        run.Adopt(adopted, 3);
        run.Add(10);

        Assert.Equal([7, 8, 9, 10], run.Slice(0, run.Count).ToArray());
        Assert.Equal([7, 8, 9, 10, -1], adopted); // taken over, not copied: entries before the count are untouched
        run.Add(11);
        run.Add(12); // beyond the array: the run moves to a larger copy
        Assert.Equal([7, 8, 9, 10, 11, 12], run.Slice(0, run.Count).ToArray());
        Assert.Equal([7, 8, 9, 10, 11], adopted);
    }

    [Fact]
    public void Indexer_And_Adopt_RejectOutOfRangeArguments()
    {
        var run = new Int32Run(1, 2);

        Assert.Equal(2, run[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => run[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => run[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Adopt([1, 2], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Adopt([1, 2], -1));
    }
}
