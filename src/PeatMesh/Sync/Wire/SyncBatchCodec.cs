using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace PeatMesh.Sync.Wire;

/// <summary>
/// Encodes and decodes <see cref="SyncBatch"/> (reference digest §2.10.2, <c>SyncBatch</c>/<c>SyncEntry</c>).
/// </summary>
/// <remarks>
/// <para>
/// Layout (all big-endian): <c>[batch_id:u64][created_at_ms:u64][ttl:u8][entry_count:u32]</c> (21-byte header),
/// then <c>entry_count</c> entries <c>[doc_key_len:u16][doc_key][sync_type:u8][payload_len:u32][payload]</c>.
/// </para>
/// <para>
/// Decoding bounds every length before use: <c>entry_count</c> ≤ <see cref="MaxEntries"/> and ≤ remaining
/// bytes / <see cref="MinEntrySize"/>; doc keys and payloads by <see cref="SyncFrameLimits"/> and the input
/// length. Unlike the reference, trailing bytes after the last entry are refused. Entry payloads are slices
/// of the input memory (no copies), so the input must stay unchanged while the batch is used.
/// </para>
/// <para>Thread-safe: stateless.</para>
/// </remarks>
public static class SyncBatchCodec
{
    /// <summary>The doc_key of a batch frame: <c>batch</c>.</summary>
    public const string DocKey = "batch";

    /// <summary>Header size in bytes (21).</summary>
    public const int HeaderSize = 21;

    /// <summary>Smallest entry in bytes (7: empty doc_key and payload).</summary>
    public const int MinEntrySize = SyncWireFormat.HeaderOverhead;

    /// <summary>Most entries accepted in one batch (100,000).</summary>
    public const int MaxEntries = 100_000;

    /// <summary>The encoded size of <paramref name="batch"/> in bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentException">An entry's doc_key cannot be encoded.</exception>
    public static int GetEncodedLength(SyncBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var length = (long)HeaderSize;
        foreach (var entry in batch.Entries)
        {
            length += MinEntrySize + SyncWireFormat.EncodeU16String(entry.DocKey, "doc_key", nameof(batch)).Length + entry.Payload.Length;
        }

        return length <= Array.MaxLength ? (int)length : throw new ArgumentException("The batch is too large to encode.", nameof(batch));
    }

    /// <summary>Writes a batch.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="batch">The batch.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">More than <see cref="MaxEntries"/> entries, an entry type outside
    /// 0x00–0x02/0x04–0x07, or a doc_key that cannot be encoded.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SyncBatch.CreatedAt"/> is before 1970.</exception>
    public static int Write(IBufferWriter<byte> writer, SyncBatch batch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Entries.Count > MaxEntries)
        {
            throw new ArgumentException($"A batch holds at most {MaxEntries} entries; this one has {batch.Entries.Count}.", nameof(batch));
        }

        var keys = new byte[batch.Entries.Count][];
        for (var i = 0; i < keys.Length; i++)
        {
            var entry = batch.Entries[i];
            if (!SyncEntry.IsEntryType(entry.Type))
            {
                throw new ArgumentException($"Entry {i}: type 0x{(byte)entry.Type:x2} is not allowed in a batch.", nameof(batch));
            }

            keys[i] = SyncWireFormat.EncodeU16String(entry.DocKey, "doc_key", nameof(batch));
        }

        var header = writer.GetSpan(HeaderSize);
        BinaryPrimitives.WriteUInt64BigEndian(header, batch.BatchId);
        BinaryPrimitives.WriteUInt64BigEndian(header[8..], SyncWireFormat.ToUnixMilliseconds(batch.CreatedAt, nameof(batch)));
        header[16] = batch.Ttl;
        BinaryPrimitives.WriteUInt32BigEndian(header[17..], (uint)batch.Entries.Count);
        writer.Advance(HeaderSize);

        var written = HeaderSize;
        for (var i = 0; i < keys.Length; i++)
        {
            var entry = batch.Entries[i];
            written += SyncWireFormat.WriteFramed(writer, keys[i], entry.Type, entry.Payload.Span);
        }

        return written;
    }

    /// <summary>Encodes a batch into a new array.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write"/>.</exception>
    public static byte[] Encode(SyncBatch batch)
    {
        var writer = new ArrayBufferWriter<byte>(GetEncodedLength(batch));
        Write(writer, batch);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Wraps a batch in a <see cref="SyncMessageType.SyncBatch"/> frame with doc_key <c>batch</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write"/>.</exception>
    public static SyncFrame ToFrame(SyncBatch batch) => new(DocKey, SyncMessageType.SyncBatch, Encode(batch));

    /// <summary>Decodes a batch or throws.</summary>
    /// <param name="payload">Exactly one encoded batch (a frame's payload).</param>
    /// <param name="limits">Bounds for entry doc keys and payloads; <see langword="null"/> means <see cref="SyncFrameLimits.Default"/>.</param>
    /// <returns>The batch; entry payloads slice <paramref name="payload"/>.</returns>
    /// <exception cref="SyncWireException">The bytes are not a valid batch.</exception>
    public static SyncBatch Decode(ReadOnlyMemory<byte> payload, SyncFrameLimits? limits = null) =>
        TryDecode(payload, limits ?? SyncFrameLimits.Default, out var batch, out var error) ? batch : throw new SyncWireException(error);

    /// <summary>Decodes a batch without throwing.</summary>
    /// <param name="payload">Exactly one encoded batch.</param>
    /// <param name="limits">Bounds for entry doc keys and payloads.</param>
    /// <param name="batch">The batch, or <see langword="null"/>.</param>
    /// <param name="error">Why decoding failed, or <see cref="SyncWireError.None"/>.</param>
    /// <returns><see langword="true"/> on success.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    public static bool TryDecode(
        ReadOnlyMemory<byte> payload, SyncFrameLimits limits, [NotNullWhen(true)] out SyncBatch? batch, out SyncWireError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        batch = null;
        var reader = new WireReader(payload.Span);
        if (!reader.TryReadUInt64BigEndian(out var batchId)
            || !reader.TryReadUInt64BigEndian(out var createdMs)
            || !reader.TryReadByte(out var ttl)
            || !reader.TryReadUInt32BigEndian(out var count))
        {
            error = SyncWireError.Truncated;
            return false;
        }

        if (!SyncWireFormat.TryFromUnixMilliseconds(createdMs, out var createdAt))
        {
            error = SyncWireError.TimestampOutOfRange;
            return false;
        }

        if (count > MaxEntries || count > (uint)(reader.Remaining / MinEntrySize))
        {
            error = SyncWireError.TooManyItems;
            return false;
        }

        var entries = new SyncEntry[count];
        for (var i = 0; i < entries.Length; i++)
        {
            error = ReadEntry(ref reader, payload, limits, out entries[i]);
            if (error != SyncWireError.None)
            {
                return false;
            }
        }

        if (reader.Remaining != 0)
        {
            error = SyncWireError.TrailingBytes;
            return false;
        }

        batch = new SyncBatch(batchId, createdAt, ttl, entries, takeOwnership: true);
        error = SyncWireError.None;
        return true;
    }

    private static SyncWireError ReadEntry(ref WireReader reader, ReadOnlyMemory<byte> source, SyncFrameLimits limits, out SyncEntry entry)
    {
        entry = default;
        if (!reader.TryReadUInt16BigEndian(out var keyLength))
        {
            return SyncWireError.Truncated;
        }

        if (keyLength > limits.MaxDocKeyBytes)
        {
            return SyncWireError.DocKeyTooLong;
        }

        if (!reader.TryReadBytes(keyLength, out var keyBytes)
            || !reader.TryReadByte(out var type)
            || !reader.TryReadUInt32BigEndian(out var payloadLength))
        {
            return SyncWireError.Truncated;
        }

        var typeError = SyncWireFormat.CheckEntryType(type);
        if (typeError != SyncWireError.None)
        {
            return typeError;
        }

        if (payloadLength > (uint)limits.MaxPayloadBytes)
        {
            return SyncWireError.PayloadTooLarge;
        }

        var payloadStart = reader.Position;
        if (!reader.TryReadBytes(payloadLength, out _))
        {
            return SyncWireError.Truncated;
        }

        var docKey = Internal.StrictUtf8.TryDecode(keyBytes);
        if (docKey is null)
        {
            return SyncWireError.InvalidUtf8;
        }

        entry = new SyncEntry(docKey, (SyncMessageType)type, source.Slice(payloadStart, (int)payloadLength));
        return SyncWireError.None;
    }
}
