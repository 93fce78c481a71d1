using PeatMesh.Security;

namespace PeatMesh.Tests.Security.Conformance;

/// <summary>Pins the libsodium 1.0.18 checks our ADR relies on, beyond what the Wycheproof file covers.</summary>
public class Ed25519StrictnessTests
{
    // The identity point (y = 1) encodes as 0x01 followed by 31 zero bytes.
    private static readonly byte[] Identity = [0x01, .. new byte[31]];

    [Fact]
    public void Verify_IdentityKeyAndIdentityR_RejectedForAnyMessage()
    {
        // With A = R = identity and S = 0, the cofactorless equation [S]B = R + [k]A holds for every message,
        // so a lax verifier would accept this "universal" signature. libsodium refuses small-order A and R.
        byte[] signature = [.. Identity, .. new byte[32]];
        Assert.False(Ed25519.Verify(Identity, "any message"u8, signature));
        Assert.False(Ed25519.Verify(Identity, ""u8, signature));
    }

    [Fact]
    public void Verify_WrongLengths_ReturnFalse()
    {
        using var keypair = DeviceKeypair.Generate();
        var signature = keypair.Sign("m"u8);
        Assert.True(Ed25519.Verify(keypair.PublicKey, "m"u8, signature));
        Assert.False(Ed25519.Verify(keypair.PublicKey[..31], "m"u8, signature));
        Assert.False(Ed25519.Verify(keypair.PublicKey, "m"u8, signature.AsSpan(0, 63)));
        Assert.False(Ed25519.Verify(keypair.PublicKey, "m"u8, [.. signature, 0x00]));
    }
}
