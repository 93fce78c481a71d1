using PeatMesh.Storage;

namespace PeatMesh.Tests.Storage;

public class TombstoneTests
{
    private static readonly DocumentKey Doc = DocumentKey.Create("c", "d");

    [Theory]
    [InlineData(5UL, "a", 4UL, "z", true)]   // higher Lamport wins regardless of node
    [InlineData(4UL, "z", 5UL, "a", false)]
    [InlineData(5UL, "b", 5UL, "a", true)]   // tie: ordinally greater deleted_by wins
    [InlineData(5UL, "a", 5UL, "b", false)]
    [InlineData(5UL, "a", 5UL, "a", false)]  // identical: not newer
    [InlineData(5UL, "B", 5UL, "a", false)]  // ordinal, not culture: 'B' (0x42) < 'a' (0x61)
    public void Supersedes_LamportThenDeletedBy_DecidesNewer(ulong lamport, string by, ulong otherLamport, string otherBy, bool expected)
    {
        var candidate = new Tombstone(Doc, DateTimeOffset.UnixEpoch, lamport, by);
        var stored = new Tombstone(Doc, DateTimeOffset.UnixEpoch.AddYears(1), otherLamport, otherBy);

        Assert.Equal(expected, candidate.Supersedes(stored));
    }

    [Fact]
    public void Supersedes_Null_Throws()
    {
        var tombstone = new Tombstone(Doc, DateTimeOffset.UnixEpoch, 1, "a");

        Assert.Throws<ArgumentNullException>(() => tombstone.Supersedes(null!));
    }
}
