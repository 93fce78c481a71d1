using System.Text.Json;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Json;

public static partial class AutomergeJson
{
    private static void UpdateMap(Transaction tx, ObjId obj, JsonElement json)
    {
        var doc = tx.Document;
        var members = Members(json);
        foreach (var key in doc.Keys(obj))
        {
            if (!members.ContainsKey(key))
            {
                tx.Delete(obj, key);
            }
        }

        foreach (var (key, value) in members)
        {
            var current = doc.Get(obj, key);
            if (value.ValueKind == JsonValueKind.Object && current is { ObjectType: ObjType.Map or ObjType.Table } map)
            {
                UpdateMap(tx, map.ObjectId, value);
            }
            else
            {
                WriteMember(tx, obj, key, current, value);
            }
        }
    }

    private static void MergeInto(Transaction tx, ObjId obj, JsonElement patch)
    {
        var doc = tx.Document;
        foreach (var (key, value) in Members(patch))
        {
            var current = doc.Get(obj, key);
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    tx.Delete(obj, key);
                    break;
                case JsonValueKind.Object when current is { ObjectType: ObjType.Map or ObjType.Table } map:
                    MergeInto(tx, map.ObjectId, value);
                    break;
                case JsonValueKind.Object:
                    MergeInto(tx, tx.PutObject(obj, key, ObjType.Map), value);
                    break;
                default:
                    WriteMember(tx, obj, key, current, value);
                    break;
            }
        }
    }

    /// <summary>Writes <paramref name="value"/> at a map key unless its JSON form is already there.</summary>
    private static void WriteMember(Transaction tx, ObjId obj, string key, AutomergeValue? current, JsonElement value)
    {
        if (current is { } existing && Matches(tx.Document, existing, value))
        {
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var map = tx.PutObject(obj, key, ObjType.Map);
                foreach (var (k, v) in Members(value))
                {
                    WriteMember(tx, map, k, null, v);
                }

                break;
            case JsonValueKind.Array:
                FillList(tx, tx.PutObject(obj, key, ObjType.List), value);
                break;
            default:
                tx.Put(obj, key, ToScalar(value, nameof(value)));
                break;
        }
    }

    private static void FillList(Transaction tx, ObjId list, JsonElement array)
    {
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.Object:
                    var map = tx.InsertObject(list, index, ObjType.Map);
                    foreach (var (k, v) in Members(item))
                    {
                        WriteMember(tx, map, k, null, v);
                    }

                    break;
                case JsonValueKind.Array:
                    FillList(tx, tx.InsertObject(list, index, ObjType.List), item);
                    break;
                default:
                    tx.Insert(list, index, ToScalar(item, nameof(array)));
                    break;
            }

            index++;
        }
    }

    /// <summary>Whether the JSON form of <paramref name="current"/> equals <paramref name="json"/>.</summary>
    private static bool Matches(AutomergeDocument doc, AutomergeValue current, JsonElement json)
    {
        switch (current.ObjectType)
        {
            case ObjType.Text:
                return json.ValueKind == JsonValueKind.String && string.Equals(doc.Text(current.ObjectId), json.GetString(), StringComparison.Ordinal);
            case ObjType.List:
                return json.ValueKind == JsonValueKind.Array && ListMatches(doc, current.ObjectId, json);
            case ObjType.Map or ObjType.Table:
                return json.ValueKind == JsonValueKind.Object && MapMatches(doc, current.ObjectId, json);
        }

        var s = current.Scalar;
        return json.ValueKind switch
        {
            JsonValueKind.String => s.Kind == ScalarKind.Str && string.Equals(s.AsString, json.GetString(), StringComparison.Ordinal),
            JsonValueKind.True => s.Kind == ScalarKind.Boolean && s.AsBoolean,
            JsonValueKind.False => s.Kind == ScalarKind.Boolean && !s.AsBoolean,
            JsonValueKind.Null => s.Kind is ScalarKind.Null or ScalarKind.Bytes or ScalarKind.Unknown
                || (s.Kind == ScalarKind.F64 && !double.IsFinite(s.AsDouble)),
            JsonValueKind.Number => NumericEquals(s, ToScalar(json, nameof(json))),
            _ => false,
        };
    }

    private static bool ListMatches(AutomergeDocument doc, ObjId list, JsonElement array)
    {
        var values = doc.Values(list);
        if (values.Count != array.GetArrayLength())
        {
            return false;
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (!Matches(doc, values[i++], item))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MapMatches(AutomergeDocument doc, ObjId map, JsonElement json)
    {
        var members = Members(json);
        var keys = doc.Keys(map);
        if (keys.Count != members.Count)
        {
            return false;
        }

        foreach (var key in keys)
        {
            if (!members.TryGetValue(key, out var value) || !Matches(doc, doc.Get(map, key)!.Value, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The members of a JSON object; for duplicate names the last one wins (as serde_json and JS do).</summary>
    private static Dictionary<string, JsonElement> Members(JsonElement json)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            members[property.Name] = property.Value;
        }

        return members;
    }

    /// <summary>Converts a JSON scalar (string, number, true, false, null) to an Automerge scalar.</summary>
    private static ScalarValue ToScalar(JsonElement json, string paramName)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return ScalarValue.Str(json.GetString()!);
            case JsonValueKind.True:
                return ScalarValue.Boolean(true);
            case JsonValueKind.False:
                return ScalarValue.Boolean(false);
            case JsonValueKind.Null:
                return ScalarValue.Null;
            case JsonValueKind.Number:
                if (json.TryGetInt64(out var l))
                {
                    return ScalarValue.Int(l);
                }

                if (json.TryGetUInt64(out var u))
                {
                    return ScalarValue.Uint(u);
                }

                if (json.TryGetDouble(out var d) && double.IsFinite(d))
                {
                    return ScalarValue.F64(d);
                }

                throw new ArgumentException("JSON number " + json.GetRawText() + " is outside the double range.", paramName);
            default:
                throw new ArgumentException("Expected a JSON scalar, got " + json.ValueKind + ".", paramName);
        }
    }

    /// <summary>Numeric equality across int/uint/counter/timestamp/f64, exact (no rounding of large integers).</summary>
    private static bool NumericEquals(ScalarValue current, ScalarValue incoming)
    {
        if (!TryNumber(current, out var ci, out var cd, out var cIsInt) || !TryNumber(incoming, out var ii, out var id, out var iIsInt))
        {
            return false;
        }

        if (cIsInt && iIsInt)
        {
            return ci == ii;
        }

        if (!cIsInt && !iIsInt)
        {
            return cd.Equals(id);
        }

        var (integer, real) = cIsInt ? (ci, id) : (ii, cd);
        return double.IsFinite(real) && Math.Floor(real) == real && Math.Abs(real) < 1e30 && (Int128)real == integer;
    }

    private static bool TryNumber(ScalarValue value, out Int128 integer, out double real, out bool isInteger)
    {
        integer = 0;
        real = 0;
        isInteger = true;
        switch (value.Kind)
        {
            case ScalarKind.Int or ScalarKind.Counter or ScalarKind.Timestamp:
                integer = value.AsInt64;
                return true;
            case ScalarKind.Uint:
                integer = value.AsUInt64;
                return true;
            case ScalarKind.F64:
                real = value.AsDouble;
                isInteger = false;
                return double.IsFinite(real);
            default:
                return false;
        }
    }
}
