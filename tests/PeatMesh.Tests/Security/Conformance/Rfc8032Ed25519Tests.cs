using PeatMesh.Security;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>RFC 8032 §7.1 Ed25519 test vectors (TEST 1, 2, 3, 1024, SHA(abc)) against the libsodium binding.</summary>
public class Rfc8032Ed25519Tests
{
    public static TheoryData<string> VectorNames()
    {
        using var doc = VectorFile.Load("rfc", "rfc8032_ed25519.json");
        var data = new TheoryData<string>();
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            data.Add(v.Str("name"));
        }

        return data;
    }

    private static (byte[] Seed, byte[] PublicKey, byte[] Message, byte[] Signature) Vector(string name)
    {
        using var doc = VectorFile.Load("rfc", "rfc8032_ed25519.json");
        var v = doc.RootElement.GetProperty("vectors").EnumerateArray().Single(x => x.Str("name") == name);
        var message = v.Hex("message");
        Assert.Equal(v.GetProperty("message_len").GetInt32(), message.Length);
        return (v.Hex("secret_key_seed"), v.Hex("public_key"), message, v.Hex("signature"));
    }

    [Fact]
    public void VectorFile_ContainsAllFiveRfcVectors()
    {
        Assert.Equal(5, VectorNames().Count);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void DerivePublicKey_RfcSeed_MatchesRfcPublicKey(string name)
    {
        var (seed, publicKey, _, _) = Vector(name);
        var derived = new byte[Ed25519.PublicKeySize];
        Ed25519.DerivePublicKey(seed, derived);
        Assert.Equal(Convert.ToHexString(publicKey), Convert.ToHexString(derived));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Sign_RfcMessage_MatchesRfcSignature(string name)
    {
        var (seed, _, message, signature) = Vector(name);
        var produced = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(seed, message, produced);
        Assert.Equal(Convert.ToHexString(signature), Convert.ToHexString(produced));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Verify_RfcSignature_AcceptsAndRejectsTampering(string name)
    {
        var (_, publicKey, message, signature) = Vector(name);
        Assert.True(Ed25519.Verify(publicKey, message, signature), "RFC signature must verify");

        var badSignature = (byte[])signature.Clone();
        badSignature[0] ^= 0x01;
        Assert.False(Ed25519.Verify(publicKey, message, badSignature), "flipped signature bit must fail");

        var longerMessage = message.Append((byte)0x00).ToArray();
        Assert.False(Ed25519.Verify(publicKey, longerMessage, signature), "extended message must fail");
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void DeviceKeypair_FromRfcSeed_SignsLikeRfc(string name)
    {
        var (seed, publicKey, message, signature) = Vector(name);
        using var keypair = DeviceKeypair.FromSeed(seed);
        Assert.Equal(publicKey, keypair.PublicKey.ToArray());
        Assert.Equal(signature, keypair.Sign(message));
    }
}
