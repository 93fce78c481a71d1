using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Support;

/// <summary>
/// Seeded random edit scripts over a shared document shape (root scalars, a list, a text, a counter,
/// a nested map), so replicas forked from <see cref="Base"/> edit the same objects concurrently.
/// </summary>
internal static class RandomEdits
{
    private const string Letters = "abcdefgh";

    /// <summary>A base document every replica forks from.</summary>
    public static AutomergeDocument Base()
    {
        var doc = Docs.New(Actors.Numbered(0));
        doc.Change(tx =>
        {
            var list = tx.PutObject(ObjId.Root, "list", ObjType.List);
            tx.Insert(list, 0, ScalarValue.Int(0));
            var text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, "base");
            tx.Put(ObjId.Root, "counter", ScalarValue.Counter(0));
            tx.PutObject(ObjId.Root, "map", ObjType.Map);
        });
        return doc;
    }

    /// <summary>Applies <paramref name="changes"/> random changes of 1..<paramref name="maxOps"/> edits each.</summary>
    public static void Apply(AutomergeDocument doc, Random rng, int changes, int maxOps = 4)
    {
        for (var c = 0; c < changes; c++)
        {
            using var tx = doc.BeginTransaction();
            var ops = rng.Next(1, maxOps + 1);
            for (var i = 0; i < ops; i++)
            {
                Edit(tx, rng);
            }

            tx.Commit();
        }
    }

    private static void Edit(Transaction tx, Random rng)
    {
        var doc = tx.Document;
        var list = doc.Get(ObjId.Root, "list")!.Value.ObjectId;
        var text = doc.Get(ObjId.Root, "text")!.Value.ObjectId;
        var map = doc.Get(ObjId.Root, "map")!.Value.ObjectId;
        switch (rng.Next(10))
        {
            case 0:
                tx.Put(ObjId.Root, "k" + rng.Next(4), RandomScalar(rng));
                break;
            case 1:
                tx.Delete(ObjId.Root, "k" + rng.Next(4));
                break;
            case 2:
                tx.Insert(list, rng.Next(doc.Length(list) + 1), RandomScalar(rng));
                break;
            case 3 when doc.Length(list) > 0:
                tx.Delete(list, rng.Next(doc.Length(list)));
                break;
            case 4 when doc.Length(list) > 0:
                tx.Set(list, rng.Next(doc.Length(list)), RandomScalar(rng));
                break;
            case 5:
            case 6:
                var length = doc.Length(text);
                var pos = rng.Next(length + 1);
                var del = Math.Min(rng.Next(3), length - pos);
                var insert = new string(Enumerable.Range(0, rng.Next(4)).Select(_ => Letters[rng.Next(Letters.Length)]).ToArray());
                tx.SpliceText(text, pos, del, insert);
                break;
            case 7:
                tx.Increment(ObjId.Root, "counter", rng.Next(-5, 6));
                break;
            case 8:
                tx.Put(map, "m" + rng.Next(3), RandomScalar(rng));
                break;
            default:
                var nested = tx.PutObject(map, "nested" + rng.Next(2), ObjType.Map);
                tx.Put(nested, "v", RandomScalar(rng));
                break;
        }
    }

    private static ScalarValue RandomScalar(Random rng) => rng.Next(5) switch
    {
        0 => ScalarValue.Int(rng.Next(-100, 100)),
        1 => ScalarValue.Str(Letters[rng.Next(Letters.Length)].ToString()),
        2 => ScalarValue.Boolean(rng.Next(2) == 0),
        3 => ScalarValue.F64(rng.Next(1000) / 8.0),
        _ => ScalarValue.Null,
    };
}
