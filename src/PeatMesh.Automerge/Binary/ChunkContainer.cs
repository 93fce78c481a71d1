using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// The chunk container (Automerge binary format §2.2):
/// <c>magic 85 6f 4a 83 | checksum[4] | type u8 | uLEB length | body</c>, where
/// hash = SHA-256(type ‖ uLEB length ‖ body) and checksum = hash[0..4]. A file or message is any number of
/// chunks back to back.
/// </summary>
/// <remarks>
/// Readers reject bad magic, unknown types, truncation and bad checksums. For a compressed change (type 2) the
/// body is raw DEFLATE of a change body and the checksum is that of the equivalent uncompressed type-1 chunk, so
/// verifying it means inflating (bounded by <see cref="MaxInflatedBodyLength"/>). Stateless; thread-safe.
/// </remarks>
public static class ChunkContainer
{
    /// <summary>The largest inflated body accepted for a compressed change chunk, in bytes (64 MiB).</summary>
    public const int MaxInflatedBodyLength = 64 * 1024 * 1024;

    /// <summary>Length of magic plus checksum, in bytes (8).</summary>
    public const int PrefixLength = 8;

    /// <summary>The magic bytes <c>85 6f 4a 83</c>.</summary>
    public static ReadOnlySpan<byte> Magic => [0x85, 0x6f, 0x4a, 0x83];

    /// <summary>Reads and verifies the chunk at the start of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes beginning with a chunk; may continue with further chunks.</param>
    /// <param name="bytesConsumed">Receives the chunk's total stored length.</param>
    /// <returns>The chunk (views into <paramref name="data"/>, plus the inflated body of a compressed change).</returns>
    /// <exception cref="AutomergeFormatException">Bad magic, unknown type, truncated, bad checksum, or an invalid or oversized DEFLATE body.</exception>
    public static Chunk Read(ReadOnlyMemory<byte> data, out int bytesConsumed)
    {
        var (type, headerLength, bodyLength) = ReadHeader(data.Span);
        bytesConsumed = headerLength + bodyLength;
        var bytes = data[..bytesConsumed];
        var body = bytes[headerLength..];
        if (type == ChunkType.CompressedChange)
        {
            var inflated = Deflate.Inflate(body, MaxInflatedBodyLength);
            var hash = ComputeHash(ChunkType.Change, inflated);
            VerifyChecksum(bytes.Span, hash);
            return new Chunk(type, bytes, body, inflated, hash);
        }
        else
        {
            var hash = HashFromType(bytes.Span[PrefixLength..]);
            VerifyChecksum(bytes.Span, hash);
            return new Chunk(type, bytes, body, body, hash);
        }
    }

    /// <summary>
    /// Enumerates the chunks of a concatenation, verifying each. Lazy: a malformed chunk throws when reached.
    /// </summary>
    /// <param name="data">Zero or more chunks back to back (a saved file, a V2 sync entry, …).</param>
    /// <exception cref="AutomergeFormatException">Thrown during enumeration by a malformed chunk.</exception>
    public static IEnumerable<Chunk> ReadAll(ReadOnlyMemory<byte> data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var chunk = Read(data[offset..], out var consumed);
            offset += consumed;
            yield return chunk;
        }
    }

    /// <summary>Wraps <paramref name="body"/> in a chunk of type <paramref name="type"/>.</summary>
    /// <param name="type">The chunk type (for a compressed change, pass the DEFLATE body and use <see cref="WriteCompressedChange"/> instead).</param>
    /// <param name="body">The body.</param>
    /// <param name="hash">Receives SHA-256(type ‖ uLEB length ‖ body).</param>
    /// <returns>The chunk bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="type"/> is <see cref="ChunkType.CompressedChange"/> or undefined.</exception>
    public static byte[] Write(ChunkType type, ReadOnlySpan<byte> body, out ChangeHash hash)
    {
        if (type is not (ChunkType.Document or ChunkType.Change or ChunkType.Bundle))
        {
            throw new ArgumentException("Use WriteCompressedChange for compressed changes; type must be 0, 1 or 3.", nameof(type));
        }

        hash = ComputeHash(type, body);
        Span<byte> header = stackalloc byte[1 + Leb128.MaxLength];
        return Assemble(hash, header[..WriteHeader(header, type, body.Length)], body);
    }

    /// <summary>
    /// Writes a compressed change chunk (type 2): raw DEFLATE of <paramref name="changeBody"/>, with the checksum of
    /// the equivalent uncompressed change chunk. Automerge 3.x never writes these but reads them.
    /// </summary>
    /// <param name="changeBody">An uncompressed change-chunk body.</param>
    /// <param name="hash">Receives the change hash (of the uncompressed chunk).</param>
    public static byte[] WriteCompressedChange(ReadOnlySpan<byte> changeBody, out ChangeHash hash)
    {
        hash = ComputeHash(ChunkType.Change, changeBody);
        var compressed = Deflate.Compress(changeBody);
        Span<byte> header = stackalloc byte[1 + Leb128.MaxLength];
        return Assemble(hash, header[..WriteHeader(header, ChunkType.CompressedChange, compressed.Length)], compressed);
    }

    /// <summary>
    /// Lays out a stored chunk (Automerge binary format §2.2): magic, the first four bytes of <paramref name="hash"/> as
    /// the checksum, then <paramref name="head"/> and <paramref name="rest"/>, which together are type ‖ uLEB body
    /// length ‖ body (split wherever the caller has them: a header and a body, or a body's start and the rest).
    /// </summary>
    /// <param name="hash">The chunk's hash (for a compressed change, the hash of the uncompressed change).</param>
    /// <param name="head">The first part from the type byte on.</param>
    /// <param name="rest">The remaining part.</param>
    internal static byte[] Assemble(ChangeHash hash, ReadOnlySpan<byte> head, ReadOnlySpan<byte> rest)
    {
        var chunk = new byte[PrefixLength + head.Length + rest.Length];
        Magic.CopyTo(chunk);
        Span<byte> digest = stackalloc byte[ChangeHash.Size];
        hash.WriteTo(digest);
        digest[..4].CopyTo(chunk.AsSpan(4));
        head.CopyTo(chunk.AsSpan(PrefixLength));
        rest.CopyTo(chunk.AsSpan(PrefixLength + head.Length));
        return chunk;
    }

    /// <summary>Writes a chunk header, type ‖ uLEB body length, and returns its length (at most 1 + <see cref="Leb128.MaxLength"/>).</summary>
    internal static int WriteHeader(Span<byte> destination, ChunkType type, int bodyLength)
    {
        destination[0] = (byte)type;
        return 1 + Leb128.WriteUnsigned(destination[1..], (ulong)bodyLength);
    }

    /// <summary>SHA-256 of a chunk from its type byte on (type ‖ uLEB length ‖ body, the part after magic and checksum).</summary>
    public static ChangeHash HashFromType(ReadOnlySpan<byte> fromType)
    {
        Span<byte> digest = stackalloc byte[ChangeHash.Size];
        Sha256Hasher.Shared.Hash(fromType, digest);
        return ChangeHash.FromBytes(digest);
    }

    /// <summary>SHA-256(type ‖ uLEB length ‖ body): the hash of a chunk with that type and body.</summary>
    public static ChangeHash ComputeHash(ChunkType type, ReadOnlySpan<byte> body)
    {
        Span<byte> header = stackalloc byte[1 + Leb128.MaxLength];
        var n = WriteHeader(header, type, body.Length);
        Span<byte> digest = stackalloc byte[ChangeHash.Size];
        Sha256Hasher.Shared.Hash(header[..n], body, digest);
        return ChangeHash.FromBytes(digest);
    }

    /// <summary>Parses magic, type and length (not the checksum).</summary>
    internal static (ChunkType Type, int HeaderLength, int BodyLength) ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < PrefixLength + 2)
        {
            throw new AutomergeFormatException("Truncated chunk header.");
        }

        if (!data[..4].SequenceEqual(Magic))
        {
            throw new AutomergeFormatException("Not an Automerge chunk (bad magic bytes).");
        }

        var type = data[PrefixLength];
        if (type > (byte)ChunkType.Bundle)
        {
            throw new AutomergeFormatException("Unknown chunk type " + type + ".");
        }

        var length = Leb128.ReadUnsigned(data[(PrefixLength + 1)..], out var lengthSize);
        var headerLength = PrefixLength + 1 + lengthSize;
        if (length > (ulong)(data.Length - headerLength))
        {
            throw new AutomergeFormatException("Truncated chunk: body of " + length + " bytes, " + (data.Length - headerLength) + " available.");
        }

        return ((ChunkType)type, headerLength, (int)length);
    }

    private static void VerifyChecksum(ReadOnlySpan<byte> chunk, ChangeHash hash)
    {
        Span<byte> digest = stackalloc byte[ChangeHash.Size];
        hash.WriteTo(digest);
        if (!digest[..4].SequenceEqual(chunk.Slice(4, 4)))
        {
            throw new AutomergeFormatException("Chunk checksum mismatch.");
        }
    }
}
