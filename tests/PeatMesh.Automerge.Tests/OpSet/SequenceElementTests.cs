using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.OpSet;

/// <summary>
/// The element's op list is kept in one field (itself, an exact-length array, or nothing); these tests check it
/// against a plain sorted list — the representation it replaced — on seeded random add/remove sequences.
/// </summary>
public class SequenceElementTests
{
    private static readonly SequenceState Owner = new(ObjId.FromOpId(new OpId(1, Actors.C)), ObjType.List);

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void AddOpRemoveOp_RandomSequences_MatchSortedListModel(int seed, bool markElement)
    {
        var rng = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var id = new OpId((ulong)rng.Next(1, 50), Actors.A);
            SequenceElement element = markElement
                ? new MarkOpRecord(id, Owner, null, ScalarValue.Null, "bold", expand: true)
                : SequenceElement.Create(id, Owner, null, OpAction.Set, ScalarValue.Int(round));
            var model = new List<OpRecord>();
            if (!markElement)
            {
                model.Add(element);
            }

            Assert.Equal(model, element.Ops.ToArray());
            for (var step = 0; step < 12; step++)
            {
                if (model.Count > 0 && rng.Next(3) == 0)
                {
                    var victim = model[rng.Next(model.Count)];
                    model.Remove(victim);
                    element.RemoveOp(victim);
                }
                else
                {
                    var actor = rng.Next(2) == 0 ? Actors.A : Actors.B;
                    var op = OpRecord.ForElement(new OpId(id.Counter + 1 + (ulong)rng.Next(1000), actor), Owner, element, OpAction.Set, ScalarValue.Int(step));
                    var at = model.FindLastIndex(o => o.Id.CompareTo(op.Id) <= 0) + 1;
                    model.Insert(at, op);
                    element.AddOp(op);
                }

                Assert.Equal(model, element.Ops.ToArray());
                var expectedWinner = model.LastOrDefault(o => o.Visible);
                Assert.Same(expectedWinner, element.Winner);
            }
        }
    }

    [Fact]
    public void RemoveOp_UnknownOp_LeavesOpsUnchanged()
    {
        var element = SequenceElement.Create(new OpId(1, Actors.A), Owner, null, OpAction.Set, ScalarValue.Str("x"));
        var stranger = OpRecord.ForElement(new OpId(2, Actors.A), Owner, element, OpAction.Set, ScalarValue.Str("y"));

        element.RemoveOp(stranger);

        Assert.Equal([element], element.Ops.ToArray());
    }

    [Fact]
    public void SetCounted_NotVisible_ReportsZeroWidths()
    {
        var element = SequenceElement.Create(new OpId(1, Actors.A), Owner, null, OpAction.Set, ScalarValue.Str(""));

        element.SetCounted(true, 0, 0);
        Assert.True(element.CountedVisible);
        Assert.Equal(0, element.CountedWidth);

        element.SetCounted(false, 5, 3);
        Assert.False(element.CountedVisible);
        Assert.Equal(0, element.CountedWidth);
        Assert.Equal(0, element.CountedCodePoints);

        element.SetCounted(true, 2, 1);
        Assert.Equal((true, 2, 1), (element.CountedVisible, element.CountedWidth, element.CountedCodePoints));
    }

    [Fact]
    public void Increments_OnlyCounterRecordsStoreThem()
    {
        var counter = SequenceElement.Create(new OpId(1, Actors.A), Owner, null, OpAction.Set, ScalarValue.Counter(5));
        var overwrite = OpRecord.ForElement(new OpId(2, Actors.A), Owner, counter, OpAction.Set, ScalarValue.Counter(7));
        var plain = SequenceElement.Create(new OpId(3, Actors.A), Owner, null, OpAction.Set, ScalarValue.Int(5));

        counter.Increments = 3;
        overwrite.Increments = -2;

        Assert.Equal(ScalarValue.Counter(8), counter.ToValue().Scalar);
        Assert.Equal(ScalarValue.Counter(5), overwrite.ToValue().Scalar);
        Assert.Equal(0, plain.Increments);
        Assert.Throws<InvalidOperationException>(() => plain.Increments = 1);
    }
}
