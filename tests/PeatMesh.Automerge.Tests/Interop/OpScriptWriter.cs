using System.Globalization;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// Makes seeded random edits through the C# <see cref="Transaction"/> API and records each as an op of the script format
/// that <c>tests/interop/js/lib/op-script.mjs</c> replays through the Automerge JS API (maps, nested objects, lists, text
/// with emoji, counters, every scalar type, marks). Edits are limited to what both APIs express the same way: JS
/// <c>insertAt</c> turns <c>Uint</c>/<c>Float64</c> wrappers into maps, so list inserts use the other scalar types.
/// </summary>
internal sealed class OpScriptWriter(Random rng)
{
    private static readonly string[] Keys = ["a", "b", "c", "k0", "0", "2", "10", "Z", "é", "😀"];
    private static readonly string[] Chars = ["a", "b", "x", " ", "\n", "\"", "é", "€", "😀", "🇬🇧"];
    private static readonly string[] MarkNames = ["bold", "italic", "link"];
    private static readonly string[] Expands = ["before", "after", "both", "none"];
    private static readonly double[] Fractions = [0.5, -1.25, 3.14159267, 0.1 + 0.2, 1e-7, 123456789.125, -1.5e-300];

    /// <summary>Makes one random edit in <paramref name="tx"/> and appends it to <paramref name="ops"/> (when not null).</summary>
    public void Edit(Transaction tx, JsonArray? ops)
    {
        var doc = tx.Document;
        var (maps, lists, texts) = Containers(doc);
        switch (rng.Next(12))
        {
            case 0 or 1 or 2:
                {
                    var (obj, path) = maps[rng.Next(maps.Count)];
                    var key = Keys[rng.Next(Keys.Length)];
                    var value = Scalar(forListInsert: false);
                    tx.Put(obj, key, value);
                    ops?.Add(new JsonObject { ["op"] = "put", ["path"] = path.DeepClone(), ["key"] = key, ["value"] = ToJson(value) });
                    break;
                }

            case 3:
                {
                    var (obj, path) = maps[rng.Next(maps.Count)];
                    var key = Keys[rng.Next(Keys.Length)];
                    var type = RandomType();
                    var created = tx.PutObject(obj, key, type);
                    ops?.Add(new JsonObject { ["op"] = "putObject", ["path"] = path.DeepClone(), ["key"] = key, ["type"] = TypeName(type) });
                    FillNew(tx, created, type, Append(path, key), ops);
                    break;
                }

            case 4:
                {
                    var (obj, path) = maps[rng.Next(maps.Count)];
                    var key = Keys[rng.Next(Keys.Length)];
                    tx.Delete(obj, key);
                    ops?.Add(new JsonObject { ["op"] = "delete", ["path"] = path.DeepClone(), ["key"] = key });
                    break;
                }

            case 5 when lists.Count > 0:
                {
                    var (list, path) = lists[rng.Next(lists.Count)];
                    var index = rng.Next(doc.Length(list) + 1);
                    if (rng.Next(4) == 0)
                    {
                        var type = RandomType();
                        var created = tx.InsertObject(list, index, type);
                        ops?.Add(new JsonObject { ["op"] = "insertObject", ["path"] = path.DeepClone(), ["index"] = index, ["type"] = TypeName(type) });
                        FillNew(tx, created, type, Append(path, index), ops);
                    }
                    else
                    {
                        var value = Scalar(forListInsert: true);
                        tx.Insert(list, index, value);
                        ops?.Add(new JsonObject { ["op"] = "insert", ["path"] = path.DeepClone(), ["index"] = index, ["value"] = ToJson(value) });
                    }

                    break;
                }

            case 6 when lists.Count > 0:
                {
                    var (list, path) = lists[rng.Next(lists.Count)];
                    var length = doc.Length(list);
                    if (length == 0)
                    {
                        break;
                    }

                    var index = rng.Next(length);
                    if (rng.Next(2) == 0)
                    {
                        tx.Delete(list, index);
                        ops?.Add(new JsonObject { ["op"] = "delete", ["path"] = path.DeepClone(), ["index"] = index });
                    }
                    else
                    {
                        var value = Scalar(forListInsert: false);
                        tx.Set(list, index, value);
                        ops?.Add(new JsonObject { ["op"] = "set", ["path"] = path.DeepClone(), ["index"] = index, ["value"] = ToJson(value) });
                    }

                    break;
                }

            case 7 or 8 when texts.Count > 0:
                {
                    var (text, path) = texts[rng.Next(texts.Count)];
                    var cuts = Boundaries(doc.Text(text));
                    var from = rng.Next(cuts.Count);
                    var to = Math.Min(cuts.Count - 1, from + rng.Next(3));
                    var insert = RandomString(4);
                    tx.SpliceText(text, cuts[from], cuts[to] - cuts[from], insert);
                    ops?.Add(new JsonObject
                    {
                        ["op"] = "splice",
                        ["path"] = path.DeepClone(),
                        ["index"] = cuts[from],
                        ["delete"] = cuts[to] - cuts[from],
                        ["insert"] = insert,
                    });
                    break;
                }

            case 9 or 10:
                IncrementSomeCounter(tx, maps, lists, ops);
                break;

            case 11 when texts.Count > 0:
                {
                    var (text, path) = texts[rng.Next(texts.Count)];
                    var cuts = Boundaries(doc.Text(text));
                    if (cuts.Count < 2)
                    {
                        break;
                    }

                    var start = rng.Next(cuts.Count - 1);
                    var end = start + 1 + rng.Next(cuts.Count - 1 - start);
                    var name = MarkNames[rng.Next(MarkNames.Length)];
                    var expand = Expands[rng.Next(Expands.Length)];
                    var value = rng.Next(5) == 0 ? ScalarValue.Null : new[] { ScalarValue.Boolean(true), ScalarValue.Str("https://x"), ScalarValue.Int(7) }[rng.Next(3)];
                    tx.Mark(text, cuts[start], cuts[end], name, value, Enum.Parse<MarkExpand>(expand, ignoreCase: true));
                    ops?.Add(value.IsNull
                        ? new JsonObject { ["op"] = "unmark", ["path"] = path.DeepClone(), ["start"] = cuts[start], ["end"] = cuts[end], ["name"] = name, ["expand"] = expand }
                        : new JsonObject
                        {
                            ["op"] = "mark",
                            ["path"] = path.DeepClone(),
                            ["start"] = cuts[start],
                            ["end"] = cuts[end],
                            ["name"] = name,
                            ["value"] = ToJson(value),
                            ["expand"] = expand,
                        });
                    break;
                }
        }
    }

    /// <summary>Puts a counter, or increments one that is there (in a map, or in a list).</summary>
    private void IncrementSomeCounter(Transaction tx, List<(ObjId, JsonArray)> maps, List<(ObjId, JsonArray)> lists, JsonArray? ops)
    {
        var doc = tx.Document;
        var by = rng.Next(-5, 6);
        if (lists.Count > 0 && rng.Next(2) == 0)
        {
            var (list, path) = lists[rng.Next(lists.Count)];
            for (var i = 0; i < doc.Length(list); i++)
            {
                if (doc.Get(list, i) is { IsObject: false, Scalar.Kind: ScalarKind.Counter })
                {
                    tx.Increment(list, i, by);
                    ops?.Add(new JsonObject { ["op"] = "increment", ["path"] = path.DeepClone(), ["index"] = i, ["by"] = by });
                    return;
                }
            }
        }

        var (obj, mapPath) = maps[rng.Next(maps.Count)];
        var key = Keys[rng.Next(Keys.Length)];
        if (doc.Get(obj, key) is { IsObject: false, Scalar.Kind: ScalarKind.Counter })
        {
            tx.Increment(obj, key, by);
            ops?.Add(new JsonObject { ["op"] = "increment", ["path"] = mapPath.DeepClone(), ["key"] = key, ["by"] = by });
        }
        else
        {
            var counter = ScalarValue.Counter(rng.Next(-3, 4));
            tx.Put(obj, key, counter);
            ops?.Add(new JsonObject { ["op"] = "put", ["path"] = mapPath.DeepClone(), ["key"] = key, ["value"] = ToJson(counter) });
        }
    }

    /// <summary>A new object starts empty in both APIs; give a new text some content right away.</summary>
    private void FillNew(Transaction tx, ObjId created, ObjType type, JsonArray path, JsonArray? ops)
    {
        if (type == ObjType.Text && rng.Next(2) == 0)
        {
            var insert = RandomString(5);
            tx.SpliceText(created, 0, 0, insert);
            ops?.Add(new JsonObject { ["op"] = "splice", ["path"] = path, ["index"] = 0, ["delete"] = 0, ["insert"] = insert });
        }
    }

    private ObjType RandomType() => rng.Next(3) switch { 0 => ObjType.Map, 1 => ObjType.List, _ => ObjType.Text };

    private static string TypeName(ObjType type) => type switch { ObjType.Map => "map", ObjType.List => "list", _ => "text" };

    private string RandomString(int max)
    {
        var n = rng.Next(max + 1);
        return string.Concat(Enumerable.Range(0, n).Select(_ => Chars[rng.Next(Chars.Length)]));
    }

    /// <summary>A random scalar; list inserts avoid uint and integral f64 (JS insertAt makes their wrappers maps).</summary>
    public ScalarValue Scalar(bool forListInsert)
    {
        while (true)
        {
            switch (rng.Next(12))
            {
                case 0: return ScalarValue.Null;
                case 1: return ScalarValue.Boolean(rng.Next(2) == 0);
                case 2: return ScalarValue.Int(rng.Next(-1000, 1000));
                case 3: return ScalarValue.Int(new[] { (1L << 53) - 1, -(1L << 53), 1L << 60, long.MinValue, long.MaxValue }[rng.Next(5)]);
                case 4: return ScalarValue.F64(Fractions[rng.Next(Fractions.Length)]);
                case 5 when !forListInsert: return ScalarValue.F64(rng.Next(-5, 6));
                case 6 when !forListInsert: return ScalarValue.Uint(new[] { 0UL, 7UL, 1UL << 32, (1UL << 53) - 1 }[rng.Next(4)]);
                case 7: return ScalarValue.Counter(rng.Next(-10, 11));
                case 8: return ScalarValue.Timestamp(new[] { 0L, -1L, 1_700_000_000_123L, -62_198_755_200_000L, 253_402_300_800_000L }[rng.Next(5)]);
                case 9: return ScalarValue.Bytes([.. Enumerable.Range(0, rng.Next(4)).Select(_ => (byte)rng.Next(256))]);
                case 10 or 11: return ScalarValue.Str(RandomString(5));
            }
        }
    }

    /// <summary>A scalar in the script format: <c>{"type": …, "value": …}</c>, integers as decimal strings.</summary>
    public static JsonObject ToJson(ScalarValue value)
    {
        var c = CultureInfo.InvariantCulture;
        return value.Kind switch
        {
            ScalarKind.Null => new JsonObject { ["type"] = "null" },
            ScalarKind.Boolean => new JsonObject { ["type"] = "bool", ["value"] = value.AsBoolean },
            ScalarKind.Int => new JsonObject { ["type"] = "int", ["value"] = value.AsInt64.ToString(c) },
            ScalarKind.Uint => new JsonObject { ["type"] = "uint", ["value"] = value.AsUInt64.ToString(c) },
            ScalarKind.F64 => new JsonObject { ["type"] = "f64", ["value"] = value.AsDouble },
            ScalarKind.Str => new JsonObject { ["type"] = "str", ["value"] = value.AsString },
            ScalarKind.Bytes => new JsonObject { ["type"] = "bytes", ["value"] = Convert.ToHexStringLower(value.AsBytes!) },
            ScalarKind.Counter => new JsonObject { ["type"] = "counter", ["value"] = value.AsInt64.ToString(c) },
            ScalarKind.Timestamp => new JsonObject { ["type"] = "timestamp", ["value"] = value.AsInt64.ToString(c) },
            _ => throw new ArgumentException("No script form for " + value.Kind, nameof(value)),
        };
    }

    private static JsonArray Append(JsonArray path, JsonNode step)
    {
        var result = (JsonArray)path.DeepClone();
        result.Add(step);
        return result;
    }

    private static List<int> Boundaries(string text)
    {
        var cuts = new List<int> { 0 };
        var offset = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            offset += rune.Utf16SequenceLength;
            cuts.Add(offset);
        }

        return cuts;
    }

    /// <summary>Maps, lists and texts reachable from the root within 3 levels, with their paths (empty keys skipped: JS paths cannot address them).</summary>
    private static (List<(ObjId, JsonArray)> Maps, List<(ObjId, JsonArray)> Lists, List<(ObjId, JsonArray)> Texts) Containers(AutomergeDocument doc)
    {
        var maps = new List<(ObjId, JsonArray)> { (ObjId.Root, []) };
        var lists = new List<(ObjId, JsonArray)>();
        var texts = new List<(ObjId, JsonArray)>();
        void Visit(ObjId obj, JsonArray path, int depth)
        {
            if (depth > 3)
            {
                return;
            }

            var children = new List<(AutomergeValue Value, JsonNode Step)>();
            if (doc.ObjectType(obj) == ObjType.List)
            {
                var values = doc.Values(obj);
                for (var i = 0; i < values.Count; i++)
                {
                    children.Add((values[i], i));
                }
            }
            else
            {
                foreach (var key in doc.Keys(obj))
                {
                    if (key.Length > 0)
                    {
                        children.Add((doc.Get(obj, key)!.Value, key));
                    }
                }
            }

            foreach (var (value, step) in children)
            {
                if (value.ObjectType is not { } type)
                {
                    continue;
                }

                var childPath = Append(path, step);
                switch (type)
                {
                    case ObjType.Text:
                        texts.Add((value.ObjectId, childPath));
                        break;
                    case ObjType.List:
                        lists.Add((value.ObjectId, childPath));
                        Visit(value.ObjectId, childPath, depth + 1);
                        break;
                    default:
                        maps.Add((value.ObjectId, childPath));
                        Visit(value.ObjectId, childPath, depth + 1);
                        break;
                }
            }
        }

        Visit(ObjId.Root, [], 0);
        return (maps, lists, texts);
    }
}
