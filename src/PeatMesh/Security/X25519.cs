namespace PeatMesh.Security;

/// <summary>
/// X25519 Diffie-Hellman (RFC 7748 §5) backed by libsodium.
/// </summary>
/// <remarks>
/// Thread-safe: all members are stateless. Policy for Wycheproof "acceptable" inputs: libsodium
/// clamps the scalar, ignores the top bit of the peer's u-coordinate and reduces non-canonical
/// u-coordinates (all accepted, as RFC 7748 requires), but rejects any exchange whose shared secret
/// is all zeros (low-order peer points); <see cref="TryAgree"/> returns <see langword="false"/> there.
/// Noise (rev 34 §12.1) permits that rejection. See docs/adr/0002-crypto-primitives.md.
/// </remarks>
public static class X25519
{
    /// <summary>Length of scalars (private keys), public keys and shared secrets in bytes (32).</summary>
    public const int KeySize = Sodium.X25519Bytes;

    /// <summary>Computes the public key <c>X25519(privateKey, 9)</c>.</summary>
    /// <param name="privateKey">A 32-byte scalar (clamped internally).</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    public static void DerivePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        CheckLength(privateKey, nameof(privateKey));
        CheckLength(publicKey, nameof(publicKey));
        Sodium.EnsureInitialized();
        if (Sodium.crypto_scalarmult_curve25519_base(publicKey, privateKey) != 0)
        {
            throw new InvalidOperationException("X25519 base-point multiplication failed.");
        }
    }

    /// <summary>Computes the shared secret <c>X25519(privateKey, peerPublicKey)</c>.</summary>
    /// <param name="privateKey">Our 32-byte scalar.</param>
    /// <param name="peerPublicKey">The peer's 32-byte u-coordinate.</param>
    /// <param name="sharedSecret">Receives 32 bytes; zeroed when the call fails.</param>
    /// <returns><see langword="false"/> when the result is all zeros (low-order peer key) or a length is wrong.</returns>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        if (privateKey.Length != KeySize || peerPublicKey.Length != KeySize || sharedSecret.Length != KeySize)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        if (Sodium.crypto_scalarmult_curve25519(sharedSecret, privateKey, peerPublicKey) != 0)
        {
            sharedSecret.Clear();
            return false;
        }

        return true;
    }

    private static void CheckLength(ReadOnlySpan<byte> buffer, string name)
    {
        if (buffer.Length != KeySize)
        {
            throw new ArgumentException($"Expected {KeySize} bytes, got {buffer.Length}.", name);
        }
    }
}
