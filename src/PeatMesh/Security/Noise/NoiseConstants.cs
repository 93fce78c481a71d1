namespace PeatMesh.Security.Noise;

/// <summary>
/// Sizes fixed by the Noise Protocol Framework (rev 34) for <c>25519_ChaChaPoly_SHA256</c>.
/// </summary>
/// <remarks>Constants only; thread-safe.</remarks>
public static class NoiseConstants
{
    /// <summary>Largest Noise message in bytes, handshake or transport (rev 34 §3): 65,535.</summary>
    public const int MaxMessageSize = 65535;

    /// <summary>AEAD authentication tag length in bytes (ChaChaPoly, rev 34 §12.3): 16.</summary>
    public const int TagSize = 16;

    /// <summary>Largest transport plaintext in bytes: <see cref="MaxMessageSize"/> − <see cref="TagSize"/> = 65,519.</summary>
    public const int MaxPlaintextSize = MaxMessageSize - TagSize;

    /// <summary>DHLEN for Curve25519 (rev 34 §12.1): 32 bytes.</summary>
    public const int DhLength = 32;

    /// <summary>Cipher key length in bytes (rev 34 §5.1): 32.</summary>
    public const int KeySize = 32;

    /// <summary>HASHLEN for SHA-256 (rev 34 §12.5): 32 bytes.</summary>
    public const int HashLength = 32;

    /// <summary>Pre-shared key length in bytes (rev 34 §9.1): 32.</summary>
    public const int PskSize = 32;
}
