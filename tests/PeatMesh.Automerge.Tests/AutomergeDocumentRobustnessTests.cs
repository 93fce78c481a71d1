using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentRobustnessTests
{
    /// <summary>
    /// Remote changes full of random ops (unknown objects and elements, wrong key kinds, marks, increments
    /// of non-counters, random preds) are either applied or rejected with AutomergeFormatException, and
    /// the document stays readable and consistent (a rejected change leaves no trace).
    /// </summary>
    [Fact]
    public void ApplyChanges_RandomOps_AppliedOrRejectedCleanly()
    {
        var rng = new Random(31337);
        var doc = RandomEdits.Base().Fork(Actors.A);
        RandomEdits.Apply(doc, rng, 5);
        var remote = Actors.B;
        ulong seq = 0;
        var applied = 0;
        var rejected = 0;
        for (var round = 0; round < 3000; round++)
        {
            var known = doc.GetAllChanges().SelectMany(c => Enumerable.Range(0, c.Ops.Count).Select(c.OpIdAt)).ToList();
            var ops = new List<Op>();
            for (var i = rng.Next(1, 3); i > 0; i--)
            {
                ops.Add(RandomOp(rng, known));
            }

            var change = new Change(remote, seq + 1, doc.MaxOp + 1, 0, null, doc.Heads, ops);
            var before = Docs.Json(doc);
            var headsBefore = doc.Heads;
            try
            {
                doc.ApplyChanges([change]);
                seq++;
                applied++;
            }
            catch (AutomergeFormatException)
            {
                rejected++;
                Assert.Equal(before, Docs.Json(doc));
                Assert.Equal(headsBefore, doc.Heads);
            }

            AutomergeJson.ToJsonNode(doc);
        }

        Assert.True(applied > 20, $"only {applied} random changes applied");
        Assert.True(rejected > 20, $"only {rejected} random changes rejected");
        var reloaded = AutomergeDocument.Load(doc.Save());
        Assert.Equal(doc.Heads, reloaded.Heads);
        Assert.Equal(Docs.Json(doc), Docs.Json(reloaded));
    }

    private static Op RandomOp(Random rng, List<OpId> known)
    {
        OpId Pick() => rng.Next(8) == 0 ? new OpId((ulong)rng.Next(1, 500), Actors.C) : known[rng.Next(known.Count)];
        var obj = rng.Next(3) == 0 ? ObjId.Root : ObjId.FromOpId(Pick());
        var key = rng.Next(2) == 0 ? Key.Map("k" + rng.Next(3))
            : rng.Next(4) == 0 ? Key.Seq(ElemId.Head) : Key.Seq(ElemId.FromOpId(Pick()));
        var action = (OpAction)rng.Next(8);
        var value = rng.Next(4) switch
        {
            0 => ScalarValue.Int(rng.Next(-5, 5)),
            1 => ScalarValue.Counter(rng.Next(5)),
            2 => ScalarValue.Str("x"),
            _ => ScalarValue.Null,
        };
        var pred = Enumerable.Range(0, rng.Next(3)).Select(_ => Pick()).Distinct().Order().ToArray();
        return new Op(obj, key, rng.Next(2) == 0, action, value, pred, rng.Next(2) == 0, action == OpAction.Mark ? "bold" : null);
    }
}
