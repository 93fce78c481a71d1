using FsCheck;
using FsCheck.Fluent;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

/// <summary>
/// CRDT laws checked with FsCheck over seeded random edit scripts on three replicas: merge is
/// commutative, associative and idempotent, and any delivery order of the same changes converges.
/// </summary>
public class CrdtLawTests
{
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    private static (AutomergeDocument A, AutomergeDocument B, AutomergeDocument C) Replicas(int seed)
    {
        var rng = new Random(seed);
        var baseDoc = RandomEdits.Base();
        var a = baseDoc.Fork(Actors.Numbered(1));
        var b = baseDoc.Fork(Actors.Numbered(2));
        var c = baseDoc.Fork(Actors.Numbered(3));
        RandomEdits.Apply(a, rng, rng.Next(1, 6));
        RandomEdits.Apply(b, rng, rng.Next(1, 6));
        // Let C see some of A's history before diverging, so the graph has interior merges.
        c.Merge(a);
        RandomEdits.Apply(c, rng, rng.Next(0, 6));
        return (a, b, c);
    }

    private static AutomergeDocument Merged(params AutomergeDocument[] docs)
    {
        var result = docs[0].Fork(Actors.Numbered(9));
        foreach (var doc in docs.Skip(1))
        {
            result.Merge(doc);
        }

        return result;
    }

    private static bool SameState(AutomergeDocument x, AutomergeDocument y) =>
        x.Heads.SequenceEqual(y.Heads) && Docs.Json(x) == Docs.Json(y);

    [Fact]
    public void Merge_IsCommutative()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, _) = Replicas(seed);
            return SameState(Merged(a, b), Merged(b, a));
        });

        Check.One(PropertyConfig.Seeded(60), property);
    }

    [Fact]
    public void Merge_IsAssociative()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, c) = Replicas(seed);
            var left = Merged(Merged(a, b), c);
            var right = Merged(a, Merged(b, c));
            return SameState(left, right);
        });

        Check.One(PropertyConfig.Seeded(60), property);
    }

    [Fact]
    public void Merge_IsIdempotent()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, _) = Replicas(seed);
            var ab = Merged(a, b);
            return SameState(Merged(a, a), a) && SameState(Merged(ab, b), ab) && SameState(Merged(ab, ab), ab);
        });

        Check.One(PropertyConfig.Seeded(60), property);
    }

    [Fact]
    public void ApplyChanges_AnyDeliveryOrder_Converges()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, c) = Replicas(seed);
            var reference = Merged(a, b, c);
            var changes = reference.GetAllChanges().ToArray();
            var rng = new Random(seed ^ 0x5a5a5a);
            rng.Shuffle(changes);

            // Deliver in a random order, in random batch sizes (early changes get queued).
            var target = Docs.New(Actors.Numbered(10));
            for (var i = 0; i < changes.Length;)
            {
                var n = rng.Next(1, 4);
                target.ApplyChanges(changes.Skip(i).Take(n));
                i += n;
            }

            return target.QueuedChangeCount == 0 && SameState(target, reference);
        });

        Check.One(PropertyConfig.Seeded(60), property);
    }

    [Fact]
    public void Merge_AllReplicasPairwise_ConvergeToSameState()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, c) = Replicas(seed);
            a.Merge(b);
            c.Merge(a);
            b.Merge(c);
            a.Merge(c);
            return SameState(a, b) && SameState(b, c);
        });

        Check.One(PropertyConfig.Seeded(40), property);
    }
}
