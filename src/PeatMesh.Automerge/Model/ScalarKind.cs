namespace PeatMesh.Automerge.Model;

/// <summary>
/// Scalar value types, numbered as the Automerge binary format's value-metadata type codes
/// (0 null, 1 false, 2 true, 3 uint, 4 int, 5 f64, 6 string, 7 bytes, 8 counter, 9 timestamp, 10–15 unknown).
/// <see cref="Boolean"/> stands for codes 1 and 2.
/// </summary>
public enum ScalarKind : byte
{
    /// <summary>Null (type code 0).</summary>
    Null = 0,

    /// <summary>Boolean (type codes 1 = false, 2 = true).</summary>
    Boolean = 1,

    /// <summary>Unsigned 64-bit integer (type code 3, uLEB128).</summary>
    Uint = 3,

    /// <summary>Signed 64-bit integer (type code 4, sLEB128).</summary>
    Int = 4,

    /// <summary>IEEE 754 double (type code 5, 8 bytes little-endian).</summary>
    F64 = 5,

    /// <summary>UTF-8 string scalar (type code 6).</summary>
    Str = 6,

    /// <summary>Byte string (type code 7).</summary>
    Bytes = 7,

    /// <summary>Counter (type code 8, sLEB128 initial value).</summary>
    Counter = 8,

    /// <summary>Timestamp, milliseconds since the Unix epoch (type code 9, sLEB128).</summary>
    Timestamp = 9,

    /// <summary>A value of a type code 10–15 this engine does not know; its bytes are kept.</summary>
    Unknown = 15,
}
