using System.Security.Cryptography;
using System.Text;
using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class Sha256HasherTests
{
    public static TheoryData<bool> Paths => new() { true, false };

    [Fact]
    public void OnLinux_TheLibcryptoDigestFunctionsAreUsed()
    {
        // .NET's own cryptography needs libcrypto.so.3 on Linux, so the fast path must be live there (else every test
        // below would only exercise the fallback).
        Assert.Equal(OperatingSystem.IsLinux(), Sha256Hasher.IsNativeAvailable);
        Assert.Equal(OperatingSystem.IsLinux(), Sha256Hasher.Shared.IsNative);
        using var managed = Sha256Hasher.Create(preferNative: false);
        Assert.False(managed.IsNative);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Hash_Fips180Vectors(bool native)
    {
        using var hasher = Sha256Hasher.Create(native);
        var digest = new byte[32];
        hasher.Hash(Encoding.ASCII.GetBytes("abc"), digest);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(digest));
        hasher.Hash(Encoding.ASCII.GetBytes("abcdbcdecdefdefgefghfghighij"), Encoding.ASCII.GetBytes("hijkijkljklmklmnlmnomnopnopq"), digest);
        Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", Convert.ToHexStringLower(digest));
        hasher.Hash([], [], digest);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(digest));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Hash_EveryLengthAndSplit_MatchesTheFramework(bool native)
    {
        using var hasher = Sha256Hasher.Create(native);
        var random = new Random(28);
        var input = new byte[300];
        random.NextBytes(input);
        var ours = new byte[32];
        for (var length = 0; length <= input.Length; length++)
        {
            var expected = SHA256.HashData(input.AsSpan(0, length));
            foreach (var split in new[] { 0, length / 2, length, random.Next(length + 1) })
            {
                hasher.Hash(input.AsSpan(0, split), input.AsSpan(split, length - split), ours);
                Assert.True(expected.AsSpan().SequenceEqual(ours), $"length {length}, split {split}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Hash_LargeInput_MatchesTheFramework(bool native)
    {
        using var hasher = Sha256Hasher.Create(native);
        var input = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(input);
        var ours = new byte[40]; // longer than a digest: only the first 32 bytes are written
        hasher.Hash(input, ours);
        Assert.Equal(SHA256.HashData(input), ours[..32]);
        Assert.All(ours[32..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Hash_ShortDigestBuffer_Throws()
    {
        using var hasher = Sha256Hasher.Create(preferNative: true);
        Assert.Throws<ArgumentException>(() => hasher.Hash([1, 2, 3], new byte[31]));
    }

    [Fact]
    public async Task Shared_ConcurrentThreads_HashIndependently()
    {
        var inputs = Enumerable.Range(0, 4).Select(i => Enumerable.Repeat((byte)i, 1000 + i).ToArray()).ToArray();
        var results = await Task.WhenAll(inputs.Select(input => Task.Run(() =>
        {
            var digest = new byte[32];
            for (var k = 0; k < 2000; k++)
            {
                Sha256Hasher.Shared.Hash(input, digest);
            }

            return digest;
        })));
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(SHA256.HashData(inputs[i]), results[i]);
        }
    }
}
