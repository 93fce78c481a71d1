using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Sync;

/// <summary>
/// The persisted form of a sync state (Automerge sync protocol §4.3, <c>encodeSyncState</c>):
/// <c>0x43 | uLEB n | n × 32-byte shared head</c>. Only the shared heads survive persistence.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
public static class SyncStateEncoding
{
    /// <summary>The type byte of a persisted sync state (0x43).</summary>
    public const byte TypeByte = 0x43;

    /// <summary>Encodes the shared heads (in the given order; sync states keep them sorted).</summary>
    public static byte[] Encode(IReadOnlyList<ChangeHash> sharedHeads)
    {
        ArgumentNullException.ThrowIfNull(sharedHeads);
        var writer = new ByteWriter(1 + Leb128.MaxLength + (sharedHeads.Count * ChangeHash.Size));
        writer.WriteByte(TypeByte);
        writer.WriteChangeHashes(sharedHeads);
        return writer.ToArray();
    }

    /// <summary>Decodes the shared heads.</summary>
    /// <exception cref="AutomergeFormatException">Wrong type byte, truncated, a count larger than the input, or trailing bytes.</exception>
    public static IReadOnlyList<ChangeHash> Decode(ReadOnlySpan<byte> data)
    {
        var reader = new ByteReader(data);
        var type = reader.ReadByte();
        if (type != TypeByte)
        {
            throw new AutomergeFormatException("Not a sync state: expected type byte 0x43.");
        }

        var heads = reader.ReadChangeHashes();
        if (!reader.IsEnd)
        {
            throw new AutomergeFormatException("Trailing bytes after the sync state.");
        }

        return heads;
    }
}
