using System.Globalization;

namespace PeatMesh.Automerge.Model;

/// <summary>
/// An Automerge scalar: null, boolean, uint, int, f64, string, bytes, counter, timestamp, or an
/// unknown type code with its raw bytes.
/// </summary>
/// <remarks>Immutable value type; thread-safe. <c>default</c> is <see cref="Null"/>.</remarks>
public readonly struct ScalarValue : IEquatable<ScalarValue>
{
    // 16 bytes (documents hold one per op, so size matters): a value kind's 64 bits in _bits with a shared tag object
    // naming the kind in _ref; a string's or byte array's reference in _ref with the kind (and unknown type code) in
    // _bits; null as default (both zero).
    private readonly long _bits;
    private readonly object? _ref;

    private ScalarValue(ScalarKind kind, long bits, object? reference, byte unknownTypeCode = 0)
    {
        if (reference is null)
        {
            _bits = bits;
            _ref = kind == ScalarKind.Null ? null : KindTag.Of(kind);
        }
        else
        {
            _bits = (long)kind | ((long)unknownTypeCode << 8);
            _ref = reference;
        }
    }

    /// <summary>The value's type.</summary>
    public ScalarKind Kind => _ref switch
    {
        null => ScalarKind.Null,
        KindTag tag => tag.Kind,
        _ => (ScalarKind)(byte)_bits,
    };

    /// <summary>For <see cref="ScalarKind.Unknown"/>: the original type code (10–15).</summary>
    public byte UnknownTypeCode => _ref is null or KindTag ? (byte)0 : (byte)(_bits >> 8);

    // Whether _bits holds the value (a value kind or null) rather than the kind of a reference.
    private bool HoldsBits => _ref is null or KindTag;

    /// <summary>The null value.</summary>
    public static ScalarValue Null => default;

    /// <summary>A boolean.</summary>
    public static ScalarValue Boolean(bool value) => new(ScalarKind.Boolean, value ? 1 : 0, null);

    /// <summary>An unsigned integer.</summary>
    public static ScalarValue Uint(ulong value) => new(ScalarKind.Uint, unchecked((long)value), null);

    /// <summary>A signed integer.</summary>
    public static ScalarValue Int(long value) => new(ScalarKind.Int, value, null);

    /// <summary>A double.</summary>
    public static ScalarValue F64(double value) => new(ScalarKind.F64, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>A string scalar (not a text object).</summary>
    public static ScalarValue Str(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ScalarKind.Str, 0, value);
    }

    /// <summary>A byte string (the array is not copied; do not mutate it afterwards).</summary>
    public static ScalarValue Bytes(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ScalarKind.Bytes, 0, value);
    }

    /// <summary>A counter with its initial value.</summary>
    public static ScalarValue Counter(long value) => new(ScalarKind.Counter, value, null);

    /// <summary>A timestamp in milliseconds since the Unix epoch.</summary>
    public static ScalarValue Timestamp(long milliseconds) => new(ScalarKind.Timestamp, milliseconds, null);

    /// <summary>A value of an unknown type code (10–15), kept as raw bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="typeCode"/> is not 10–15.</exception>
    public static ScalarValue Unknown(byte typeCode, byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentOutOfRangeException.ThrowIfLessThan(typeCode, (byte)10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(typeCode, (byte)15);
        return new(ScalarKind.Unknown, 0, raw, typeCode);
    }

    /// <summary>Whether this is <see cref="Null"/>.</summary>
    public bool IsNull => Kind == ScalarKind.Null;

    /// <summary>The boolean value (valid when <see cref="Kind"/> is Boolean).</summary>
    public bool AsBoolean => HoldsBits && _bits != 0;

    /// <summary>The value of an Int, Counter or Timestamp.</summary>
    public long AsInt64 => HoldsBits ? _bits : 0;

    /// <summary>The value of a Uint.</summary>
    public ulong AsUInt64 => HoldsBits ? unchecked((ulong)_bits) : 0;

    /// <summary>The value of an F64.</summary>
    public double AsDouble => HoldsBits ? BitConverter.Int64BitsToDouble(_bits) : 0;

    /// <summary>The value of a Str, or <see langword="null"/>.</summary>
    public string? AsString => _ref as string;

    /// <summary>The bytes of a Bytes or Unknown value, or <see langword="null"/>.</summary>
    public byte[]? AsBytes => _ref as byte[];

    /// <inheritdoc />
    public bool Equals(ScalarValue other)
    {
        if (Kind != other.Kind || UnknownTypeCode != other.UnknownTypeCode)
        {
            return false;
        }

        return Kind switch
        {
            ScalarKind.Null => true,
            ScalarKind.Str => string.Equals(AsString, other.AsString, StringComparison.Ordinal),
            ScalarKind.Bytes or ScalarKind.Unknown => AsBytes.AsSpan().SequenceEqual(other.AsBytes),
            _ => _bits == other._bits,
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ScalarValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        ScalarKind.Str => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(AsString!)),
        ScalarKind.Bytes or ScalarKind.Unknown => HashCode.Combine(Kind, AsBytes!.Length),
        _ => HashCode.Combine(Kind, _bits),
    };

    /// <summary>A debugging representation.</summary>
    public override string ToString() => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Boolean => AsBoolean ? "true" : "false",
        ScalarKind.Uint => AsUInt64.ToString(CultureInfo.InvariantCulture) + "u",
        ScalarKind.Int => AsInt64.ToString(CultureInfo.InvariantCulture),
        ScalarKind.F64 => AsDouble.ToString("R", CultureInfo.InvariantCulture),
        ScalarKind.Str => "\"" + AsString + "\"",
        ScalarKind.Bytes => "bytes[" + AsBytes!.Length + "]",
        ScalarKind.Counter => "counter(" + AsInt64.ToString(CultureInfo.InvariantCulture) + ")",
        ScalarKind.Timestamp => "timestamp(" + AsInt64.ToString(CultureInfo.InvariantCulture) + ")",
        _ => "unknown" + UnknownTypeCode + "[" + AsBytes!.Length + "]",
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(ScalarValue left, ScalarValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ScalarValue left, ScalarValue right) => !left.Equals(right);

    /// <summary>The shared object naming a value kind (one per kind, so a value costs no allocation).</summary>
    private sealed class KindTag
    {
        private static readonly KindTag[] Tags = CreateTags();

        private KindTag(ScalarKind kind) => Kind = kind;

        public ScalarKind Kind { get; }

        public static KindTag Of(ScalarKind kind) => Tags[(int)kind];

        private static KindTag[] CreateTags()
        {
            var tags = new KindTag[16];
            for (var i = 0; i < tags.Length; i++)
            {
                tags[i] = new KindTag((ScalarKind)i);
            }

            return tags;
        }
    }
}
