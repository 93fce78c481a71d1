using System.Buffers.Binary;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Remembers the DEFLATE bytes of document columns as they were read, keyed by the SHA-256 of the inflated column,
/// so that saving an unchanged column again writes the very bytes Automerge wrote (DEFLATE output is not
/// canonical: .NET's zlib does not reproduce Rust's miniz_oxide; see docs/adr, "Reusing deflated columns").
/// </summary>
/// <remarks>
/// <para>Bounded: the cache holds the columns the last save used plus those of the last input that held document
/// chunks (<see cref="ReplaceLoaded"/> drops earlier loaded ones; <see cref="RetainUsed"/>, called after each save,
/// drops what that save did not use), and never more than <see cref="MaxBytes"/> of compressed data.</para>
/// <para>Not thread-safe; owned by one <see cref="AutomergeDocument"/>.</para>
/// </remarks>
internal sealed class DeflateColumnCache
{
    /// <summary>The most compressed bytes kept (64 MiB).</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private readonly Dictionary<Digest, Entry> _entries = [];
    private long _bytes;

    /// <summary>Number of cached columns.</summary>
    public int Count => _entries.Count;

    /// <summary>Total compressed bytes held.</summary>
    public long Bytes => _bytes;

    /// <summary>
    /// Forgets the loaded entries the last save did not use, then remembers the given (inflated, compressed) columns:
    /// those of the document chunks of one input (a file, a <c>LoadIncremental</c> call, a sync message).
    /// </summary>
    public void ReplaceLoaded(IReadOnlyList<DeflatedColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var (key, entry) in _entries)
        {
            if (!entry.Kept)
            {
                _entries.Remove(key);
                _bytes -= entry.Compressed.Length;
            }
        }

        foreach (var column in columns)
        {
            Add(column.Inflated.Span, column.Compressed.Span);
        }
    }

    /// <summary>Remembers that <paramref name="compressed"/> inflates to <paramref name="uncompressed"/> (the bytes are copied).</summary>
    public void Add(ReadOnlySpan<byte> uncompressed, ReadOnlySpan<byte> compressed)
    {
        var key = Digest.Of(uncompressed);
        if (_entries.ContainsKey(key) || _bytes + compressed.Length > MaxBytes)
        {
            return;
        }

        _entries.Add(key, new Entry(compressed.ToArray()));
        _bytes += compressed.Length;
    }

    /// <summary>The remembered compressed form of <paramref name="uncompressed"/>, marking the entry as used.</summary>
    public bool TryGet(ReadOnlySpan<byte> uncompressed, out byte[] compressed)
    {
        if (_entries.Count > 0 && _entries.TryGetValue(Digest.Of(uncompressed), out var entry))
        {
            entry.Used = true;
            compressed = entry.Compressed;
            return true;
        }

        compressed = [];
        return false;
    }

    /// <summary>Keeps the entries used since the last call (as the last save's), drops every other entry.</summary>
    public void RetainUsed()
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Used)
            {
                entry.Used = false;
                entry.Kept = true;
            }
            else
            {
                _entries.Remove(key);
                _bytes -= entry.Compressed.Length;
            }
        }
    }

    /// <summary>Copies every entry of <paramref name="other"/> into this cache (within the bound).</summary>
    public void AddAll(DeflateColumnCache other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, entry) in other._entries)
        {
            if (!_entries.ContainsKey(key) && _bytes + entry.Compressed.Length <= MaxBytes)
            {
                _entries.Add(key, new Entry(entry.Compressed));
                _bytes += entry.Compressed.Length;
            }
        }
    }

    private sealed class Entry(byte[] compressed)
    {
        public byte[] Compressed { get; } = compressed;

        /// <summary>Used by the save in progress.</summary>
        public bool Used { get; set; }

        /// <summary>Used by the last save (so a later load does not drop it).</summary>
        public bool Kept { get; set; }
    }

    // A class: the cache's dictionary then runs the framework's shared, precompiled generic code (a struct key would be
    // JIT-compiled on the first load of a process).
    private sealed record Digest(ulong A, ulong B, ulong C, ulong D)
    {
        public static Digest Of(ReadOnlySpan<byte> data)
        {
            Span<byte> hash = stackalloc byte[32];
            Sha256Hasher.Shared.Hash(data, hash);
            return new Digest(
                BinaryPrimitives.ReadUInt64LittleEndian(hash),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
        }
    }
}
