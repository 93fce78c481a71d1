using System.Text;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>A seeded generator of arbitrary (format-valid) changes for round-trip properties.</summary>
internal sealed class RandomChanges(int seed)
{
    private static readonly string[] Keys = ["", "a", "title", "ключ", "🇬🇧", "a much longer key with spaces", "x"];
    private readonly Random _random = new(seed);

    public Change Next()
    {
        var actors = Enumerable.Range(0, 1 + _random.Next(4)).Select(_ => RandomActor()).Distinct().ToArray();
        var author = actors[0];
        var opCount = _random.Next(4) == 0 ? 0 : _random.Next(1, 40);
        var ops = new List<Op>(opCount);
        for (var i = 0; i < opCount; i++)
        {
            ops.Add(RandomOp(actors));
        }

        var deps = Enumerable.Range(0, _random.Next(4)).Select(_ => RandomHash()).Distinct().ToArray();
        var message = _random.Next(3) switch
        {
            0 => null,
            1 => "change " + _random.Next(1000),
            _ => "héllo 👨‍👨‍👧‍👦 " + _random.Next(),
        };
        var extra = _random.Next(4) == 0 ? RandomBytes(_random.Next(1, 6)) : [];
        var startOp = (ulong)_random.Next(1, 100_000);
        return new Change(author, (ulong)_random.Next(1, 1000), startOp, RandomLong(), message, deps, ops, extra);
    }

    private Op RandomOp(ActorId[] actors)
    {
        var obj = _random.Next(3) == 0 ? ObjId.Root : ObjId.FromOpId(RandomOpId(actors));
        var key = _random.Next(3) switch
        {
            0 => Key.Map(Keys[_random.Next(Keys.Length)]),
            1 => Key.Seq(ElemId.Head),
            _ => Key.Seq(ElemId.FromOpId(RandomOpId(actors))),
        };
        var action = (OpAction)_random.Next(8);
        var value = action == OpAction.Increment
            ? (_random.Next(2) == 0 ? ScalarValue.Int(RandomLong()) : ScalarValue.Uint((ulong)RandomLong()))
            : RandomValue();
        var pred = Enumerable.Range(0, _random.Next(4) == 0 ? _random.Next(1, 5) : 0).Select(_ => RandomOpId(actors)).Order().ToArray();
        var markName = _random.Next(4) == 0 ? Keys[_random.Next(Keys.Length)] : null;
        return new Op(obj, key, _random.Next(2) == 0, action, value, pred, _random.Next(5) == 0, markName);
    }

    private ScalarValue RandomValue() => _random.Next(11) switch
    {
        0 => ScalarValue.Null,
        1 => ScalarValue.Boolean(_random.Next(2) == 0),
        2 => ScalarValue.Uint(_random.Next(2) == 0 ? ulong.MaxValue : (ulong)_random.Next()),
        3 => ScalarValue.Int(RandomLong()),
        4 => ScalarValue.F64(_random.Next(3) == 0 ? double.NegativeZero : _random.NextDouble() * 1e9),
        5 => ScalarValue.Str(Keys[_random.Next(Keys.Length)] + _random.Next(3)),
        6 => ScalarValue.Bytes(RandomBytes(_random.Next(0, 20))),
        7 => ScalarValue.Counter(RandomLong()),
        8 => ScalarValue.Timestamp(RandomLong()),
        9 => ScalarValue.Unknown((byte)_random.Next(10, 16), RandomBytes(_random.Next(0, 5))),
        _ => ScalarValue.Str(new string('z', _random.Next(0, 300))),
    };

    private OpId RandomOpId(ActorId[] actors) =>
        new(_random.Next(3) == 0 ? uint.MaxValue - (ulong)_random.Next(10) : (ulong)_random.Next(1, 200), actors[_random.Next(actors.Length)]);

    private long RandomLong() => _random.Next(4) switch
    {
        0 => _random.Next(-100, 100),
        1 => long.MinValue + _random.Next(3),
        2 => long.MaxValue - _random.Next(3),
        _ => _random.NextInt64(long.MinValue, long.MaxValue),
    };

    private ActorId RandomActor() => ActorId.FromBytes(RandomBytes(_random.Next(3) == 0 ? _random.Next(1, 33) : 16));

    private ChangeHash RandomHash() => ChangeHash.FromBytes(RandomBytes(32));

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    public static string Describe(Change c) =>
        new StringBuilder().Append(c).Append(" message=").Append(c.Message).ToString();
}
