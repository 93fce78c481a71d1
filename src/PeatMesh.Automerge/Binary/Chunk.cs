using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// One validated chunk (magic, checksum verified, known type) from a byte stream
/// (Automerge binary format §2.2 "Chunk container, checksum, hashes").
/// </summary>
/// <remarks>Immutable (the memory is not copied: do not mutate the source); thread-safe.</remarks>
public sealed class Chunk
{
    internal Chunk(ChunkType type, ReadOnlyMemory<byte> bytes, ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> uncompressedBody, ChangeHash hash)
    {
        Type = type;
        Bytes = bytes;
        Body = body;
        UncompressedBody = uncompressedBody;
        Hash = hash;
    }

    /// <summary>The chunk type as stored.</summary>
    public ChunkType Type { get; }

    /// <summary>The whole chunk as stored (magic through body).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The body as stored (DEFLATE data for <see cref="ChunkType.CompressedChange"/>).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body with chunk-level compression removed: the inflated change body for
    /// <see cref="ChunkType.CompressedChange"/>, otherwise <see cref="Body"/>.</summary>
    public ReadOnlyMemory<byte> UncompressedBody { get; }

    /// <summary>
    /// SHA-256 over (type ‖ uLEB length ‖ body); for a compressed change, that of the equivalent uncompressed
    /// type-1 chunk (so it is the change hash). Its first 4 bytes are the stored checksum.
    /// </summary>
    public ChangeHash Hash { get; }

    /// <summary>A debugging representation.</summary>
    public override string ToString() => $"Chunk({Type}, {Bytes.Length} bytes, {Hash})";
}
