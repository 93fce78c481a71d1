using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using PeatMesh.Internal;
using PeatMesh.Storage;

namespace PeatMesh.Sync.Wire;

/// <summary>
/// Encodes and decodes tombstones as the reference's <c>TombstoneSyncMessage</c> and <c>TombstoneBatch</c>
/// (reference digest §2.12), mapped to <see cref="Tombstone"/>.
/// </summary>
/// <remarks>
/// <para>
/// <c>TombstoneSyncMessage</c> (all big-endian): <c>[coll_len:u16][collection][doc_id_len:u16][doc_id]
/// [deleted_at_ms:u64][lamport:u64][deleted_by_len:u16][deleted_by][reason_len:u16][reason][direction:u8]</c>;
/// <c>reason_len</c> 0 means no reason, so an empty reason decodes as <see langword="null"/>.
/// <c>TombstoneBatch</c>: <c>[count:u32]</c>, then per item <c>[len:u32][TombstoneSyncMessage]</c>.
/// </para>
/// <para>
/// Decoding is stricter than the reference: collection and id must satisfy <see cref="DocumentKey"/>
/// (refused before any string is allocated when their lengths already exceed its bounds), strings must be
/// UTF-8, timestamps must fit <see cref="DateTimeOffset"/>, each item must fill its <c>len</c> exactly,
/// trailing bytes are refused, and <c>count</c> ≤ <see cref="MaxBatchCount"/> and ≤ remaining bytes /
/// (4 + <see cref="MinMessageSize"/>). <c>DeletedAt</c> travels with millisecond precision.
/// </para>
/// <para>Thread-safe: stateless.</para>
/// </remarks>
public static class TombstoneCodec
{
    /// <summary>Smallest structurally complete message in bytes (25: all strings empty).</summary>
    public const int MinMessageSize = 2 + 2 + 8 + 8 + 2 + 2 + 1;

    /// <summary>Most tombstones accepted in one batch (100,000).</summary>
    public const int MaxBatchCount = 100_000;

    /// <summary>The doc_key of a tombstone batch frame: <c>tombstones:batch</c>.</summary>
    public const string BatchDocKey = "tombstones:batch";

    /// <summary>The prefix of a single tombstone frame's doc_key: <c>tombstones:</c>.</summary>
    public const string DocKeyPrefix = "tombstones:";

    /// <summary>The doc_key of a single tombstone frame: <c>tombstones:&lt;collection&gt;:&lt;id&gt;</c>.</summary>
    public static string GetDocKey(DocumentKey key) => DocKeyPrefix + key.Collection + ":" + key.Id;

    /// <summary>The encoded size of one <c>TombstoneSyncMessage</c> in bytes.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write"/>.</exception>
    public static int GetEncodedLength(Tombstone tombstone) => Prepare(tombstone).Length;

    /// <summary>Writes one <c>TombstoneSyncMessage</c>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="tombstone">The tombstone.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key is default-initialised, <c>DeletedBy</c> is null,
    /// a string exceeds 65,535 UTF-8 bytes or has lone surrogates, or the direction is undefined.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><c>DeletedAt</c> is before 1970.</exception>
    public static int Write(IBufferWriter<byte> writer, Tombstone tombstone)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var prepared = Prepare(tombstone);
        var span = writer.GetSpan(prepared.Length);
        prepared.WriteTo(span);
        writer.Advance(prepared.Length);
        return prepared.Length;
    }

    /// <summary>Encodes one <c>TombstoneSyncMessage</c> into a new array.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write"/>.</exception>
    public static byte[] Encode(Tombstone tombstone)
    {
        var prepared = Prepare(tombstone);
        var bytes = new byte[prepared.Length];
        prepared.WriteTo(bytes);
        return bytes;
    }

    /// <summary>Wraps a tombstone in a <see cref="SyncMessageType.Tombstone"/> frame with doc_key <c>tombstones:collection:id</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write"/>.</exception>
    public static SyncFrame ToFrame(Tombstone tombstone)
    {
        var payload = Encode(tombstone);
        return new SyncFrame(GetDocKey(tombstone.Key), SyncMessageType.Tombstone, payload);
    }

    /// <summary>Decodes exactly one <c>TombstoneSyncMessage</c> or throws.</summary>
    /// <exception cref="SyncWireException">The bytes are not a valid tombstone.</exception>
    public static Tombstone Decode(ReadOnlySpan<byte> bytes) =>
        TryDecode(bytes, out var tombstone, out var error) ? tombstone : throw new SyncWireException(error);

    /// <summary>Decodes exactly one <c>TombstoneSyncMessage</c> without throwing.</summary>
    /// <param name="bytes">The encoded message and nothing else.</param>
    /// <param name="tombstone">The tombstone, or <see langword="null"/>.</param>
    /// <param name="error">Why decoding failed, or <see cref="SyncWireError.None"/>.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out Tombstone? tombstone, out SyncWireError error)
    {
        var reader = new WireReader(bytes);
        error = Read(ref reader, out tombstone);
        if (error == SyncWireError.None && reader.Remaining != 0)
        {
            tombstone = null;
            error = SyncWireError.TrailingBytes;
        }

        return error == SyncWireError.None;
    }

    /// <summary>The encoded size of a <c>TombstoneBatch</c> in bytes.</summary>
    /// <exception cref="ArgumentException">See <see cref="WriteBatch"/>.</exception>
    public static int GetBatchEncodedLength(IReadOnlyCollection<Tombstone> tombstones)
    {
        ArgumentNullException.ThrowIfNull(tombstones);
        var length = 4L;
        foreach (var tombstone in tombstones)
        {
            length += 4 + Prepare(tombstone).Length;
        }

        return length <= Array.MaxLength ? (int)length : throw new ArgumentException("The batch is too large to encode.", nameof(tombstones));
    }

    /// <summary>Writes a <c>TombstoneBatch</c>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="tombstones">The tombstones, in wire order.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">More than <see cref="MaxBatchCount"/> tombstones, or one cannot be
    /// encoded (see <see cref="Write"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A <c>DeletedAt</c> is before 1970.</exception>
    public static int WriteBatch(IBufferWriter<byte> writer, IReadOnlyCollection<Tombstone> tombstones)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(tombstones);
        if (tombstones.Count > MaxBatchCount)
        {
            throw new ArgumentException($"A tombstone batch holds at most {MaxBatchCount} items; this one has {tombstones.Count}.", nameof(tombstones));
        }

        var prepared = new List<Prepared>(tombstones.Count);
        foreach (var tombstone in tombstones)
        {
            prepared.Add(Prepare(tombstone));
        }

        BinaryPrimitives.WriteUInt32BigEndian(writer.GetSpan(4), (uint)prepared.Count);
        writer.Advance(4);
        var written = 4;
        foreach (var item in prepared)
        {
            var span = writer.GetSpan(4 + item.Length);
            BinaryPrimitives.WriteUInt32BigEndian(span, (uint)item.Length);
            item.WriteTo(span[4..]);
            writer.Advance(4 + item.Length);
            written += 4 + item.Length;
        }

        return written;
    }

    /// <summary>Encodes a <c>TombstoneBatch</c> into a new array.</summary>
    /// <exception cref="ArgumentException">See <see cref="WriteBatch"/>.</exception>
    public static byte[] EncodeBatch(IReadOnlyCollection<Tombstone> tombstones)
    {
        var writer = new ArrayBufferWriter<byte>(GetBatchEncodedLength(tombstones));
        WriteBatch(writer, tombstones);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Wraps tombstones in a <see cref="SyncMessageType.TombstoneBatch"/> frame with doc_key <c>tombstones:batch</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="WriteBatch"/>.</exception>
    public static SyncFrame ToBatchFrame(IReadOnlyCollection<Tombstone> tombstones) =>
        new(BatchDocKey, SyncMessageType.TombstoneBatch, EncodeBatch(tombstones));

    /// <summary>Decodes exactly one <c>TombstoneBatch</c> or throws.</summary>
    /// <exception cref="SyncWireException">The bytes are not a valid batch.</exception>
    public static IReadOnlyList<Tombstone> DecodeBatch(ReadOnlySpan<byte> bytes) =>
        TryDecodeBatch(bytes, out var tombstones, out var error) ? tombstones : throw new SyncWireException(error);

    /// <summary>Decodes exactly one <c>TombstoneBatch</c> without throwing.</summary>
    /// <param name="bytes">The encoded batch and nothing else.</param>
    /// <param name="tombstones">The tombstones in wire order, or <see langword="null"/>.</param>
    /// <param name="error">Why decoding failed (the first bad item decides), or <see cref="SyncWireError.None"/>.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryDecodeBatch(
        ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out IReadOnlyList<Tombstone>? tombstones, out SyncWireError error)
    {
        tombstones = null;
        var reader = new WireReader(bytes);
        if (!reader.TryReadUInt32BigEndian(out var count))
        {
            error = SyncWireError.Truncated;
            return false;
        }

        if (count > MaxBatchCount || count > (uint)(reader.Remaining / (4 + MinMessageSize)))
        {
            error = SyncWireError.TooManyItems;
            return false;
        }

        var items = new Tombstone[count];
        for (var i = 0; i < items.Length; i++)
        {
            if (!reader.TryReadUInt32BigEndian(out var length))
            {
                error = SyncWireError.Truncated;
                return false;
            }

            if (length < MinMessageSize || !reader.TryReadBytes(length, out var itemBytes))
            {
                error = SyncWireError.InvalidItemLength;
                return false;
            }

            if (!TryDecode(itemBytes, out var item, out error))
            {
                return false;
            }

            items[i] = item;
        }

        if (reader.Remaining != 0)
        {
            error = SyncWireError.TrailingBytes;
            return false;
        }

        tombstones = items;
        error = SyncWireError.None;
        return true;
    }

    private static SyncWireError Read(ref WireReader reader, out Tombstone? tombstone)
    {
        tombstone = null;
        if (!reader.TryReadUInt16BigEndian(out var collectionLength))
        {
            return SyncWireError.Truncated;
        }

        if (!reader.TryReadBytes(collectionLength, out var collectionBytes))
        {
            return SyncWireError.Truncated;
        }

        if (!reader.TryReadUInt16BigEndian(out var idLength) || !reader.TryReadBytes(idLength, out var idBytes))
        {
            return SyncWireError.Truncated;
        }

        if (!reader.TryReadUInt64BigEndian(out var deletedAtMs) || !reader.TryReadUInt64BigEndian(out var lamport))
        {
            return SyncWireError.Truncated;
        }

        if (!reader.TryReadUInt16BigEndian(out var deletedByLength) || !reader.TryReadBytes(deletedByLength, out var deletedByBytes))
        {
            return SyncWireError.Truncated;
        }

        if (!reader.TryReadUInt16BigEndian(out var reasonLength) || !reader.TryReadBytes(reasonLength, out var reasonBytes))
        {
            return SyncWireError.Truncated;
        }

        if (!reader.TryReadByte(out var directionByte))
        {
            return SyncWireError.Truncated;
        }

        // Document keys are ASCII, so their byte lengths are their character lengths: refuse before allocating.
        if (collectionLength is 0 or > DocumentKey.MaxCollectionLength || idLength is 0 or > DocumentKey.MaxIdLength)
        {
            return SyncWireError.InvalidDocumentKey;
        }

        var collection = StrictUtf8.TryDecode(collectionBytes);
        var id = StrictUtf8.TryDecode(idBytes);
        var deletedBy = StrictUtf8.TryDecode(deletedByBytes);
        var reason = StrictUtf8.TryDecode(reasonBytes);
        if (collection is null || id is null || deletedBy is null || reason is null)
        {
            return SyncWireError.InvalidUtf8;
        }

        if (!DocumentKey.TryCreate(collection, id, out var key))
        {
            return SyncWireError.InvalidDocumentKey;
        }

        if (!SyncWireFormat.TryFromUnixMilliseconds(deletedAtMs, out var deletedAt))
        {
            return SyncWireError.TimestampOutOfRange;
        }

        if (directionByte > (byte)TombstoneDirection.SystemWide)
        {
            return SyncWireError.InvalidDirection;
        }

        tombstone = new Tombstone(key, deletedAt, lamport, deletedBy, reasonLength == 0 ? null : reason, (TombstoneDirection)directionByte);
        return SyncWireError.None;
    }

    private static Prepared Prepare(Tombstone tombstone)
    {
        ArgumentNullException.ThrowIfNull(tombstone);
        if (!Enum.IsDefined(tombstone.Direction))
        {
            throw new ArgumentException($"Direction 0x{(byte)tombstone.Direction:x2} is not defined.", nameof(tombstone));
        }

        var prepared = new Prepared(
            SyncWireFormat.EncodeU16String(tombstone.Key.Collection, "tombstone collection", nameof(tombstone)),
            SyncWireFormat.EncodeU16String(tombstone.Key.Id, "tombstone document id", nameof(tombstone)),
            SyncWireFormat.ToUnixMilliseconds(tombstone.DeletedAt, nameof(tombstone)),
            tombstone.Lamport,
            SyncWireFormat.EncodeU16String(tombstone.DeletedBy, "tombstone DeletedBy", nameof(tombstone)),
            tombstone.Reason is null ? [] : SyncWireFormat.EncodeU16String(tombstone.Reason, "tombstone Reason", nameof(tombstone)),
            (byte)tombstone.Direction);
        return prepared;
    }

    private readonly record struct Prepared(
        byte[] Collection, byte[] Id, ulong DeletedAtMs, ulong Lamport, byte[] DeletedBy, byte[] Reason, byte Direction)
    {
        public int Length => MinMessageSize + Collection.Length + Id.Length + DeletedBy.Length + Reason.Length;

        public void WriteTo(Span<byte> destination)
        {
            var offset = WriteString(destination, Collection);
            offset += WriteString(destination[offset..], Id);
            BinaryPrimitives.WriteUInt64BigEndian(destination[offset..], DeletedAtMs);
            BinaryPrimitives.WriteUInt64BigEndian(destination[(offset + 8)..], Lamport);
            offset += 16;
            offset += WriteString(destination[offset..], DeletedBy);
            offset += WriteString(destination[offset..], Reason);
            destination[offset] = Direction;
        }

        private static int WriteString(Span<byte> destination, byte[] value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)value.Length);
            value.CopyTo(destination[2..]);
            return 2 + value.Length;
        }
    }
}
