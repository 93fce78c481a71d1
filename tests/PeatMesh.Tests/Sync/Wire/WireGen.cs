using FsCheck;
using FsCheck.Fluent;
using PeatMesh.Storage;
using PeatMesh.Sync.Wire;

namespace PeatMesh.Tests.Sync.Wire;

/// <summary>FsCheck generators for wire round-trip properties, sampled with fixed seeds (deterministic).</summary>
internal static class WireGen
{
    private static readonly string[] TextPieces = ["a", "Z", "0", ":", "-", "_", " ", "é", "λ", "中", "😀", "\u0000", "\n"];
    private const string CollectionChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
    private const string IdChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~:@-";

    public static T[] Sample<T>(Gen<T> gen, ulong seed, int count) =>
        Gen.Sample(gen, 40, new Rnd(seed, 0x9E3779B97F4A7C15UL), count);

    public static Gen<byte[]> Bytes(int maxLength) =>
        from length in Gen.Choose(0, maxLength)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), length)
        select bytes;

    public static Gen<string> Text(int maxPieces) =>
        from count in Gen.Choose(0, maxPieces)
        from pieces in Gen.ArrayOf(Gen.Elements(TextPieces), count)
        select string.Concat(pieces);

    public static Gen<string> FromAlphabet(string alphabet, int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        select new string(chars);

    public static Gen<ulong> UInt64 =>
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        from small in Gen.Elements(true, false)
        select small ? (ulong)(uint)lo % 1000 : ((ulong)(uint)hi << 32) | (uint)lo;

    /// <summary>Unix milliseconds within the wire's representable range (0 .. 9999-12-31T23:59:59.999Z).</summary>
    public static Gen<DateTimeOffset> Timestamp =>
        UInt64.Select(v => DateTimeOffset.FromUnixTimeMilliseconds((long)(v % 253_402_300_800_000)));

    public static Gen<SyncFrame> Frame =>
        from key in Text(30)
        from type in Gen.Elements(Enum.GetValues<SyncMessageType>().Where(SyncFrame.IsFrameType).ToArray())
        from payload in Bytes(300)
        select new SyncFrame(key, type, payload);

    public static Gen<SyncEntry> Entry =>
        from key in Text(30)
        from type in Gen.Elements(Enum.GetValues<SyncMessageType>().Where(SyncEntry.IsEntryType).ToArray())
        from payload in Bytes(200)
        select new SyncEntry(key, type, payload);

    public static Gen<SyncBatch> Batch =>
        from id in UInt64
        from createdAt in Timestamp
        from ttl in Gen.Choose(0, 255)
        from count in Gen.Choose(0, 8)
        from entries in Gen.ArrayOf(Entry, count)
        select new SyncBatch(id, createdAt, (byte)ttl, entries);

    public static Gen<Tombstone> Tombstone =>
        from collection in FromAlphabet(CollectionChars, 1, DocumentKey.MaxCollectionLength)
        from id in FromAlphabet(IdChars, 1, 80)
        from deletedAt in Timestamp
        from lamport in UInt64
        from deletedBy in Text(20)
        from reason in Gen.OneOf(Gen.Constant<string?>(null), Text(20).Where(t => t.Length > 0).Select(t => (string?)t))
        from direction in Gen.Elements(Enum.GetValues<TombstoneDirection>())
        select new Tombstone(DocumentKey.Create(collection, id), deletedAt, lamport, deletedBy, reason, direction);
}
