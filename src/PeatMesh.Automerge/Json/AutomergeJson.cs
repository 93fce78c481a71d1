using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Json;

/// <summary>
/// Maps documents to JSON and JSON into documents, as the reference's <c>json_convert.rs</c> does
/// (spec <c>peat-mesh-reference.md</c> §2.11), with PUT (<see cref="Update"/>) and RFC 7396 merge-patch
/// (<see cref="MergePatch"/>) write-back that only writes what differs.
/// </summary>
/// <remarks>
/// Stateless; thread-safe as far as the document and transaction passed in are used by one caller.
/// Document → JSON: maps and tables → objects (keys in Automerge order), lists → arrays, text →
/// string, counter → its current value, int/uint/f64 → number, timestamp → number (milliseconds),
/// str → string, bool, null; bytes, unknown scalar types and non-finite f64 → null. Of conflicting
/// values, only the winner appears.
/// JSON → document: objects → maps, arrays → lists, strings → <see cref="ScalarKind.Str"/> scalars,
/// integers → <see cref="ScalarKind.Int"/> (<see cref="ScalarKind.Uint"/> above <see cref="long.MaxValue"/>),
/// other numbers → <see cref="ScalarKind.F64"/>, true/false, null.
/// A value is "unchanged" when its current JSON form equals the new JSON value (so writing back what
/// <see cref="ToJsonNode(AutomergeDocument)"/> returned produces no ops).
/// </remarks>
public static partial class AutomergeJson
{
    /// <summary>Maximum nesting depth (objects and arrays, the root object counting as 1) read or written: 64.</summary>
    public const int MaxDepth = 64;

    /// <summary>The whole document (its root map) as a JSON object.</summary>
    /// <exception cref="InvalidOperationException">The document nests deeper than <see cref="MaxDepth"/>.</exception>
    public static JsonObject ToJsonNode(AutomergeDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return (JsonObject)ToJsonNode(doc, ObjId.Root)!;
    }

    /// <summary>One object of the document as JSON (an object for maps, an array for lists, a string for text).</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not in the document.</exception>
    /// <exception cref="InvalidOperationException">The object nests deeper than <see cref="MaxDepth"/>.</exception>
    public static JsonNode? ToJsonNode(AutomergeDocument doc, ObjId obj)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var type = doc.ObjectType(obj) ?? throw new ArgumentException("No object " + obj + " in the document.", nameof(obj));
        return ObjectToNode(doc, obj, type, 1);
    }

    /// <summary>Writes the whole document (its root map) as a JSON object to <paramref name="writer"/>.</summary>
    /// <exception cref="InvalidOperationException">The document nests deeper than <see cref="MaxDepth"/>.</exception>
    public static void WriteJson(AutomergeDocument doc, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(writer);
        WriteObject(doc, ObjId.Root, ObjType.Map, writer, 1);
    }

    /// <summary>
    /// Makes map <paramref name="obj"/> equal to the JSON object <paramref name="json"/> (PUT semantics):
    /// keys absent from <paramref name="json"/> are deleted; values whose JSON form is unchanged produce no
    /// ops; nested objects that already exist as maps are updated recursively (so concurrent edits of
    /// different nested fields merge); arrays whose content differs are replaced by a new list; other
    /// values are overwritten.
    /// </summary>
    /// <param name="tx">The transaction to write in.</param>
    /// <param name="obj">A map (usually <see cref="ObjId.Root"/>).</param>
    /// <param name="json">A JSON object.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="json"/> is not an object, nests deeper than <see cref="MaxDepth"/>, or holds a
    /// number outside the double range; or <paramref name="obj"/> is not a map. Nothing is written then.
    /// </exception>
    public static void Update(Transaction tx, ObjId obj, JsonElement json)
    {
        ArgumentNullException.ThrowIfNull(tx);
        RequireObjectInput(tx, obj, json, nameof(json));
        UpdateMap(tx, obj, json);
    }

    /// <summary>
    /// Applies an RFC 7396 JSON merge patch to map <paramref name="obj"/>: <c>null</c> members delete keys,
    /// object members merge recursively into existing maps (or create maps, dropping nulls), and any other
    /// member replaces the value; values whose JSON form is unchanged produce no ops.
    /// </summary>
    /// <param name="tx">The transaction to write in.</param>
    /// <param name="obj">A map (usually <see cref="ObjId.Root"/>).</param>
    /// <param name="patch">A JSON object.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="patch"/> is not an object, nests deeper than <see cref="MaxDepth"/>, or holds a
    /// number outside the double range; or <paramref name="obj"/> is not a map. Nothing is written then.
    /// </exception>
    public static void MergePatch(Transaction tx, ObjId obj, JsonElement patch)
    {
        ArgumentNullException.ThrowIfNull(tx);
        RequireObjectInput(tx, obj, patch, nameof(patch));
        MergeInto(tx, obj, patch);
    }

    private static void RequireObjectInput(Transaction tx, ObjId obj, JsonElement json, string paramName)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("Expected a JSON object, got " + json.ValueKind + ".", paramName);
        }

        if (tx.Document.ObjectType(obj) is not (ObjType.Map or ObjType.Table))
        {
            throw new ArgumentException("Object " + obj + " is not a map.", nameof(obj));
        }

        ValidateInput(json, 1, paramName);
    }

    private static void ValidateInput(JsonElement json, int depth, string paramName)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                if (depth > MaxDepth)
                {
                    throw new ArgumentException($"JSON nests deeper than {MaxDepth} levels.", paramName);
                }

                if (json.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in json.EnumerateObject())
                    {
                        ValidateInput(property.Value, depth + 1, paramName);
                    }
                }
                else
                {
                    foreach (var item in json.EnumerateArray())
                    {
                        ValidateInput(item, depth + 1, paramName);
                    }
                }

                break;
            case JsonValueKind.Number:
                _ = ToScalar(json, paramName);
                break;
        }
    }
}
