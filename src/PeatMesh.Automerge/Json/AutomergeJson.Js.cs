using System.Text;
using System.Text.Json;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge.Json;

public static partial class AutomergeJson
{
    /// <summary>
    /// The document as Automerge JS 3.5.0 prints it with <c>JSON.stringify(Automerge.toJS(doc))</c>: no whitespace,
    /// JavaScript property order (array-index keys such as <c>"2"</c> first in numeric order, then Automerge's key
    /// order), JavaScript number and string spelling, conflict winners only.
    /// </summary>
    /// <remarks>
    /// Values (checked against node 20 and <c>@automerge/automerge@3.5.0</c>): map/table → object, list → array,
    /// text → string (marks are not shown), str → string, counter → its current value, int → number, f64 →
    /// number as JavaScript spells it (<c>1e+21</c>, <c>1e-7</c>, <c>-0</c> → <c>0</c>; NaN and ±Infinity →
    /// <c>null</c>), boolean, null, timestamp → <c>Date.toJSON()</c> string (<c>"2023-11-14T22:13:20.123Z"</c>,
    /// <c>"+010000-01-01T00:00:00.000Z"</c>; <c>null</c> outside ±8.64e15 ms, where a JS Date is invalid), bytes →
    /// <c>{"0":1,"1":2}</c> (how JSON.stringify prints a Uint8Array).
    /// Where JS throws instead of printing: <c>toJS</c> returns a BigInt for every uint and for ints/counters
    /// outside −(2^53−1) … 2^53−2, and <c>JSON.stringify</c> throws <c>TypeError: Do not know how to serialize a
    /// BigInt</c>; this method prints their exact decimal value as a JSON number instead (what a BigInt-aware
    /// stringify prints). Unknown scalar types print as <c>null</c>.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The document nests deeper than <see cref="MaxDepth"/>.</exception>
    public static string ToJsJson(AutomergeDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var output = new StringBuilder();
        JsJsonWriter.Write(doc, output);
        return output.ToString();
    }

    /// <summary>
    /// Creates a document holding <paramref name="json"/> the way <c>Automerge.from(JSON.parse(text))</c> does in
    /// Automerge JS 3.5.0: one change whose ops are byte-identical to JS's for the same actor and time (strings
    /// become TEXT objects, see <see cref="Import"/>). An empty object gives a document without changes.
    /// </summary>
    /// <param name="json">A JSON object (the root map).</param>
    /// <param name="actor">The document's actor; random when null.</param>
    /// <param name="time">The change time in seconds since the Unix epoch; now when null.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="json"/> is not an object, nests deeper than <see cref="MaxDepth"/>, holds a number outside
    /// the double range or a string with a lone surrogate.
    /// </exception>
    public static AutomergeDocument FromJson(JsonElement json, ActorId? actor = null, long? time = null)
    {
        var doc = new AutomergeDocument(actor);
        using var tx = doc.BeginTransaction();
        Import(tx, ObjId.Root, json);
        tx.Commit(time: time);
        return doc;
    }

    /// <summary>
    /// Writes every member of the JSON object <paramref name="json"/> into map <paramref name="obj"/> as
    /// <c>Automerge.from</c> writes its initial state (Automerge JS 3.5.0, verified op by op): objects → maps,
    /// arrays → lists, strings → TEXT objects (one insert per Unicode code point), true/false, null, and numbers as
    /// Automerge.from stores what JSON.parse gives: positive integral values (<c>1</c>, <c>1.0</c>, <c>1e3</c>) → int,
    /// every other number — <c>0</c>, <c>-0</c>, negative numbers (even integers: <c>-5</c>) and fractions — → f64.
    /// Ops are made breadth-first: all members of one object (map keys in ascending UTF-8 order, list items in order),
    /// creating nested objects empty, then the nested objects' contents in the order they were created.
    /// </summary>
    /// <remarks>
    /// Where JSON.parse cannot hold a positive integer exactly, the exact value is kept instead of copying JS's loss:
    /// integers from 2^53 up to 2^63−1 keep all their digits (JS: rounded to a double), integers from 2^63 to 2^64−1
    /// become uint (JS: saturates to int 2^63−1), and larger numbers are f64.
    /// </remarks>
    /// <param name="tx">The transaction to write in.</param>
    /// <param name="obj">A map (usually <see cref="ObjId.Root"/>).</param>
    /// <param name="json">A JSON object.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="json"/> is not an object, nests deeper than <see cref="MaxDepth"/>, holds a number outside
    /// the double range or a string with a lone surrogate; or <paramref name="obj"/> is not a map. Nothing is
    /// written then.
    /// </exception>
    public static void Import(Transaction tx, ObjId obj, JsonElement json)
    {
        ArgumentNullException.ThrowIfNull(tx);
        try
        {
            RequireObjectInput(tx, obj, json, nameof(json));
            ValidateImport(json, nameof(json));
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json cannot turn an escaped lone surrogate ("\ud800") into a string.
            throw new ArgumentException("A JSON string contains a lone surrogate (invalid UTF-16): " + e.Message, nameof(json), e);
        }

        var pending = new Queue<(ObjId Obj, JsonElement Value)>();
        pending.Enqueue((obj, json));
        while (pending.TryDequeue(out var item))
        {
            switch (item.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var (key, value) in SortedMembers(item.Value))
                    {
                        if (ImportType(value) is { } type)
                        {
                            pending.Enqueue((tx.PutObject(item.Obj, key, type), value));
                        }
                        else
                        {
                            tx.Put(item.Obj, key, ToJsScalar(value, nameof(json)));
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var value in item.Value.EnumerateArray())
                    {
                        if (ImportType(value) is { } type)
                        {
                            pending.Enqueue((tx.InsertObject(item.Obj, index, type), value));
                        }
                        else
                        {
                            tx.Insert(item.Obj, index, ToJsScalar(value, nameof(json)));
                        }

                        index++;
                    }

                    break;
                default:
                    tx.SpliceText(item.Obj, 0, 0, item.Value.GetString()!);
                    break;
            }
        }
    }

    private static ObjType? ImportType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => ObjType.Map,
        JsonValueKind.Array => ObjType.List,
        JsonValueKind.String => ObjType.Text,
        _ => null,
    };

    /// <summary>The members of a JSON object (last duplicate wins, as JSON.parse) in ascending UTF-8 key order.</summary>
    private static List<KeyValuePair<string, JsonElement>> SortedMembers(JsonElement json)
    {
        var members = Members(json).ToList();
        members.Sort((a, b) => Utf8KeyComparer.Instance.Compare(a.Key, b.Key));
        return members;
    }

    /// <summary>Rejects what <see cref="Import"/> cannot write before it writes anything: strings with lone surrogates.</summary>
    private static void ValidateImport(JsonElement json, string paramName)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    RequireWellFormed(property.Name, paramName);
                    ValidateImport(property.Value, paramName);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    ValidateImport(item, paramName);
                }

                break;
            case JsonValueKind.String:
                RequireWellFormed(json.GetString()!, paramName);
                break;
            case JsonValueKind.Number:
                _ = ToJsScalar(json, paramName);
                break;
        }
    }

    private static void RequireWellFormed(string value, string paramName)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw new ArgumentException("A JSON string contains a lone surrogate (\\u" + ((int)value[i]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + ").", paramName);
            }
        }
    }

    /// <summary>A JSON scalar as Automerge JS stores the value JSON.parse gives (see <see cref="Import"/> for integers).</summary>
    private static ScalarValue ToJsScalar(JsonElement json, string paramName)
    {
        if (json.ValueKind != JsonValueKind.Number)
        {
            return ToScalar(json, paramName);
        }

        if (json.TryGetInt64(out var l) && l > 0)
        {
            return ScalarValue.Int(l);
        }

        if (json.TryGetUInt64(out var u))
        {
            return ScalarValue.Uint(u);
        }

        if (!json.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            throw new ArgumentException("JSON number " + json.GetRawText() + " is outside the double range.", paramName);
        }

        // Automerge.from stores positive integral numbers as int and every other number (0, -0, negatives, fractions) as f64.
        return d > 0 && Math.Floor(d) == d && d < 9.2233720368547758E18 ? ScalarValue.Int((long)d) : ScalarValue.F64(d);
    }
}
