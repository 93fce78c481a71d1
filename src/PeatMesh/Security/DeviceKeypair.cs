using System.Security.Cryptography;
using System.Text;

namespace PeatMesh.Security;

/// <summary>
/// A node's Ed25519 identity key pair and its <see cref="DeviceId"/>.
/// </summary>
/// <remarks>
/// Thread-safe for concurrent <see cref="Sign(ReadOnlySpan{byte}, Span{byte})"/> calls. The seed is
/// held privately and zeroed on <see cref="Dispose"/>; it never appears in <see cref="ToString"/>.
/// </remarks>
public sealed class DeviceKeypair : IDisposable
{
    private readonly byte[] _seed;
    private readonly byte[] _publicKey;
    private bool _disposed;

    private DeviceKeypair(byte[] seed)
    {
        _seed = seed;
        _publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.DerivePublicKey(_seed, _publicKey);
        DeviceId = DeviceId.FromPublicKey(_publicKey);
    }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The device id derived from <see cref="PublicKey"/>.</summary>
    public DeviceId DeviceId { get; }

    /// <summary>Creates a key pair from a 32-byte RFC 8032 seed.</summary>
    /// <exception cref="ArgumentException"><paramref name="seed"/> is not 32 bytes.</exception>
    public static DeviceKeypair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SeedSize)
        {
            throw new ArgumentException($"Expected {Ed25519.SeedSize} bytes, got {seed.Length}.", nameof(seed));
        }

        var copy = NewSeedBuffer();
        seed.CopyTo(copy);
        return new DeviceKeypair(copy);
    }

    /// <summary>
    /// Derives a key pair deterministically: seed = HKDF-SHA256(ikm, salt = none, info = UTF-8
    /// <paramref name="context"/>, L = 32) (RFC 5869), as the reference's <c>DeviceKeypair::from_seed</c>.
    /// The node uses the base64-decoded formation secret as <paramref name="inputKeyMaterial"/> and
    /// <c>HOSTNAME</c> as <paramref name="context"/>.
    /// </summary>
    /// <param name="inputKeyMaterial">Secret input, any length (raw decoded formation secret).</param>
    /// <param name="context">The HKDF info string.</param>
    public static DeviceKeypair Derive(ReadOnlySpan<byte> inputKeyMaterial, string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seed = NewSeedBuffer();
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKeyMaterial, seed, ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(context));
        return new DeviceKeypair(seed);
    }

    /// <summary>Creates a key pair from 32 cryptographically random bytes.</summary>
    public static DeviceKeypair Generate()
    {
        var seed = NewSeedBuffer();
        RandomNumberGenerator.Fill(seed);
        return new DeviceKeypair(seed);
    }

    /// <summary>Signs a message (RFC 8032 Ed25519).</summary>
    /// <param name="message">The message.</param>
    /// <param name="signature">Receives the 64-byte signature.</param>
    /// <exception cref="ObjectDisposedException">The key pair was disposed.</exception>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Ed25519.Sign(_seed, message, signature);
    }

    /// <summary>Signs a message and returns the 64-byte signature.</summary>
    /// <exception cref="ObjectDisposedException">The key pair was disposed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Sign(message, signature);
        return signature;
    }

    /// <summary>Zeroes the seed. Idempotent.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_seed);
        }
    }

    /// <summary>A pinned seed buffer, so that the GC never leaves copies of the secret behind when compacting.</summary>
    private static byte[] NewSeedBuffer() => GC.AllocateArray<byte>(Ed25519.SeedSize, pinned: true);

    /// <summary>Returns the device id; never the secret.</summary>
    public override string ToString() => "DeviceKeypair(" + DeviceId + ")";
}
