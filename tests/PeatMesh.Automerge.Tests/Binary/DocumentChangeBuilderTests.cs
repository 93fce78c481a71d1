using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

public class DocumentChangeBuilderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Assign_EveryCounter_FindsTheChangeCoveringIt(int seed)
    {
        // Actor A: 150 changes of 0–3 ops each (dense counters: the counter table is used); actor B: 5 changes of
        // 40 ops each (binary search). Rows interleave the two actors.
        var rng = new Random(seed);
        var rows = new List<DocumentChangeRow>();
        var expected = new Dictionary<(int Actor, ulong Counter), int>();
        ulong maxA = 0, maxB = 0;
        for (var i = 0; i < 155; i++)
        {
            var actor = i % 31 == 30 ? 1 : 0;
            var ops = actor == 0 ? (ulong)rng.Next(4) : 40UL;
            ref var max = ref actor == 0 ? ref maxA : ref maxB;
            for (var k = 1UL; k <= ops; k++)
            {
                expected[(actor, max + k)] = rows.Count;
            }

            max += ops;
            var seq = (ulong)rows.Count(r => r.Actor == actor) + 1;
            rows.Add(new DocumentChangeRow(actor, seq, max, 0, null, []));
        }

        var builder = new DocumentChangeBuilder(new DocumentActors([Actors.A, Actors.B]), new DocumentChangeTable([.. rows], new int[rows.Count + 1], []));

        // In a shuffled order, so that the previous op's change rarely answers.
        foreach (var ((actor, counter), change) in expected.OrderBy(_ => rng.Next()))
        {
            Assert.Equal(change, builder.Assign(PackedOpId.Pack(counter, (ulong)actor)));
        }

        var beyondA = Assert.Throws<AutomergeFormatException>(() => builder.Assign(PackedOpId.Pack(maxA + 1, 0)));
        Assert.Contains("belongs to no change", beyondA.Message);
        var beyondB = Assert.Throws<AutomergeFormatException>(() => builder.Assign(PackedOpId.Pack(maxB + 1, 1)));
        Assert.Contains("belongs to no change", beyondB.Message);
    }
}
