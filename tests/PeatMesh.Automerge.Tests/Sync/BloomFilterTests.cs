using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;

namespace PeatMesh.Automerge.Tests.Sync;

public class BloomFilterTests
{
    private static ChangeHash[] RandomHashes(int seed, int count)
    {
        var random = new Random(seed);
        var hashes = new ChangeHash[count];
        var bytes = new byte[32];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            hashes[i] = ChangeHash.FromBytes(bytes);
        }

        return hashes;
    }

    [Fact]
    public void Empty_EncodesToZeroBytesAndContainsNothing()
    {
        Assert.Empty(BloomFilter.Empty.Encode());
        Assert.Equal(0, BloomFilter.Empty.Count);
        Assert.False(BloomFilter.Empty.Contains(RandomHashes(1, 1)[0]));
        Assert.Same(BloomFilter.Empty, BloomFilter.Decode([]));
        Assert.Same(BloomFilter.Empty, BloomFilter.Create([]));
    }

    [Fact]
    public void Create_Members_AreAllContained()
    {
        var hashes = RandomHashes(7, 1000);
        var bloom = BloomFilter.Create(hashes);
        Assert.Equal(1000, bloom.Count);
        Assert.Equal(1250, bloom.Bits.Length); // ceil(1000 * 10 / 8)
        Assert.All(hashes, h => Assert.True(bloom.Contains(h)));
    }

    [Fact]
    public void Create_NonMembers_FalsePositiveRateNearOnePercent()
    {
        var bloom = BloomFilter.Create(RandomHashes(11, 1000));
        var others = RandomHashes(12, 20_000);
        var positives = others.Count(bloom.Contains);

        // 10 bits/entry with 7 probes gives about 0.8% false positives; allow generous slack.
        Assert.InRange(positives, 0, 20_000 * 3 / 100);
    }

    [Fact]
    public void Encode_Decode_RoundTrips()
    {
        var hashes = RandomHashes(3, 37);
        var bloom = BloomFilter.Create(hashes);
        var bytes = bloom.Encode();
        Assert.Equal(new byte[] { 37, 10, 7 }, bytes[..3]);
        Assert.Equal(3 + 47, bytes.Length); // ceil(370 / 8) = 47
        var decoded = BloomFilter.Decode(bytes);
        Assert.Equal(bloom.Bits.ToArray(), decoded.Bits.ToArray());
        Assert.All(hashes, h => Assert.True(decoded.Contains(h)));
        Assert.Equal(bytes, decoded.Encode());
    }

    [Theory]
    [InlineData("020a074b2260")] // demo-sync-1's filter
    [InlineData("010a0700ff")] // 1 entry => 2 bytes
    public void Decode_WellFormed_Accepted(string hex)
    {
        var bloom = BloomFilter.Decode(Convert.FromHexString(hex));
        Assert.Equal(Convert.FromHexString(hex), bloom.Encode());
    }

    [Theory]
    [InlineData("020a074b22")] // one byte short
    [InlineData("020a074b226000")] // trailing byte
    [InlineData("020a")] // truncated header
    [InlineData("020a41" + "4b2260")] // 65 probes
    [InlineData("ffffffff1f0a07")] // count above u32
    [InlineData("ffffffff07ffffffff0707")] // bit array would be enormous
    [InlineData("8100")] // overlong LEB
    public void Decode_Malformed_Throws(string hex)
    {
        Assert.Throws<AutomergeFormatException>(() => BloomFilter.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Contains_FilterWithEntriesButNoBits_IsFalse()
    {
        // 3 entries, 0 bits per entry: no bit array; Automerge would divide by zero here.
        var bloom = BloomFilter.Decode(Convert.FromHexString("030007"));
        Assert.False(bloom.Contains(RandomHashes(5, 1)[0]));
    }
}
