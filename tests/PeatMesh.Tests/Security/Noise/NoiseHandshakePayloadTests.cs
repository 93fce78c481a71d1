using System.Text.Json;
using PeatMesh.Security;
using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>The libp2p identity payload against testdata/noise/libp2p_noise_payload_derived.json.</summary>
public class NoiseHandshakePayloadTests
{
    private static readonly Lazy<Dictionary<string, string>> Vector = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(RepoPaths.TestData("noise", "libp2p_noise_payload_derived.json")));
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    });

    private static byte[] V(string name) => Convert.FromHexString(Vector.Value[name]);

    [Fact]
    public void Create_DerivedVector_EncodesExpectedBytes()
    {
        using var identity = DeviceKeypair.FromSeed(V("ed25519_seed"));
        Assert.Equal(V("ed25519_public"), identity.PublicKey.ToArray());

        var staticPublic = new byte[32];
        X25519.DerivePublicKey(V("noise_static_private"), staticPublic);
        Assert.Equal(V("noise_static_public"), staticPublic);
        Assert.Equal(V("signed_message_hex"), NoiseHandshakePayload.BuildSignedMessage(staticPublic));

        var payload = NoiseHandshakePayload.Create(identity, staticPublic);

        Assert.Equal(V("identity_sig"), payload.IdentitySignature.ToArray());
        Assert.Equal(V("noise_handshake_payload_protobuf"), payload.Encode());
    }

    [Fact]
    public void EncodeIdentityKey_DerivedVector_MatchesPublicKeyProtobuf()
    {
        Assert.Equal(V("ed25519_public_key_protobuf"), NoiseHandshakePayload.EncodeIdentityKey(V("ed25519_public")));
        // The private-key protobuf's Data is seed ‖ public key (peer-ids spec); check our vector fields agree.
        Assert.Equal([.. V("ed25519_seed"), .. V("ed25519_public")], V("ed25519_private_key_protobuf")[4..]);
    }

    [Fact]
    public void Decode_DerivedVector_YieldsKeySignatureAndVerifies()
    {
        var payload = NoiseHandshakePayload.Decode(V("noise_handshake_payload_protobuf"));

        Assert.Equal(V("ed25519_public"), payload.IdentityKey.ToArray());
        Assert.Equal(V("identity_sig"), payload.IdentitySignature.ToArray());
        Assert.Equal(DeviceId.FromPublicKey(V("ed25519_public")), payload.DeviceId);
        Assert.True(payload.VerifySignature(V("noise_static_public")));
    }

    [Fact]
    public void VerifySignature_DifferentStaticKey_ReturnsFalse()
    {
        var payload = NoiseHandshakePayload.Decode(V("noise_handshake_payload_protobuf"));
        var other = V("noise_static_public");
        other[0] ^= 1;

        Assert.False(payload.VerifySignature(other));
        Assert.False(payload.VerifySignature(new byte[31]));
    }

    [Fact]
    public void Decode_WithExtensionsField_SkipsIt()
    {
        // extensions = 4 { stream_muxers = 2 "/yamux/1.0.0" } appended, as libp2p peers may send.
        var muxer = "/yamux/1.0.0"u8.ToArray();
        byte[] extensions = [0x12, (byte)muxer.Length, .. muxer];
        byte[] encoded = [.. V("noise_handshake_payload_protobuf"), 0x22, (byte)extensions.Length, .. extensions];

        var payload = NoiseHandshakePayload.Decode(encoded);

        Assert.True(payload.VerifySignature(V("noise_static_public")));
    }

    public static TheoryData<string, string> MalformedPayloads()
    {
        var pk = Vector.Value["ed25519_public"];
        var sig = Vector.Value["identity_sig"];
        return new TheoryData<string, string>
        {
            { "empty", "" },
            { "missing signature", "0a2408011220" + pk },
            { "missing identity key", "1240" + sig },
            { "secp256k1 key type", "0a2408021220" + pk + "1240" + sig },
            { "31-byte key data", "0a2308011220" + pk[..62] + "1240" + sig },
            { "33-byte key data claimed", "0a2508011221" + pk + "00" + "1240" + sig },
            { "trailing garbage inside identity_key", "0a2508011220" + pk + "00" + "1240" + sig },
            { "fields swapped inside identity_key", "0a241220" + pk + "0801" + "1240" + sig },
            { "63-byte signature", "0a2408011220" + pk + "123f" + sig[..126] },
            { "duplicate identity_key", "0a2408011220" + pk + "0a2408011220" + pk + "1240" + sig },
            { "unknown field 3", "0a2408011220" + pk + "1240" + sig + "1a0100" },
            { "varint wire type for field 1", "0801" + "1240" + sig },
            { "truncated signature", "0a2408011220" + pk + "1240" + sig[..20] },
            { "length past end", "0aff01" },
            { "field number zero", "0200" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void Decode_Malformed_ThrowsFormatException(string why, string hex)
    {
        var ex = Assert.Throws<FormatException>(() => NoiseHandshakePayload.Decode(Convert.FromHexString(hex)));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message), why);
        Assert.False(NoiseHandshakePayload.TryDecode(Convert.FromHexString(hex), out _), why);
    }

    [Fact]
    public void Decode_OversizedInput_RejectedBeforeParsing()
    {
        var big = new byte[NoiseHandshakePayload.MaxEncodedSize + 1];
        var ex = Assert.Throws<FormatException>(() => NoiseHandshakePayload.Decode(big));
        Assert.Contains("at most", ex.Message);
    }

    [Fact]
    public void Encode_RoundTrip_IsDeterministic()
    {
        using var identity = DeviceKeypair.FromSeed(V("ed25519_seed"));
        var payload = NoiseHandshakePayload.Create(identity, V("noise_static_public"));
        var encoded = payload.Encode();

        Assert.Equal(104, encoded.Length);
        Assert.Equal(encoded, NoiseHandshakePayload.Decode(encoded).Encode());
    }
}
