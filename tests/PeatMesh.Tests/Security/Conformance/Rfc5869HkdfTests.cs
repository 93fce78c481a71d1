using System.Security.Cryptography;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>RFC 5869 Appendix A HKDF vectors (SHA-256 and SHA-1) against .NET's <see cref="HKDF"/>.</summary>
public class Rfc5869HkdfTests
{
    public static TheoryData<int> TestCases()
    {
        using var doc = VectorFile.Load("rfc", "rfc5869_hkdf.json");
        var data = new TheoryData<int>();
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            data.Add(v.GetProperty("test_case").GetInt32());
        }

        return data;
    }

    [Fact]
    public void VectorFile_HasSha256AndSha1Cases()
    {
        using var doc = VectorFile.Load("rfc", "rfc5869_hkdf.json");
        var hashes = doc.RootElement.GetProperty("vectors").EnumerateArray().Select(v => v.Str("hash")).ToArray();
        Assert.Equal(3, hashes.Count(h => h == "SHA-256"));
        Assert.Equal(4, hashes.Count(h => h == "SHA-1"));
    }

    [Theory]
    [MemberData(nameof(TestCases))]
    public void ExtractAndExpand_RfcCase_MatchPrkAndOkm(int testCase)
    {
        using var doc = VectorFile.Load("rfc", "rfc5869_hkdf.json");
        var v = doc.RootElement.GetProperty("vectors").EnumerateArray().Single(x => x.GetProperty("test_case").GetInt32() == testCase);
        var hash = v.Str("hash") switch
        {
            "SHA-256" => HashAlgorithmName.SHA256,
            "SHA-1" => HashAlgorithmName.SHA1,
            var other => throw new InvalidOperationException("unexpected hash " + other),
        };
        var ikm = v.Hex("ikm");
        var salt = v.Hex("salt");
        var info = v.Hex("info");
        var length = v.GetProperty("L").GetInt32();

        var prk = HKDF.Extract(hash, ikm, salt);
        Assert.Equal(v.Str("prk"), Convert.ToHexStringLower(prk));

        var okm = HKDF.Expand(hash, prk, length, info);
        Assert.Equal(v.Str("okm"), Convert.ToHexStringLower(okm));

        var oneShot = HKDF.DeriveKey(hash, ikm, length, salt, info);
        Assert.Equal(v.Str("okm"), Convert.ToHexStringLower(oneShot));
    }
}
