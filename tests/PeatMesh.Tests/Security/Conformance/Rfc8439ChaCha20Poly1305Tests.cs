using System.Security.Cryptography;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>RFC 8439 §2.8.2 and §A.5 AEAD vectors against .NET's <see cref="ChaCha20Poly1305"/>.</summary>
public class Rfc8439ChaCha20Poly1305Tests
{
    public static TheoryData<string> VectorNames()
    {
        using var doc = VectorFile.Load("rfc", "rfc8439_chacha20poly1305.json");
        var data = new TheoryData<string>();
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            data.Add(v.Str("name"));
        }

        return data;
    }

    [Fact]
    public void Platform_SupportsChaCha20Poly1305()
    {
        Assert.True(ChaCha20Poly1305.IsSupported, "ChaCha20Poly1305 needs OpenSSL 1.1+ on Linux");
        Assert.Equal(2, VectorNames().Count);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Encrypt_RfcVector_MatchesCiphertextAndTag(string name)
    {
        var (key, nonce, aad, plaintext, ciphertext, tag) = Vector(name);
        using var aead = new ChaCha20Poly1305(key);
        var producedCiphertext = new byte[plaintext.Length];
        var producedTag = new byte[16];
        aead.Encrypt(nonce, plaintext, producedCiphertext, producedTag, aad);
        Assert.Equal(Convert.ToHexString(ciphertext), Convert.ToHexString(producedCiphertext));
        Assert.Equal(Convert.ToHexString(tag), Convert.ToHexString(producedTag));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Decrypt_RfcVector_RecoversPlaintextAndRejectsTampering(string name)
    {
        var (key, nonce, aad, plaintext, ciphertext, tag) = Vector(name);
        using var aead = new ChaCha20Poly1305(key);
        var decrypted = new byte[ciphertext.Length];
        aead.Decrypt(nonce, ciphertext, tag, decrypted, aad);
        Assert.Equal(plaintext, decrypted);

        var badTag = (byte[])tag.Clone();
        badTag[15] ^= 0x80;
        Assert.Throws<AuthenticationTagMismatchException>(() => aead.Decrypt(nonce, ciphertext, badTag, decrypted, aad));

        var badAad = aad.Length == 0 ? [0x00] : aad.Select((b, i) => i == 0 ? (byte)(b ^ 1) : b).ToArray();
        Assert.Throws<AuthenticationTagMismatchException>(() => aead.Decrypt(nonce, ciphertext, tag, decrypted, badAad));
    }

    private static (byte[] Key, byte[] Nonce, byte[] Aad, byte[] Plaintext, byte[] Ciphertext, byte[] Tag) Vector(string name)
    {
        using var doc = VectorFile.Load("rfc", "rfc8439_chacha20poly1305.json");
        var v = doc.RootElement.GetProperty("vectors").EnumerateArray().Single(x => x.Str("name") == name);
        return (v.Hex("key"), v.Hex("nonce"), v.Hex("aad"), v.Hex("plaintext"), v.Hex("ciphertext"), v.Hex("tag"));
    }
}
