using System.Globalization;
using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Sync;

/// <summary>
/// An Automerge sync message (Automerge sync protocol §4.1 "Message layout"):
/// <code>
/// version u8 (0x42 V1 | 0x43 V2)
/// heads:   uLEB n, n × 32-byte hash (sorted)
/// need:    uLEB n, n × 32-byte hash (sorted)
/// have:    uLEB n, n × (lastSync: uLEB k, k × 32-byte hash; bloom: uLEB len, len bytes)
/// changes: uLEB n, n × (uLEB len, len bytes)
/// [flags trailer: uLEB len, len bytes]
/// </code>
/// </summary>
/// <remarks>
/// <para>The 3.x flags trailer is <c>02 02 (0x80 | flags)</c>: byte 0x02 is the legacy "supports V2" capability,
/// the high-bit byte carries <see cref="SyncMessageFlags"/>. On decode every trailer byte with the high bit set
/// contributes its low 7 bits; the mere presence of a trailer (even an old one such as <c>01 02</c>) means the
/// peer understands V2, so <see cref="Flags"/> is non-null. Bytes after the trailer are ignored, as 3.x does
/// (they are the protocol's extension point). <see cref="Encode"/> always writes the 3.x trailer form.</para>
/// <para>Immutable once built (the lists are not copied; do not mutate them afterwards); thread-safe for reading.</para>
/// </remarks>
public sealed class SyncMessage
{
    /// <summary>The message version; defaults to <see cref="SyncMessageVersion.V1"/>.</summary>
    public SyncMessageVersion Version { get; init; } = SyncMessageVersion.V1;

    /// <summary>The sender's heads (sorted on encode).</summary>
    public IReadOnlyList<ChangeHash> Heads { get; init; } = [];

    /// <summary>Hashes the sender asks for (sorted on encode).</summary>
    public IReadOnlyList<ChangeHash> Need { get; init; } = [];

    /// <summary>Summaries of what the sender has (each <see cref="SyncHave.LastSync"/> sorted on encode).</summary>
    public IReadOnlyList<SyncHave> Have { get; init; } = [];

    /// <summary>
    /// The changes: for V1 one change chunk per entry; for V2 at most one entry holding concatenated change
    /// chunks or a whole saved document (writers must respect this; readers accept any number, as 3.x does).
    /// Receivers concatenate all entries and load them incrementally.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Changes { get; init; } = [];

    /// <summary>The flags trailer, or <see langword="null"/> when the message has none (an old peer).</summary>
    public SyncMessageFlags? Flags { get; init; }

    /// <summary>Encodes the message.</summary>
    /// <returns>The message bytes.</returns>
    /// <exception cref="InvalidOperationException">
    /// <see cref="Version"/> is not a defined version, or a list or have entry is null.
    /// </exception>
    public byte[] Encode()
    {
        if (Version is not (SyncMessageVersion.V1 or SyncMessageVersion.V2))
        {
            throw new InvalidOperationException("Unknown sync message version 0x" + ((byte)Version).ToString("x2", CultureInfo.InvariantCulture) + ".");
        }

        if (Heads is null || Need is null || Have is null || Changes is null)
        {
            throw new InvalidOperationException("Sync message lists must not be null.");
        }

        var size = 16 + ((Heads.Count + Need.Count) * ChangeHash.Size);
        foreach (var change in Changes)
        {
            size += change.Length + Leb128.MaxLength;
        }

        var writer = new ByteWriter(size);
        writer.WriteByte((byte)Version);
        writer.WriteChangeHashes(Sorted(Heads));
        writer.WriteChangeHashes(Sorted(Need));
        writer.WriteUInt64((ulong)Have.Count);
        foreach (var have in Have)
        {
            if (have?.LastSync is null || have.Bloom is null)
            {
                throw new InvalidOperationException("A have entry needs a last-sync list and a bloom filter.");
            }

            writer.WriteChangeHashes(Sorted(have.LastSync));
            writer.WriteLengthPrefixed(have.Bloom.Encode());
        }

        writer.WriteUInt64((ulong)Changes.Count);
        foreach (var change in Changes)
        {
            writer.WriteLengthPrefixed(change.Span);
        }

        if (Flags is { } flags)
        {
            writer.WriteByte(2);
            writer.WriteByte(2);
            writer.WriteByte((byte)(0x80 | ((byte)flags & 0x7f)));
        }

        return writer.ToArray();
    }

    /// <summary>Decodes a sync message.</summary>
    /// <param name="data">The message bytes.</param>
    /// <returns>The message; its <see cref="Changes"/> entries are copies (independent of <paramref name="data"/>).</returns>
    /// <exception cref="AutomergeFormatException">
    /// Unknown version byte, truncated input, malformed LEB128, a count or length larger than the remaining input,
    /// or a malformed Bloom filter.
    /// </exception>
    public static SyncMessage Decode(ReadOnlySpan<byte> data)
    {
        var reader = new ByteReader(data);
        var versionByte = reader.ReadByte();
        if (versionByte is not ((byte)SyncMessageVersion.V1 or (byte)SyncMessageVersion.V2))
        {
            throw new AutomergeFormatException(
                "Not a sync message: expected 0x42 or 0x43, found 0x" + versionByte.ToString("x2", CultureInfo.InvariantCulture) + ".");
        }

        var heads = reader.ReadChangeHashes();
        var need = reader.ReadChangeHashes();
        var haveCount = reader.ReadCount(minItemSize: 2);
        var have = new SyncHave[haveCount];
        for (var i = 0; i < haveCount; i++)
        {
            var lastSync = reader.ReadChangeHashes();
            var bloom = BloomFilter.Decode(reader.ReadLengthPrefixedBytes());
            have[i] = new SyncHave(lastSync, bloom);
        }

        var changeCount = reader.ReadCount(minItemSize: 1);
        var changes = new ReadOnlyMemory<byte>[changeCount];
        for (var i = 0; i < changeCount; i++)
        {
            changes[i] = reader.ReadLengthPrefixedBytes().ToArray();
        }

        SyncMessageFlags? flags = null;
        if (!reader.IsEnd)
        {
            var trailer = reader.ReadLengthPrefixedBytes();
            var bits = 0;
            foreach (var b in trailer)
            {
                if ((b & 0x80) != 0)
                {
                    bits |= b & 0x7f;
                }
            }

            flags = (SyncMessageFlags)bits;
        }

        return new SyncMessage
        {
            Version = (SyncMessageVersion)versionByte,
            Heads = heads,
            Need = need,
            Have = have,
            Changes = changes,
            Flags = flags,
        };
    }

    /// <summary>A debugging summary (counts only).</summary>
    public override string ToString() =>
        $"SyncMessage({Version} heads={Heads.Count} need={Need.Count} have={Have.Count} changes={Changes.Count} flags={(Flags?.ToString() ?? "none")})";

    private static ChangeHash[] Sorted(IReadOnlyList<ChangeHash> hashes)
    {
        var copy = hashes.ToArray();
        Array.Sort(copy);
        return copy;
    }
}
