using System.Buffers;
using PeatMesh.Internal;

namespace PeatMesh.Sync.Wire;

/// <summary>
/// One sync frame (reference digest §2.10.1, README decision 4):
/// <c>[doc_key_len:u16 BE][doc_key UTF-8][msg_type:u8][payload_len:u32 BE][payload]</c>; a stream carries
/// any number of frames back to back.
/// </summary>
/// <remarks>
/// <para>
/// Immutable value; thread-safe to share as long as nobody mutates the memory behind <see cref="Payload"/>.
/// Frames returned by <see cref="TryRead(ref ReadOnlySequence{byte}, SyncFrameLimits, out SyncFrame, out SyncWireError)"/>
/// own a fresh payload array. Equality compares doc key, type and payload bytes.
/// </para>
/// <para>
/// Valid frame types are 0x00, 0x01, 0x04–0x0A and PeatMesh's 0x20 (<see cref="SyncMessageType.TraceContext"/>);
/// 0x02 (WindowedHistory) and 0x03 are reserved and refused in both directions, as the reference's stream decoder does. The doc_key is opaque to this
/// layer (<c>collection:id</c>, <c>tombstones:batch</c>, <c>batch</c>, <c>_negentropy</c>) but must be UTF-8.
/// </para>
/// </remarks>
public readonly struct SyncFrame : IEquatable<SyncFrame>
{
    /// <summary>Header bytes besides the doc_key (7 = 2 + 1 + 4).</summary>
    public const int HeaderOverhead = SyncWireFormat.HeaderOverhead;

    private readonly string? _docKey;

    /// <summary>Creates a frame.</summary>
    /// <param name="docKey">The doc_key (not validated here; <see cref="Write"/> validates it).</param>
    /// <param name="type">The message type.</param>
    /// <param name="payload">The payload; not copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="docKey"/> is null.</exception>
    public SyncFrame(string docKey, SyncMessageType type, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(docKey);
        _docKey = docKey;
        Type = type;
        Payload = payload;
    }

    /// <summary>The doc_key; empty for a default-initialised frame.</summary>
    public string DocKey => _docKey ?? string.Empty;

    /// <summary>The message type.</summary>
    public SyncMessageType Type { get; }

    /// <summary>The payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Whether <paramref name="type"/> may appear as a frame's msg_type (0x00, 0x01, 0x04–0x0A, 0x20).</summary>
    public static bool IsFrameType(SyncMessageType type) => SyncWireFormat.CheckFrameType((byte)type) == SyncWireError.None;

    /// <summary>The encoded size of <paramref name="frame"/> in bytes.</summary>
    /// <exception cref="ArgumentException">The doc_key cannot be encoded (see <see cref="Write"/>).</exception>
    public static int GetEncodedLength(SyncFrame frame) =>
        HeaderOverhead + SyncWireFormat.EncodeU16String(frame.DocKey, "doc_key", nameof(frame)).Length + frame.Payload.Length;

    /// <summary>Writes one frame.</summary>
    /// <param name="writer">The destination (e.g. a <c>PipeWriter</c> or <see cref="ArrayBufferWriter{T}"/>); not flushed.</param>
    /// <param name="frame">The frame.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    /// <exception cref="ArgumentException">The doc_key has lone surrogates or exceeds 65,535 UTF-8 bytes, or the
    /// type is reserved or undefined. (A default-initialised frame encodes as an empty-key DeltaSync frame.)</exception>
    /// <remarks>Receivers refuse frames beyond their <see cref="SyncFrameLimits"/> (by default 1,024-byte
    /// doc keys and 16 MiB payloads); senders should stay within them.</remarks>
    public static int Write(IBufferWriter<byte> writer, SyncFrame frame)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var key = SyncWireFormat.EncodeU16String(frame.DocKey, "doc_key", nameof(frame));
        if (!IsFrameType(frame.Type))
        {
            throw new ArgumentException($"Message type 0x{(byte)frame.Type:x2} cannot be sent as a frame.", nameof(frame));
        }

        return SyncWireFormat.WriteFramed(writer, key, frame.Type, frame.Payload.Span);
    }

    /// <summary>Encodes one frame into a new array.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write"/>.</exception>
    public static byte[] ToArray(SyncFrame frame)
    {
        var writer = new ArrayBufferWriter<byte>(GetEncodedLength(frame));
        Write(writer, frame);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/> if it is complete.
    /// </summary>
    /// <param name="buffer">Received bytes. On <see cref="OperationStatus.Done"/> it is advanced past the frame;
    /// otherwise it is left unchanged.</param>
    /// <param name="limits">Bounds checked as soon as each length is known, before any allocation.</param>
    /// <param name="frame">The frame on <see cref="OperationStatus.Done"/>, with a freshly allocated payload.</param>
    /// <returns>
    /// <see cref="OperationStatus.Done"/> for a frame; <see cref="OperationStatus.NeedMoreData"/> when the
    /// buffer ends inside a frame (read more and call again); <see cref="OperationStatus.InvalidData"/>
    /// when the bytes break the layout or a limit (close the stream; it cannot be resynchronised).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    public static OperationStatus TryRead(ref ReadOnlySequence<byte> buffer, SyncFrameLimits limits, out SyncFrame frame) =>
        TryRead(ref buffer, limits, out frame, out _);

    /// <summary>
    /// Reads one frame like <see cref="TryRead(ref ReadOnlySequence{byte}, SyncFrameLimits, out SyncFrame)"/> and
    /// reports why data was invalid.
    /// </summary>
    /// <param name="buffer">Received bytes; advanced past the frame only on <see cref="OperationStatus.Done"/>.</param>
    /// <param name="limits">Bounds checked before allocation.</param>
    /// <param name="frame">The frame on <see cref="OperationStatus.Done"/>.</param>
    /// <param name="error">On <see cref="OperationStatus.InvalidData"/>: <see cref="SyncWireError.DocKeyTooLong"/>,
    /// <see cref="SyncWireError.ReservedMessageType"/>, <see cref="SyncWireError.UnknownMessageType"/>,
    /// <see cref="SyncWireError.PayloadTooLarge"/> or <see cref="SyncWireError.InvalidUtf8"/>; otherwise <see cref="SyncWireError.None"/>.</param>
    /// <returns>See <see cref="TryRead(ref ReadOnlySequence{byte}, SyncFrameLimits, out SyncFrame)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    public static OperationStatus TryRead(
        ref ReadOnlySequence<byte> buffer, SyncFrameLimits limits, out SyncFrame frame, out SyncWireError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        frame = default;
        error = SyncWireError.None;

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out short rawKeyLength))
        {
            return OperationStatus.NeedMoreData;
        }

        var keyLength = (ushort)rawKeyLength;
        if (keyLength > limits.MaxDocKeyBytes)
        {
            error = SyncWireError.DocKeyTooLong;
            return OperationStatus.InvalidData;
        }

        if (reader.Remaining < keyLength + 5)
        {
            return OperationStatus.NeedMoreData;
        }

        var key = buffer.Slice(reader.Position, keyLength);
        reader.Advance(keyLength);
        reader.TryRead(out var typeByte);
        reader.TryReadBigEndian(out int rawPayloadLength);

        error = SyncWireFormat.CheckFrameType(typeByte);
        if (error != SyncWireError.None)
        {
            return OperationStatus.InvalidData;
        }

        var payloadLength = (uint)rawPayloadLength;
        if (payloadLength > (uint)limits.MaxPayloadBytes)
        {
            error = SyncWireError.PayloadTooLarge;
            return OperationStatus.InvalidData;
        }

        if (!TryDecodeKey(key, materialize: false, out _))
        {
            error = SyncWireError.InvalidUtf8;
            return OperationStatus.InvalidData;
        }

        if (reader.Remaining < payloadLength)
        {
            return OperationStatus.NeedMoreData;
        }

        TryDecodeKey(key, materialize: true, out var docKey);
        var payload = payloadLength == 0 ? [] : new byte[payloadLength];
        reader.UnreadSequence.Slice(0, payloadLength).CopyTo(payload);
        reader.Advance(payloadLength);

        frame = new SyncFrame(docKey!, (SyncMessageType)typeByte, payload);
        buffer = buffer.Slice(reader.Position);
        return OperationStatus.Done;
    }

    /// <inheritdoc />
    public bool Equals(SyncFrame other) =>
        string.Equals(DocKey, other.DocKey, StringComparison.Ordinal)
        && Type == other.Type
        && Payload.Span.SequenceEqual(other.Payload.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SyncFrame other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(DocKey), Type, Payload.Length);

    /// <summary>Describes the frame (type, doc_key, payload size; not the payload).</summary>
    public override string ToString() => $"SyncFrame({Type}, \"{DocKey}\", {Payload.Length} bytes)";

    /// <summary>Equality.</summary>
    public static bool operator ==(SyncFrame left, SyncFrame right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(SyncFrame left, SyncFrame right) => !left.Equals(right);

    private static bool TryDecodeKey(ReadOnlySequence<byte> key, bool materialize, out string? docKey)
    {
        docKey = null;
        if (key.IsSingleSegment)
        {
            return Decode(key.FirstSpan, materialize, out docKey);
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)key.Length);
        try
        {
            var span = rented.AsSpan(0, (int)key.Length);
            key.CopyTo(span);
            return Decode(span, materialize, out docKey);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        static bool Decode(ReadOnlySpan<byte> bytes, bool materialize, out string? docKey)
        {
            if (!materialize)
            {
                docKey = null;
                return System.Text.Unicode.Utf8.IsValid(bytes);
            }

            docKey = StrictUtf8.TryDecode(bytes);
            return docKey is not null;
        }
    }
}
