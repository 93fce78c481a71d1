using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

public class PendingPredsTests
{
    /// <summary>Rows 0..count-1 with ids whose order differs from the row order, so pred sorting is observable.</summary>
    private static DocumentOps NewOps(int count)
    {
        var ops = new DocumentOps(new DocumentActors([Actors.A]), count, 16);
        for (var r = 0; r < count; r++)
        {
            ops.Add(new DocumentOpRow { Id = PackedOpId.Pack((ulong)((r * 7919 % count) + 1), 0) });
        }

        return ops;
    }

    private static List<int> PredsAddedBy(DocumentOps ops, Func<int> take)
    {
        var start = ops.PredPosition;
        var count = take();
        Assert.Equal(start + count, ops.PredPosition);
        return [.. ops.PredRows.AsSpan(start, count).ToArray()];
    }

    [Fact]
    public void TakeInto_RandomGroups_MatchesDictionaryModel()
    {
        var random = new Random(7);
        var ops = NewOps(500);
        var pending = new PendingPreds();
        for (var group = 0; group < 200; group++)
        {
            var model = new Dictionary<ulong, List<int>>();
            var order = new List<ulong>();
            var steps = random.Next(1, group % 10 == 0 ? 400 : 12); // some groups grow the table
            for (var step = 0; step < steps; step++)
            {
                var id = (ulong)random.Next(1, 300);
                if (random.Next(3) > 0)
                {
                    var row = random.Next(500);
                    pending.Add(id, row);
                    if (!model.TryGetValue(id, out var rows))
                    {
                        model[id] = rows = [];
                        order.Add(id);
                    }

                    rows.Add(row);
                }
                else
                {
                    var taken = PredsAddedBy(ops, () => pending.TakeInto(id, ops));
                    Assert.Equal(Sorted(ops, model.GetValueOrDefault(id)), taken);
                    model.Remove(id);
                    order.Remove(id);
                }
            }

            // The group's end: every id still pending, in insertion order, with its rows ascending by op id.
            var flushed = new List<ulong>();
            for (var i = 0; i < pending.AddedCount; i++)
            {
                var id = pending.AddedAt(i, out var isPending);
                if (isPending)
                {
                    var taken = PredsAddedBy(ops, () => pending.TakeAddedInto(i, ops));
                    Assert.Equal(Sorted(ops, model[id]), taken);
                    flushed.Add(id);
                }
            }

            Assert.Equal(order, flushed);
            pending.Clear();
            Assert.True(pending.IsEmpty);
        }
    }

    [Fact]
    public void TakeInto_UnknownId_AddsNothing()
    {
        var ops = NewOps(4);
        var pending = new PendingPreds();
        pending.Add(5, 1);

        Assert.Equal(0, pending.TakeInto(6, ops));
        Assert.Equal(1, pending.TakeInto(5, ops));
        Assert.Equal(0, pending.TakeInto(5, ops));
    }

    private static List<int> Sorted(DocumentOps ops, List<int>? rows) =>
        rows is null ? [] : [.. rows.OrderBy(r => ops.Rows[r].Id)];
}
