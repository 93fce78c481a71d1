using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Json;

public static partial class AutomergeJson
{
    private static JsonNode? ObjectToNode(AutomergeDocument doc, ObjId obj, ObjType type, int depth)
    {
        if (type == ObjType.Text)
        {
            return JsonValue.Create(doc.Text(obj));
        }

        CheckOutputDepth(depth);
        if (type == ObjType.List)
        {
            var array = new JsonArray();
            foreach (var value in doc.Values(obj))
            {
                array.Add(ValueToNode(doc, value, depth));
            }

            return array;
        }

        var result = new JsonObject();
        foreach (var key in doc.Keys(obj))
        {
            result[key] = ValueToNode(doc, doc.Get(obj, key)!.Value, depth);
        }

        return result;
    }

    private static JsonNode? ValueToNode(AutomergeDocument doc, AutomergeValue value, int depth)
    {
        if (value.ObjectType is { } type)
        {
            return ObjectToNode(doc, value.ObjectId, type, depth + 1);
        }

        var s = value.Scalar;
        return s.Kind switch
        {
            ScalarKind.Boolean => JsonValue.Create(s.AsBoolean),
            ScalarKind.Int or ScalarKind.Counter or ScalarKind.Timestamp => JsonValue.Create(s.AsInt64),
            ScalarKind.Uint => JsonValue.Create(s.AsUInt64),
            ScalarKind.F64 when double.IsFinite(s.AsDouble) => JsonValue.Create(s.AsDouble),
            ScalarKind.Str => JsonValue.Create(s.AsString),
            _ => null,
        };
    }

    private static void WriteObject(AutomergeDocument doc, ObjId obj, ObjType type, Utf8JsonWriter writer, int depth)
    {
        if (type == ObjType.Text)
        {
            writer.WriteStringValue(doc.Text(obj));
            return;
        }

        CheckOutputDepth(depth);
        if (type == ObjType.List)
        {
            writer.WriteStartArray();
            foreach (var value in doc.Values(obj))
            {
                WriteValue(doc, value, writer, depth);
            }

            writer.WriteEndArray();
            return;
        }

        writer.WriteStartObject();
        foreach (var key in doc.Keys(obj))
        {
            writer.WritePropertyName(key);
            WriteValue(doc, doc.Get(obj, key)!.Value, writer, depth);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(AutomergeDocument doc, AutomergeValue value, Utf8JsonWriter writer, int depth)
    {
        if (value.ObjectType is { } type)
        {
            WriteObject(doc, value.ObjectId, type, writer, depth + 1);
            return;
        }

        var s = value.Scalar;
        switch (s.Kind)
        {
            case ScalarKind.Boolean:
                writer.WriteBooleanValue(s.AsBoolean);
                break;
            case ScalarKind.Int or ScalarKind.Counter or ScalarKind.Timestamp:
                writer.WriteNumberValue(s.AsInt64);
                break;
            case ScalarKind.Uint:
                writer.WriteNumberValue(s.AsUInt64);
                break;
            case ScalarKind.F64 when double.IsFinite(s.AsDouble):
                writer.WriteNumberValue(s.AsDouble);
                break;
            case ScalarKind.Str:
                writer.WriteStringValue(s.AsString);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void CheckOutputDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"The document nests deeper than {MaxDepth} levels; it cannot be shown as JSON.");
        }
    }
}
