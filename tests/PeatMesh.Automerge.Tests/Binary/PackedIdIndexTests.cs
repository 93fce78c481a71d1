using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class PackedIdIndexTests
{
    private static ulong Id(ulong counter, ulong actor) => PackedOpId.Pack(counter, actor);

    public static TheoryData<string, ulong[]> IdSets => new()
    {
        // dense: two actors with interleaved, nearly consecutive counters
        { "dense", [Id(1, 0), Id(2, 0), Id(3, 1), Id(4, 0), Id(4, 1), Id(7, 1), Id(5, 0)] },
        // sparse: one actor's counters far apart, so the index must fall back to a dictionary
        { "sparse", [Id(1, 0), Id(5_000_000, 0), Id(2, 1), Id(4_000_000_000, 1)] },
    };

    [Theory]
    [MemberData(nameof(IdSets))]
    public void TryGetValue_EveryIndexedId_ReturnsItsRow(string name, ulong[] ids)
    {
        var index = new PackedIdIndex(ids, actorCount: 2, out var duplicate);

        Assert.True(duplicate == -1, name);
        for (var r = 0; r < ids.Length; r++)
        {
            Assert.True(index.TryGetValue(ids[r], out var row), name + " row " + r);
            Assert.Equal(r, row);
            Assert.Equal(r, index[ids[r]]);
        }
    }

    [Theory]
    [MemberData(nameof(IdSets))]
    public void TryGetValue_IdsNotIndexed_ReturnsFalse(string name, ulong[] ids)
    {
        var index = new PackedIdIndex(ids, actorCount: 2, out _);

        // below an actor's smallest counter, inside its span but unused, above its largest, another actor, root
        foreach (var missing in new[] { Id(3, 0), Id(6, 0), Id(9_000_000_000, 0), Id(1, 5), 0UL })
        {
            if (Array.IndexOf(ids, missing) < 0)
            {
                Assert.False(index.TryGetValue(missing, out _), name + " " + missing);
                Assert.Throws<KeyNotFoundException>(() => index[missing]);
            }
        }
    }

    [Theory]
    [InlineData(10UL)]
    [InlineData(9_000_000UL)]
    public void Constructor_RepeatedId_ReportsFirstRepeat(ulong farCounter)
    {
        ulong[] ids = [Id(1, 0), Id(farCounter, 0), Id(2, 0), Id(1, 0), Id(2, 0)];

        var index = new PackedIdIndex(ids, actorCount: 1, out var duplicate);

        Assert.Equal(3, duplicate);
        Assert.Equal(0, index[Id(1, 0)]); // the first occurrence stays
    }

    [Fact]
    public void TryGetValue_RandomIds_AgreesWithDictionary()
    {
        var random = new Random(20261122);
        for (var round = 0; round < 50; round++)
        {
            var actors = random.Next(1, 5);
            var spread = round % 2 == 0 ? 50 : 50_000_000;
            var seen = new HashSet<ulong>();
            var ids = new List<ulong>();
            for (var i = 0; i < 200; i++)
            {
                var id = Id((ulong)random.Next(1, spread), (ulong)random.Next(actors));
                if (seen.Add(id))
                {
                    ids.Add(id);
                }
            }

            var index = new PackedIdIndex([.. ids], actors, out var duplicate);

            Assert.Equal(-1, duplicate);
            for (var probe = 0; probe < 400; probe++)
            {
                var id = Id((ulong)random.Next(1, spread), (ulong)random.Next(actors + 1));
                var expected = ids.IndexOf(id);
                Assert.Equal(expected >= 0, index.TryGetValue(id, out var row));
                if (expected >= 0)
                {
                    Assert.Equal(expected, row);
                }
            }
        }
    }
}
