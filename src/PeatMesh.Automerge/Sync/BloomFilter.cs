using System.Buffers.Binary;
using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Sync;

/// <summary>
/// The Bloom filter of change hashes carried in a sync message's <c>have</c> entries
/// (Automerge sync protocol §4.2): 10 bits per entry and 7 probes when created here; any parameters
/// when decoded, since they travel with the filter.
/// </summary>
/// <remarks>
/// <para>Wire form: zero bytes for an empty filter, else uLEB entry count, uLEB bits per entry,
/// uLEB probe count, then <c>ceil(count × bitsPerEntry / 8)</c> bytes of bits. Probes for a hash:
/// x, y, z = little-endian u32 of hash bytes 0–3, 4–7, 8–11, each mod m (m = 8 × bit bytes);
/// probe 0 = x, then repeatedly x = (x + y) mod m, y = (y + z) mod m.</para>
/// <para>Immutable; thread-safe.</para>
/// </remarks>
public sealed class BloomFilter
{
    /// <summary>Bits per entry used by <see cref="Create"/> (10, about 1% false positives).</summary>
    public const int DefaultBitsPerEntry = 10;

    /// <summary>Probes per hash used by <see cref="Create"/> (7).</summary>
    public const int DefaultProbes = 7;

    /// <summary>The largest probe count <see cref="Decode"/> accepts (64); Automerge writes 7.</summary>
    public const int MaxProbes = 64;

    /// <summary>The largest bit array <see cref="Decode"/> accepts, in bytes (256 MiB).</summary>
    public const int MaxBitsLength = 256 * 1024 * 1024;

    private readonly byte[] _bits;

    private BloomFilter(int count, int bitsPerEntry, int probes, byte[] bits)
    {
        Count = count;
        BitsPerEntry = bitsPerEntry;
        Probes = probes;
        _bits = bits;
    }

    /// <summary>The empty filter (encodes to zero bytes; contains nothing).</summary>
    public static BloomFilter Empty { get; } = new(0, DefaultBitsPerEntry, DefaultProbes, []);

    /// <summary>The number of entries the filter was built from.</summary>
    public int Count { get; }

    /// <summary>Bits per entry.</summary>
    public int BitsPerEntry { get; }

    /// <summary>Probes per hash.</summary>
    public int Probes { get; }

    /// <summary>The bit array (bit p is <c>bits[p &gt;&gt; 3] &amp; (1 &lt;&lt; (p &amp; 7))</c>).</summary>
    public ReadOnlySpan<byte> Bits => _bits;

    /// <summary>Builds a filter holding <paramref name="hashes"/> (10 bits per entry, 7 probes).</summary>
    /// <returns><see cref="Empty"/> when <paramref name="hashes"/> is empty.</returns>
    public static BloomFilter Create(IReadOnlyCollection<ChangeHash> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0)
        {
            return Empty;
        }

        var bits = new byte[(int)BitsLength((ulong)hashes.Count, DefaultBitsPerEntry)];
        Span<uint> probes = stackalloc uint[DefaultProbes];
        foreach (var hash in hashes)
        {
            ComputeProbes(hash, bits.Length, probes);
            foreach (var p in probes)
            {
                bits[p >> 3] |= (byte)(1 << (int)(p & 7));
            }
        }

        return new BloomFilter(hashes.Count, DefaultBitsPerEntry, DefaultProbes, bits);
    }

    /// <summary>
    /// Whether <paramref name="hash"/> may be in the set (false positives possible, no false negatives).
    /// Always false for a filter with no entries or no bits.
    /// </summary>
    public bool Contains(ChangeHash hash)
    {
        if (Count == 0 || _bits.Length == 0)
        {
            return false;
        }

        Span<uint> probes = stackalloc uint[Math.Max(1, Probes)];
        ComputeProbes(hash, _bits.Length, probes);
        foreach (var p in probes)
        {
            if ((_bits[p >> 3] & (1 << (int)(p & 7))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Encodes the filter; an empty filter encodes to zero bytes.</summary>
    public byte[] Encode()
    {
        if (Count == 0)
        {
            return [];
        }

        var writer = new ByteWriter(_bits.Length + 16);
        writer.WriteUInt64((ulong)Count);
        writer.WriteUInt64((ulong)BitsPerEntry);
        writer.WriteUInt64((ulong)Probes);
        writer.Write(_bits);
        return writer.ToArray();
    }

    /// <summary>Decodes a filter; zero bytes give <see cref="Empty"/>.</summary>
    /// <param name="data">Exactly the filter bytes (the length-prefixed field of a <c>have</c> entry).</param>
    /// <exception cref="AutomergeFormatException">
    /// Malformed LEB128, a field above 32 bits, more than <see cref="MaxProbes"/> probes, a bit array longer than
    /// <see cref="MaxBitsLength"/>, or a byte count different from <c>ceil(count × bitsPerEntry / 8)</c>.
    /// </exception>
    public static BloomFilter Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return Empty;
        }

        var reader = new ByteReader(data);
        var count = reader.ReadUInt32();
        var bitsPerEntry = reader.ReadUInt32();
        var probes = reader.ReadUInt32();
        if (count > int.MaxValue || bitsPerEntry > int.MaxValue)
        {
            throw new AutomergeFormatException("Bloom filter entry count or bits per entry out of range.");
        }

        if (probes > MaxProbes)
        {
            throw new AutomergeFormatException($"Bloom filter has {probes} probes; at most {MaxProbes} are accepted.");
        }

        var length = BitsLength(count, bitsPerEntry);
        if (length > MaxBitsLength)
        {
            throw new AutomergeFormatException("Bloom filter bit array is too large.");
        }

        if ((ulong)reader.Remaining != length)
        {
            throw new AutomergeFormatException(
                $"Bloom filter needs {length} bytes of bits for {count} entries, found {reader.Remaining}.");
        }

        var bits = reader.ReadRest().ToArray();
        return count == 0 ? Empty : new BloomFilter((int)count, (int)bitsPerEntry, (int)probes, bits);
    }

    /// <summary>A debugging representation.</summary>
    public override string ToString() => $"BloomFilter(count={Count}, bitsPerEntry={BitsPerEntry}, probes={Probes}, bytes={_bits.Length})";

    private static ulong BitsLength(ulong count, ulong bitsPerEntry) => ((count * bitsPerEntry) + 7) / 8;

    private static void ComputeProbes(ChangeHash hash, int bitsLength, Span<uint> probes)
    {
        Span<byte> bytes = stackalloc byte[ChangeHash.Size];
        hash.WriteTo(bytes);
        var modulo = (uint)bitsLength * 8;
        var x = BinaryPrimitives.ReadUInt32LittleEndian(bytes) % modulo;
        var y = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) % modulo;
        var z = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) % modulo;
        probes[0] = x;
        for (var i = 1; i < probes.Length; i++)
        {
            x = (x + y) % modulo;
            y = (y + z) % modulo;
            probes[i] = x;
        }
    }
}
