namespace PeatMesh.Security.Noise;

/// <summary>Classifies a <see cref="NoiseException"/>.</summary>
public enum NoiseError
{
    /// <summary>AEAD authentication failed: wrong key, tampered or replayed ciphertext (rev 34 §5.1 DecryptWithAd).</summary>
    DecryptionFailed = 1,

    /// <summary>A received message is malformed: truncated, too short for its tokens, or longer than 65,535 bytes.</summary>
    InvalidMessage = 2,

    /// <summary>A Diffie-Hellman result was all zeros (the peer sent a low-order X25519 public key; rev 34 §12.1).</summary>
    InvalidPublicKey = 3,

    /// <summary>The 64-bit nonce reached its reserved maximum 2^64−1 (rev 34 §5.1); the session must end.</summary>
    NonceExhausted = 4,
}
