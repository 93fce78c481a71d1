using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>
/// A document's actor table maps stored indices to ranks (bytewise order). Automerge stores it sorted, and the table
/// then skips sorting; any other order must rank the same way, and a repeated actor is a format error either way.
/// </summary>
public class DocumentActorsTests
{
    private static readonly ActorId Low = ActorId.FromBytes([0x01]);
    private static readonly ActorId Mid = ActorId.FromBytes([0x01, 0x00]);
    private static readonly ActorId High = ActorId.FromBytes([0xfe, 0x10]);

    [Fact]
    public void Ranks_SortedTable_AreTheStoredIndices()
    {
        var actors = new DocumentActors([Low, Mid, High]);

        Assert.Equal([0, 1, 2], Enumerable.Range(0, 3).Select(i => actors.RankOf((ulong)i)));
        Assert.Equal([Low, Mid, High], actors.Sorted);
    }

    [Fact]
    public void Ranks_UnsortedTable_FollowBytewiseOrder()
    {
        var actors = new DocumentActors([High, Low, Mid]);

        Assert.Equal([2, 0, 1], Enumerable.Range(0, 3).Select(i => actors.RankOf((ulong)i)));
        Assert.Equal([Low, Mid, High], actors.Sorted);
        Assert.Equal([High, Low, Mid], actors.Stored);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Constructor_RepeatedActor_IsAFormatError(bool sorted)
    {
        ActorId[] stored = sorted ? [Low, Mid, Mid, High] : [Mid, High, Low, Mid];

        var error = Assert.Throws<AutomergeFormatException>(() => new DocumentActors(stored));
        Assert.Contains("appears twice", error.Message, StringComparison.Ordinal);
    }
}
