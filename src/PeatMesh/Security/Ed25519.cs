namespace PeatMesh.Security;

/// <summary>
/// Ed25519 signatures (RFC 8032, "pure" Ed25519) backed by libsodium.
/// </summary>
/// <remarks>
/// Thread-safe: all members are stateless. Verification follows libsodium 1.0.18, which rejects
/// non-canonical <c>S</c> (S ≥ L), small-order public keys and small-order <c>R</c>, and non-canonical
/// public-key encodings (stricter than RFC 8032, never an issue for keys derived from seeds); the
/// Wycheproof conformance tests pin that behaviour.
/// </remarks>
public static class Ed25519
{
    /// <summary>Public key length in bytes (32).</summary>
    public const int PublicKeySize = Sodium.Ed25519PublicKeyBytes;

    /// <summary>Seed (private key) length in bytes (32).</summary>
    public const int SeedSize = Sodium.Ed25519SeedBytes;

    /// <summary>Signature length in bytes (64).</summary>
    public const int SignatureSize = Sodium.Ed25519SignatureBytes;

    /// <summary>Derives the 32-byte public key for a 32-byte seed (RFC 8032 §5.1.5).</summary>
    /// <param name="seed">The 32-byte private seed.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    public static void DerivePublicKey(ReadOnlySpan<byte> seed, Span<byte> publicKey)
    {
        CheckLength(seed, SeedSize, nameof(seed));
        CheckLength(publicKey, PublicKeySize, nameof(publicKey));
        Sodium.EnsureInitialized();
        Span<byte> secret = stackalloc byte[Sodium.Ed25519SecretKeyBytes];
        try
        {
            if (Sodium.crypto_sign_ed25519_seed_keypair(publicKey, secret, seed) != 0)
            {
                throw new InvalidOperationException("Ed25519 key derivation failed.");
            }
        }
        finally
        {
            Sodium.sodium_memzero(secret, (nuint)secret.Length);
        }
    }

    /// <summary>Signs <paramref name="message"/> with the key pair derived from <paramref name="seed"/> (RFC 8032 §5.1.6).</summary>
    /// <param name="seed">The 32-byte private seed.</param>
    /// <param name="message">The message, any length.</param>
    /// <param name="signature">Receives the 64-byte signature.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    public static void Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CheckLength(seed, SeedSize, nameof(seed));
        CheckLength(signature, SignatureSize, nameof(signature));
        Sodium.EnsureInitialized();
        Span<byte> publicKey = stackalloc byte[PublicKeySize];
        Span<byte> secret = stackalloc byte[Sodium.Ed25519SecretKeyBytes];
        try
        {
            if (Sodium.crypto_sign_ed25519_seed_keypair(publicKey, secret, seed) != 0
                || Sodium.crypto_sign_ed25519_detached(signature, out _, message, (ulong)message.Length, secret) != 0)
            {
                throw new InvalidOperationException("Ed25519 signing failed.");
            }
        }
        finally
        {
            Sodium.sodium_memzero(secret, (nuint)secret.Length);
        }
    }

    /// <summary>Verifies an Ed25519 signature (RFC 8032 §5.1.7, libsodium's strict checks).</summary>
    /// <param name="publicKey">The signer's 32-byte public key; any other length returns <see langword="false"/>.</param>
    /// <param name="message">The signed message.</param>
    /// <param name="signature">The 64-byte signature; any other length returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        return Sodium.crypto_sign_ed25519_verify_detached(signature, message, (ulong)message.Length, publicKey) == 0;
    }

    private static void CheckLength(ReadOnlySpan<byte> buffer, int expected, string name)
    {
        if (buffer.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} bytes, got {buffer.Length}.", name);
        }
    }
}
