using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Decodes a value-metadata column and its raw value column into scalar values (Automerge binary format §2.6).
/// The metadata length must equal the payload's actual length: an overlong or short LEB, a float that is not
/// 8 bytes, or a null/boolean with a payload is rejected.
/// </summary>
/// <remarks>Mutable <see langword="ref struct"/>; not thread-safe.</remarks>
internal ref struct ValueColumnDecoder
{
    private const ulong SingleByteString = (1 << 4) | 6;

    private static readonly ScalarValue[] AsciiValues = CreateAsciiValues();

    private RleDecoder<ulong, UInt64Codec> _meta;
    private ByteReader _raw;

    /// <summary>Creates a decoder over the metadata and raw columns (either may be empty).</summary>
    public ValueColumnDecoder(ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> raw, string name, int maxRows = ColumnLimits.MaxRows)
    {
        _meta = new RleDecoder<ulong, UInt64Codec>(metadata, name + " metadata", maxRows);
        _raw = new ByteReader(raw);
    }

    /// <summary>Whether every metadata row and every raw byte has been consumed.</summary>
    public readonly bool IsDone => _meta.IsDone && _raw.IsEnd;

    /// <summary>Reads the next value.</summary>
    /// <exception cref="AutomergeFormatException">Null metadata, a length beyond the raw column, or a payload that does not match its type.</exception>
    public ScalarValue Next()
    {
        if (!_meta.TryNext(out var meta))
        {
            throw new AutomergeFormatException("Unexpected null in value metadata.");
        }

        return Read(meta);
    }

    /// <summary>Reads the next rows of the metadata column in bulk (see <see cref="RleDecoder{T, TCodec}.Fill"/>); their payloads follow with <see cref="Read"/>.</summary>
    /// <param name="metadata">Receives the metadata values.</param>
    /// <param name="present">Receives whether each is non-null.</param>
    /// <param name="error">Receives the error met at the row after the last one returned, or null.</param>
    /// <returns>The rows read: all of <paramref name="metadata"/> unless <paramref name="error"/> is set.</returns>
    public int FillMetadata(Span<ulong> metadata, Span<bool> present, out AutomergeFormatException? error) =>
        _meta.Fill(metadata, present, stopAtEnd: false, out error);

    /// <summary>Reads the payload of the next value, whose metadata (from <see cref="FillMetadata"/>) is <paramref name="meta"/>.</summary>
    /// <exception cref="AutomergeFormatException">A length beyond the raw column, or a payload that does not match its type.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ScalarValue Read(ulong meta)
    {
        if (meta == SingleByteString && !_raw.IsEnd)
        {
            // a text character: one ASCII byte shares a preallocated value (a non-ASCII byte fails in ReadPayload)
            var b = _raw.RemainingSpan[0];
            if (b < 0x80)
            {
                _raw.ReadByte();
                return AsciiValues[b];
            }
        }

        return ReadPayload(meta);
    }

    private ScalarValue ReadPayload(ulong meta)
    {
        var code = (byte)(meta & 0x0f);
        var length = meta >> 4;
        if (length > (ulong)_raw.Remaining)
        {
            throw new AutomergeFormatException("Value length " + length + " exceeds the raw value column.");
        }

        var payload = _raw.ReadBytes((int)length);
        switch (code)
        {
            case 0:
                ExpectEmpty(payload, "null");
                return ScalarValue.Null;
            case 1:
                ExpectEmpty(payload, "false");
                return ScalarValue.Boolean(false);
            case 2:
                ExpectEmpty(payload, "true");
                return ScalarValue.Boolean(true);
            case 3:
                return ScalarValue.Uint(ReadExactUnsigned(payload));
            case 4:
                return ScalarValue.Int(ReadExactSigned(payload));
            case 5:
                if (payload.Length != 8)
                {
                    throw new AutomergeFormatException("A float value must be 8 bytes, metadata says " + payload.Length + ".");
                }

                return ScalarValue.F64(BinaryPrimitives.ReadDoubleLittleEndian(payload));
            case 6:
                return ScalarValue.Str(ByteReader.DecodeUtf8(payload));
            case 7:
                return ScalarValue.Bytes(payload.ToArray());
            case 8:
                return ScalarValue.Counter(ReadExactSigned(payload));
            case 9:
                return ScalarValue.Timestamp(ReadExactSigned(payload));
            default:
                return ScalarValue.Unknown(code, payload.ToArray());
        }
    }

    private static ScalarValue[] CreateAsciiValues()
    {
        var values = new ScalarValue[0x80];
        Span<byte> one = stackalloc byte[1];
        for (var c = 0; c < values.Length; c++)
        {
            one[0] = (byte)c;
            values[c] = ScalarValue.Str(ByteReader.DecodeUtf8(one));
        }

        return values;
    }

    private static void ExpectEmpty(ReadOnlySpan<byte> payload, string kind)
    {
        if (!payload.IsEmpty)
        {
            throw new AutomergeFormatException("A " + kind + " value must have length 0.");
        }
    }

    private static ulong ReadExactUnsigned(ReadOnlySpan<byte> payload)
    {
        var value = Leb128.ReadUnsigned(payload, out var n);
        if (n != payload.Length)
        {
            throw new AutomergeFormatException("Value has extra bytes after its LEB128 payload.");
        }

        return value;
    }

    private static long ReadExactSigned(ReadOnlySpan<byte> payload)
    {
        var value = Leb128.ReadSigned(payload, out var n);
        if (n != payload.Length)
        {
            throw new AutomergeFormatException("Value has extra bytes after its LEB128 payload.");
        }

        return value;
    }
}
