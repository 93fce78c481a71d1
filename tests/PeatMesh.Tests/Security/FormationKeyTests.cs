using System.Security.Cryptography;
using System.Text;
using PeatMesh.Security;

namespace PeatMesh.Tests.Security;

public class FormationKeyTests
{
    private static readonly byte[] Secret32 = Enumerable.Range(0x40, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Nonce = Enumerable.Range(0xA0, 32).Select(i => (byte)i).ToArray();

    /// <summary>Reference digest §2.2–2.3 computed independently with .NET primitives.</summary>
    private static byte[] ExpectedResponse(byte[] secret32, string formationId, byte[] nonce)
    {
        var id = Encoding.UTF8.GetBytes(formationId);
        var hmacKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret32, 32, id, "peat-protocol-v1-formation"u8.ToArray());
        byte[] message = [.. nonce, .. id];
        return HMACSHA256.HashData(hmacKey, message);
    }

    [Fact]
    public void RespondToChallenge_MatchesIndependentHkdfAndHmac()
    {
        using var key = FormationKey.Create("alpha-company", Secret32);
        var challenge = new FormationChallenge("alpha-company", Nonce);
        Assert.Equal(ExpectedResponse(Secret32, "alpha-company", Nonce), key.RespondToChallenge(challenge));
    }

    [Fact]
    public void FromBase64_ThirtyTwoBytes_UsedAsIs()
    {
        using var key = FormationKey.FromBase64("peat", "  " + Convert.ToBase64String(Secret32) + "\n");
        var response = key.RespondToChallenge(new FormationChallenge("peat", Nonce));
        Assert.Equal(ExpectedResponse(Secret32, "peat", Nonce), response);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(138)]
    public void FromBase64_OtherLengths_NormalisedWithSha256(int length)
    {
        var raw = Enumerable.Range(0, length).Select(i => (byte)(i * 3)).ToArray();
        using var key = FormationKey.FromBase64("peat", Convert.ToBase64String(raw));
        var response = key.RespondToChallenge(new FormationChallenge("peat", Nonce));
        Assert.Equal(ExpectedResponse(SHA256.HashData(raw), "peat", Nonce), response);
    }

    [Fact]
    public void FromBase64_InvalidSecret_ThrowsWithoutEchoing()
    {
        const string bad = "bm90LXZhbGlkLWJhc2U2NCEhIQ=";
        var ex = Assert.Throws<FormatException>(() => FormationKey.FromBase64("peat", bad));
        Assert.DoesNotContain(bad[..8], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyResponse_SameSecret_Accepted()
    {
        using var acceptor = FormationKey.Create("alpha", Secret32);
        using var connector = FormationKey.Create("alpha", Secret32);
        var challenge = acceptor.CreateChallenge();
        Assert.Equal(32, challenge.Nonce.Length);
        Assert.True(acceptor.VerifyResponse(challenge, connector.RespondToChallenge(challenge)));
    }

    [Fact]
    public void VerifyResponse_WrongSecret_Rejected()
    {
        var otherSecret = (byte[])Secret32.Clone();
        otherSecret[0] ^= 1;
        using var acceptor = FormationKey.Create("alpha", Secret32);
        using var intruder = FormationKey.Create("alpha", otherSecret);
        var challenge = acceptor.CreateChallenge();
        Assert.False(acceptor.VerifyResponse(challenge, intruder.RespondToChallenge(challenge)));
    }

    [Fact]
    public void VerifyResponse_OtherFormationSameSecret_Rejected()
    {
        using var alpha = FormationKey.Create("alpha", Secret32);
        using var bravo = FormationKey.Create("bravo", Secret32);
        var challenge = alpha.CreateChallenge();

        Assert.False(bravo.TryRespondToChallenge(challenge, new byte[32]), "bravo must refuse alpha's challenge");
        Assert.Throws<ArgumentException>(() => bravo.RespondToChallenge(challenge));

        // Even if bravo answers the same nonce under its own id, alpha rejects it.
        var forged = bravo.RespondToChallenge(new FormationChallenge("bravo", challenge.Nonce.Span));
        Assert.False(alpha.VerifyResponse(challenge, forged));
    }

    [Fact]
    public void VerifyResponse_TamperedNonceOrResponse_Rejected()
    {
        using var key = FormationKey.Create("alpha", Secret32);
        var challenge = key.CreateChallenge();

        var tamperedNonce = challenge.Nonce.ToArray();
        tamperedNonce[31] ^= 0x01;
        var responseToTampered = key.RespondToChallenge(new FormationChallenge("alpha", tamperedNonce));
        Assert.False(key.VerifyResponse(challenge, responseToTampered));

        var response = key.RespondToChallenge(challenge);
        for (var i = 0; i < response.Length; i++)
        {
            var flipped = (byte[])response.Clone();
            flipped[i] ^= 0x80;
            Assert.False(key.VerifyResponse(challenge, flipped), "flipped byte " + i);
        }

        Assert.False(key.VerifyResponse(challenge, response.AsSpan(0, 31)));
        Assert.False(key.VerifyResponse(challenge, [.. response, 0x00]));
        Assert.False(key.VerifyResponse(challenge, []));
        Assert.True(key.VerifyResponse(challenge, response));
    }

    [Fact]
    public void CreateChallenge_FreshNonceEachTime()
    {
        using var key = FormationKey.Create("alpha", Secret32);
        var a = key.CreateChallenge();
        var b = key.CreateChallenge();
        Assert.Equal("alpha", a.FormationId);
        Assert.False(a.Nonce.Span.SequenceEqual(b.Nonce.Span));
    }

    [Fact]
    public void Create_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => FormationKey.Create("alpha", new byte[31]));
        Assert.Throws<ArgumentException>(() => FormationKey.Create("", Secret32));
        Assert.Throws<ArgumentNullException>(() => FormationKey.Create(null!, Secret32));
        Assert.Throws<ArgumentException>(() => FormationKey.Create("bad\uD800id", Secret32));
        Assert.Throws<ArgumentException>(() => FormationKey.Create(new string('x', FormationKey.MaxFormationIdBytes + 1), Secret32));
        using var longest = FormationKey.Create(new string('x', FormationKey.MaxFormationIdBytes), Secret32);
        Assert.Equal(FormationKey.MaxFormationIdBytes, longest.FormationId.Length);
    }

    [Fact]
    public void ToString_NamesFormationButNotKey()
    {
        using var key = FormationKey.Create("alpha", Secret32);
        var text = key.ToString();
        Assert.Contains("alpha", text, StringComparison.Ordinal);
        var hmacKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, Secret32, 32, "alpha"u8.ToArray(), "peat-protocol-v1-formation"u8.ToArray());
        Assert.DoesNotContain(Convert.ToHexString(hmacKey)[..8], text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(Secret32)[..8], text, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_BlocksFurtherUse()
    {
        var key = FormationKey.Create("alpha", Secret32);
        var challenge = key.CreateChallenge();
        key.Dispose();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.CreateChallenge());
        Assert.Throws<ObjectDisposedException>(() => key.RespondToChallenge(challenge));
        Assert.Throws<ObjectDisposedException>(() => key.VerifyResponse(challenge, new byte[32]));
    }
}
