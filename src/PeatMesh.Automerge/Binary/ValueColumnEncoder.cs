using System.Buffers.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Encodes scalar values into a value-metadata column (RLE of uLEB <c>(length &lt;&lt; 4) | typeCode</c>) and a raw
/// value column (concatenated payloads) (Automerge binary format §2.6 "Value metadata").
/// </summary>
/// <remarks>
/// Payloads: uint uLEB, int/counter/timestamp sLEB (minimal), f64 8 bytes little-endian, string UTF-8, bytes and
/// unknown types verbatim; null/false/true have none. Not thread-safe.
/// </remarks>
internal sealed class ValueColumnEncoder
{
    private readonly RleEncoder<ulong, UInt64Codec> _meta = new();
    private readonly ByteWriter _raw = new(16);

    /// <summary>Appends a value.</summary>
    /// <exception cref="ArgumentException">A string value is not valid Unicode, or the value kind is undefined.</exception>
    public void Append(ScalarValue value)
    {
        var start = _raw.Length;
        var code = WritePayload(_raw, value);
        var length = (ulong)(_raw.Length - start);
        _meta.Append((length << 4) | code);
    }

    /// <summary>
    /// Appends values already encoded: their metadata (as <see cref="Append"/> computes it) and their concatenated
    /// payloads, exactly as one <see cref="Append"/> per value would.
    /// </summary>
    public void AppendEncoded(ReadOnlySpan<ulong> metadata, ReadOnlySpan<byte> payloads)
    {
        ColumnRuns.Append(_meta, metadata);
        _raw.Write(payloads);
    }

    /// <summary>Discards everything appended, keeping the buffers for reuse.</summary>
    public void Reset()
    {
        _meta.Reset();
        _raw.Clear();
    }

    /// <summary>Flushes and returns (metadata column, raw value column).</summary>
    public (ReadOnlyMemory<byte> Metadata, ReadOnlyMemory<byte> Raw) Finish() => (_meta.Finish(), _raw.WrittenMemory);

    /// <summary>Writes the payload of <paramref name="value"/> and returns its type code.</summary>
    internal static uint WritePayload(ByteWriter raw, ScalarValue value)
    {
        switch (value.Kind)
        {
            case ScalarKind.Null:
                return 0;
            case ScalarKind.Boolean:
                return value.AsBoolean ? 2u : 1u;
            case ScalarKind.Uint:
                raw.WriteUInt64(value.AsUInt64);
                return 3;
            case ScalarKind.Int:
                raw.WriteInt64(value.AsInt64);
                return 4;
            case ScalarKind.F64:
                Span<byte> f = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(f, value.AsDouble);
                raw.Write(f);
                return 5;
            case ScalarKind.Str:
                raw.WriteUtf8(value.AsString!);
                return 6;
            case ScalarKind.Bytes:
                raw.Write(value.AsBytes);
                return 7;
            case ScalarKind.Counter:
                raw.WriteInt64(value.AsInt64);
                return 8;
            case ScalarKind.Timestamp:
                raw.WriteInt64(value.AsInt64);
                return 9;
            case ScalarKind.Unknown:
                raw.Write(value.AsBytes);
                return value.UnknownTypeCode;
            default:
                throw new ArgumentException("Undefined scalar kind " + value.Kind + ".", nameof(value));
        }
    }
}
