using PeatMesh.Security;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>RFC 7748 §5.2 and §6.1 X25519 vectors against the libsodium binding.</summary>
public class Rfc7748X25519Tests
{
    [Fact]
    public void TryAgree_Section52Vectors_MatchOutput()
    {
        using var doc = VectorFile.Load("rfc", "rfc7748_x25519.json");
        var vectors = doc.RootElement.GetProperty("scalar_mult").EnumerateArray().ToArray();
        Assert.Equal(2, vectors.Length);
        foreach (var v in vectors)
        {
            var shared = new byte[32];
            Assert.True(X25519.TryAgree(v.Hex("scalar"), v.Hex("u"), shared));
            Assert.Equal(v.Str("output"), Convert.ToHexStringLower(shared));
        }
    }

    [Fact]
    public void TryAgree_IteratedOnce_MatchesRfc()
    {
        Assert.Equal(Iterated("after_1"), Convert.ToHexStringLower(Iterate(1)));
    }

    [Fact]
    public void TryAgree_Iterated1000Times_MatchesRfc()
    {
        Assert.Equal(Iterated("after_1000"), Convert.ToHexStringLower(Iterate(1000)));
    }

    [SlowFact]
    public void TryAgree_Iterated1000000Times_MatchesRfc()
    {
        Assert.Equal(Iterated("after_1000000"), Convert.ToHexStringLower(Iterate(1_000_000)));
    }

    [Fact]
    public void DerivePublicKeyAndAgree_Section61AliceBob_MatchRfc()
    {
        using var doc = VectorFile.Load("rfc", "rfc7748_x25519.json");
        var dh = doc.RootElement.GetProperty("dh");
        var alicePublic = new byte[32];
        var bobPublic = new byte[32];
        X25519.DerivePublicKey(dh.Hex("alice_private"), alicePublic);
        X25519.DerivePublicKey(dh.Hex("bob_private"), bobPublic);
        Assert.Equal(dh.Str("alice_public"), Convert.ToHexStringLower(alicePublic));
        Assert.Equal(dh.Str("bob_public"), Convert.ToHexStringLower(bobPublic));

        var aliceShared = new byte[32];
        var bobShared = new byte[32];
        Assert.True(X25519.TryAgree(dh.Hex("alice_private"), bobPublic, aliceShared));
        Assert.True(X25519.TryAgree(dh.Hex("bob_private"), alicePublic, bobShared));
        Assert.Equal(dh.Str("shared"), Convert.ToHexStringLower(aliceShared));
        Assert.Equal(dh.Str("shared"), Convert.ToHexStringLower(bobShared));
    }

    [Fact]
    public void TryAgree_WrongLengths_ReturnsFalse()
    {
        var shared = new byte[32];
        Assert.False(X25519.TryAgree(new byte[31], new byte[32], shared));
        Assert.False(X25519.TryAgree(new byte[32], new byte[33], shared));
        Assert.False(X25519.TryAgree(new byte[32], new byte[32], new byte[16]));
    }

    private static string Iterated(string name)
    {
        using var doc = VectorFile.Load("rfc", "rfc7748_x25519.json");
        return doc.RootElement.GetProperty("iterated").Str(name);
    }

    // RFC 7748 §5.2: k = u = 9; repeat (k, u) = (X25519(k, u), k).
    private static byte[] Iterate(int iterations)
    {
        var k = new byte[32];
        var u = new byte[32];
        k[0] = 9;
        u[0] = 9;
        var result = new byte[32];
        for (var i = 0; i < iterations; i++)
        {
            Assert.True(X25519.TryAgree(k, u, result), "iteration " + i);
            (u, k, result) = (k, result, u);
        }

        return k;
    }
}
