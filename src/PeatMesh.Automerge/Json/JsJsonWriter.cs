using System.Globalization;
using System.Text;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Json;

/// <summary>
/// Writes a document as <c>JSON.stringify(Automerge.toJS(doc))</c> prints it with <c>@automerge/automerge</c> 3.5.0
/// (mapping in <see cref="AutomergeJson.ToJsJson"/>): no whitespace, JavaScript property order, JavaScript number
/// and string spelling.
/// </summary>
/// <remarks>Not thread-safe; one instance writes one document.</remarks>
internal sealed class JsJsonWriter
{
    private readonly AutomergeDocument _doc;
    private readonly StringBuilder _out;

    private JsJsonWriter(AutomergeDocument doc, StringBuilder output)
    {
        _doc = doc;
        _out = output;
    }

    /// <summary>Appends the JSON of the whole document (its root map) to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidOperationException">The document nests deeper than <see cref="AutomergeJson.MaxDepth"/>.</exception>
    public static void Write(AutomergeDocument doc, StringBuilder output) =>
        new JsJsonWriter(doc, output).WriteObject(ObjId.Root, ObjType.Map, 1);

    private void WriteObject(ObjId obj, ObjType type, int depth)
    {
        if (type == ObjType.Text)
        {
            WriteString(_doc.Text(obj));
            return;
        }

        if (depth > AutomergeJson.MaxDepth)
        {
            throw new InvalidOperationException($"The document nests deeper than {AutomergeJson.MaxDepth} levels; it cannot be shown as JSON.");
        }

        if (type == ObjType.List)
        {
            _out.Append('[');
            var first = true;
            foreach (var value in _doc.Values(obj))
            {
                if (!first)
                {
                    _out.Append(',');
                }

                first = false;
                WriteValue(value, depth);
            }

            _out.Append(']');
            return;
        }

        _out.Append('{');
        var firstMember = true;
        foreach (var key in JsPropertyOrder(_doc.Keys(obj)))
        {
            if (!firstMember)
            {
                _out.Append(',');
            }

            firstMember = false;
            WriteString(key);
            _out.Append(':');
            WriteValue(_doc.Get(obj, key)!.Value, depth);
        }

        _out.Append('}');
    }

    private void WriteValue(AutomergeValue value, int depth)
    {
        if (value.ObjectType is { } type)
        {
            WriteObject(value.ObjectId, type, depth + 1);
            return;
        }

        var s = value.Scalar;
        switch (s.Kind)
        {
            case ScalarKind.Boolean:
                _out.Append(s.AsBoolean ? "true" : "false");
                break;
            case ScalarKind.Int or ScalarKind.Counter:
                _out.Append(s.AsInt64.ToString(CultureInfo.InvariantCulture));
                break;
            case ScalarKind.Uint:
                _out.Append(s.AsUInt64.ToString(CultureInfo.InvariantCulture));
                break;
            case ScalarKind.F64 when double.IsFinite(s.AsDouble):
                JsNumberFormat.Append(_out, s.AsDouble);
                break;
            case ScalarKind.Str:
                WriteString(s.AsString!);
                break;
            case ScalarKind.Timestamp when JsDateFormat.IsValid(s.AsInt64):
                _out.Append('"');
                JsDateFormat.Append(_out, s.AsInt64);
                _out.Append('"');
                break;
            case ScalarKind.Bytes:
                WriteBytes(s.AsBytes!);
                break;
            default:
                // null, non-finite f64 (JSON.stringify prints NaN/Infinity as null), a timestamp outside the
                // range of a JavaScript Date (toJSON gives null), unknown scalar types.
                _out.Append("null");
                break;
        }
    }

    /// <summary>A Uint8Array serialises as an object of its indexes: <c>{"0":1,"1":2}</c>.</summary>
    private void WriteBytes(byte[] bytes)
    {
        _out.Append('{');
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0)
            {
                _out.Append(',');
            }

            _out.Append('"').Append(i.ToString(CultureInfo.InvariantCulture)).Append("\":")
                .Append(bytes[i].ToString(CultureInfo.InvariantCulture));
        }

        _out.Append('}');
    }

    /// <summary>JSON.stringify's QuoteJSONString (ECMAScript 2024 §25.5.2.3): escapes only what it must, lowercase hex.</summary>
    private void WriteString(string value)
    {
        _out.Append('"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            string? escape = c switch
            {
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < 0x20 => null,
                _ when char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) => string.Empty,
                _ when char.IsSurrogate(c) => null,
                _ => string.Empty,
            };
            if (escape is { Length: 0 })
            {
                if (char.IsHighSurrogate(c))
                {
                    i++;
                }

                continue;
            }

            _out.Append(value, start, i - start);
            _out.Append(escape ?? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture));
            start = i + 1;
        }

        _out.Append(value, start, value.Length - start).Append('"');
    }

    /// <summary>
    /// JavaScript's OrdinaryOwnPropertyKeys order (ECMAScript 2024 §10.1.11.1): array-index keys (canonical decimal
    /// integers 0 … 2^32−2) first, ascending numerically, then the other keys in insertion order — which for
    /// <c>toJS</c> is Automerge's key order.
    /// </summary>
    private static IEnumerable<string> JsPropertyOrder(IReadOnlyList<string> keys)
    {
        List<(uint Index, string Key)>? indexes = null;
        foreach (var key in keys)
        {
            if (TryArrayIndex(key, out var index))
            {
                (indexes ??= []).Add((index, key));
            }
        }

        if (indexes is null)
        {
            return keys;
        }

        indexes.Sort((a, b) => a.Index.CompareTo(b.Index));
        return indexes.Select(x => x.Key).Concat(keys.Where(k => !TryArrayIndex(k, out _)));
    }

    private static bool TryArrayIndex(string key, out uint index)
    {
        index = 0;
        if (key.Length is 0 or > 10 || (key.Length > 1 && key[0] == '0'))
        {
            return false;
        }

        ulong value = 0;
        foreach (var c in key)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (ulong)(c - '0');
        }

        if (value > uint.MaxValue - 1)
        {
            return false;
        }

        index = (uint)value;
        return true;
    }
}
