using System.Buffers;
using System.Buffers.Binary;
using PeatMesh.Internal;

namespace PeatMesh.Sync.Wire;

/// <summary>
/// Shared pieces of the frame and entry layout <c>[doc_key_len:u16 BE][doc_key][type:u8][payload_len:u32 BE][payload]</c>
/// (reference digest §2.10.1–2.10.2) and of millisecond timestamps.
/// </summary>
/// <remarks>Thread-safe: stateless.</remarks>
internal static class SyncWireFormat
{
    /// <summary>Header bytes besides the doc_key: 2 (key length) + 1 (type) + 4 (payload length).</summary>
    public const int HeaderOverhead = 7;

    /// <summary>Largest Unix millisecond value a <see cref="DateTimeOffset"/> can hold (9999-12-31T23:59:59.999Z).</summary>
    public const ulong MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>Validates a type byte for a stream frame: the reference's 0x00, 0x01, 0x04–0x0A and our 0x20 TraceContext.</summary>
    public static SyncWireError CheckFrameType(byte type) => type switch
    {
        0x02 or 0x03 => SyncWireError.ReservedMessageType,
        (byte)SyncMessageType.TraceContext => SyncWireError.None,
        > 0x0A => SyncWireError.UnknownMessageType,
        _ => SyncWireError.None,
    };

    /// <summary>Validates a type byte for a batch entry: the reference's entry decoder accepts 0x00–0x02 and 0x04–0x07.</summary>
    public static SyncWireError CheckEntryType(byte type) => type switch
    {
        <= 0x02 or (>= 0x04 and <= 0x07) => SyncWireError.None,
        0x03 => SyncWireError.ReservedMessageType,
        _ => SyncWireError.UnknownMessageType,
    };

    /// <summary>Encodes a string field that travels with a u16 byte length (doc keys, tombstone strings).</summary>
    /// <param name="value">The value.</param>
    /// <param name="what">The field's name for messages, e.g. "doc_key".</param>
    /// <param name="paramName">The public parameter the value came from.</param>
    /// <exception cref="ArgumentException">The value is null, has lone surrogates or exceeds 65,535 UTF-8 bytes.</exception>
    public static byte[] EncodeU16String(string? value, string what, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentException($"The {what} is null.", paramName);
        }

        var count = StrictUtf8.TryGetByteCount(value);
        if (count < 0)
        {
            throw new ArgumentException($"The {what} is not valid UTF-16 (lone surrogate).", paramName);
        }

        if (count > ushort.MaxValue)
        {
            throw new ArgumentException($"The {what} is {count} UTF-8 bytes; the u16 length field allows {ushort.MaxValue}.", paramName);
        }

        return StrictUtf8.Instance.GetBytes(value);
    }

    /// <summary>Writes a header and payload into a writer; returns the bytes written.</summary>
    public static int WriteFramed(IBufferWriter<byte> writer, ReadOnlySpan<byte> key, SyncMessageType type, ReadOnlySpan<byte> payload)
    {
        var headerLength = HeaderOverhead + key.Length;
        var header = writer.GetSpan(headerLength);
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)key.Length);
        key.CopyTo(header[2..]);
        header[2 + key.Length] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(header[(3 + key.Length)..], (uint)payload.Length);
        writer.Advance(headerLength);
        if (!payload.IsEmpty)
        {
            writer.Write(payload);
        }

        return headerLength + payload.Length;
    }

    /// <summary>Converts a timestamp to Unix milliseconds for the wire (truncating sub-millisecond precision).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp is before 1970-01-01T00:00:00Z.</exception>
    public static ulong ToUnixMilliseconds(DateTimeOffset value, string paramName)
    {
        var ms = value.ToUnixTimeMilliseconds();
        if (ms < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, "Timestamps before the Unix epoch cannot be encoded.");
        }

        return (ulong)ms;
    }

    /// <summary>Converts wire milliseconds to a UTC timestamp, or fails when beyond year 9999.</summary>
    public static bool TryFromUnixMilliseconds(ulong ms, out DateTimeOffset value)
    {
        if (ms > MaxUnixMilliseconds)
        {
            value = default;
            return false;
        }

        value = DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
        return true;
    }
}
