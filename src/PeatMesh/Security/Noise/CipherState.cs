using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PeatMesh.Security.Noise;

/// <summary>
/// A Noise <c>CipherState</c> (rev 34 §5.1) with AEAD_CHACHA20_POLY1305 (rev 34 §12.3): a 32-byte key
/// <c>k</c> (possibly empty) and a 64-bit nonce <c>n</c>.
/// </summary>
/// <remarks>
/// <para>The 96-bit AEAD nonce is 4 zero bytes followed by <c>n</c> as a little-endian 64-bit integer.
/// <c>n</c> = 2^64−1 is reserved: encrypting or decrypting there throws
/// <see cref="NoiseException"/> (<see cref="NoiseError.NonceExhausted"/>). A failed decryption leaves
/// <c>n</c> unchanged. Ciphertexts are the encrypted bytes followed by the 16-byte tag.</para>
/// <para>Not thread-safe: callers serialize access. <see cref="Dispose"/> zeroes the key.</para>
/// </remarks>
public sealed class CipherState : IDisposable
{
    /// <summary>The reserved nonce value 2^64−1 (rev 34 §5.1); also the nonce used by <see cref="Rekey"/>.</summary>
    public const ulong ReservedNonce = ulong.MaxValue;

    private const int NonceSize = 12;

    private readonly byte[] _key = new byte[NoiseConstants.KeySize];
    private ChaCha20Poly1305? _aead;
    private bool _disposed;

    /// <summary>Creates a cipher state with an empty key (<c>InitializeKey(empty)</c>).</summary>
    public CipherState()
    {
    }

    /// <summary>Creates a cipher state with key <paramref name="key"/> and <c>n</c> = 0.</summary>
    /// <param name="key">The 32-byte key; copied.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public CipherState(ReadOnlySpan<byte> key)
    {
        InitializeKey(key);
    }

    /// <summary><see langword="true"/> when a key is set (rev 34 §5.1 HasKey).</summary>
    public bool HasKey => _aead is not null;

    /// <summary>The next nonce <c>n</c>.</summary>
    public ulong Nonce { get; private set; }

    /// <summary>Sets <c>k</c> = <paramref name="key"/> and <c>n</c> = 0 (rev 34 §5.1 InitializeKey). An empty span clears the key.</summary>
    /// <param name="key">32 bytes, or empty; copied.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is neither empty nor 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!key.IsEmpty && key.Length != NoiseConstants.KeySize)
        {
            throw new ArgumentException($"A Noise cipher key is {NoiseConstants.KeySize} bytes, got {key.Length}.", nameof(key));
        }

        _aead?.Dispose();
        _aead = null;
        CryptographicOperations.ZeroMemory(_key);
        Nonce = 0;
        if (!key.IsEmpty)
        {
            key.CopyTo(_key);
            _aead = new ChaCha20Poly1305(_key);
        }
    }

    /// <summary>Sets <c>n</c> (rev 34 §5.1 SetNonce), for out-of-order transports.</summary>
    /// <param name="nonce">The next nonce.</param>
    public void SetNonce(ulong nonce) => Nonce = nonce;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> with associated data <paramref name="associatedData"/> and increments
    /// <c>n</c> (rev 34 §5.1 EncryptWithAd). Without a key the plaintext is copied unchanged.
    /// </summary>
    /// <param name="associatedData">The AD (the handshake hash during a handshake, empty afterwards).</param>
    /// <param name="plaintext">The plaintext.</param>
    /// <param name="ciphertext">Receives plaintext length + 16 bytes (or plaintext length without a key); must not overlap <paramref name="plaintext"/>.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="ciphertext"/> is too small.</exception>
    /// <exception cref="NoiseException"><c>n</c> is 2^64−1 (<see cref="NoiseError.NonceExhausted"/>).</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public int EncryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_aead is null)
        {
            CheckDestination(ciphertext, plaintext.Length, nameof(ciphertext));
            plaintext.CopyTo(ciphertext);
            return plaintext.Length;
        }

        CheckDestination(ciphertext, plaintext.Length + NoiseConstants.TagSize, nameof(ciphertext));
        ThrowIfExhausted();
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, Nonce);
        _aead.Encrypt(nonce, plaintext, ciphertext[..plaintext.Length], ciphertext.Slice(plaintext.Length, NoiseConstants.TagSize), associatedData);
        Nonce++;
        return plaintext.Length + NoiseConstants.TagSize;
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> (rev 34 §5.1 DecryptWithAd). On success <c>n</c> is incremented;
    /// on authentication failure <c>n</c> is unchanged and <paramref name="plaintext"/> is cleared.
    /// Without a key the ciphertext is copied unchanged.
    /// </summary>
    /// <param name="associatedData">The AD.</param>
    /// <param name="ciphertext">Encrypted bytes followed by the 16-byte tag.</param>
    /// <param name="plaintext">Receives ciphertext length − 16 bytes; must not overlap <paramref name="ciphertext"/>.</param>
    /// <param name="bytesWritten">The plaintext length on success.</param>
    /// <returns><see langword="false"/> when authentication fails or the ciphertext is shorter than the tag.</returns>
    /// <exception cref="ArgumentException"><paramref name="plaintext"/> is too small.</exception>
    /// <exception cref="NoiseException"><c>n</c> is 2^64−1 (<see cref="NoiseError.NonceExhausted"/>).</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public bool TryDecryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int bytesWritten)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bytesWritten = 0;
        if (_aead is null)
        {
            CheckDestination(plaintext, ciphertext.Length, nameof(plaintext));
            ciphertext.CopyTo(plaintext);
            bytesWritten = ciphertext.Length;
            return true;
        }

        if (ciphertext.Length < NoiseConstants.TagSize)
        {
            return false;
        }

        var length = ciphertext.Length - NoiseConstants.TagSize;
        CheckDestination(plaintext, length, nameof(plaintext));
        ThrowIfExhausted();
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, Nonce);
        try
        {
            _aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext[..length], associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        Nonce++;
        bytesWritten = length;
        return true;
    }

    /// <summary>As <see cref="TryDecryptWithAd"/>, but throws when authentication fails.</summary>
    /// <param name="associatedData">The AD.</param>
    /// <param name="ciphertext">Encrypted bytes followed by the 16-byte tag.</param>
    /// <param name="plaintext">Receives ciphertext length − 16 bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="NoiseException">Authentication failed (<see cref="NoiseError.DecryptionFailed"/>) or <c>n</c> is exhausted.</exception>
    /// <exception cref="ArgumentException"><paramref name="plaintext"/> is too small.</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public int DecryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (!TryDecryptWithAd(associatedData, ciphertext, plaintext, out var written))
        {
            throw new NoiseException(NoiseError.DecryptionFailed, "Noise message authentication failed.");
        }

        return written;
    }

    /// <summary>
    /// Replaces the key with the first 32 bytes of ENCRYPT(k, 2^64−1, empty AD, 32 zero bytes) (rev 34 §4.2, §5.1 Rekey).
    /// <c>n</c> is not changed.
    /// </summary>
    /// <exception cref="InvalidOperationException">No key is set.</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public void Rekey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_aead is null)
        {
            throw new InvalidOperationException("Rekey needs a key.");
        }

        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, ReservedNonce);
        Span<byte> zeros = stackalloc byte[NoiseConstants.KeySize];
        zeros.Clear();
        Span<byte> newKey = stackalloc byte[NoiseConstants.KeySize];
        Span<byte> tag = stackalloc byte[NoiseConstants.TagSize];
        try
        {
            _aead.Encrypt(nonce, zeros, newKey, tag, ReadOnlySpan<byte>.Empty);
            _aead.Dispose();
            newKey.CopyTo(_key);
            _aead = new ChaCha20Poly1305(_key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(newKey);
        }
    }

    /// <summary>Zeroes the key and releases the AEAD. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _aead?.Dispose();
        _aead = null;
        CryptographicOperations.ZeroMemory(_key);
    }

    /// <summary>Returns the state without key material.</summary>
    public override string ToString() => $"CipherState(HasKey={HasKey}, n={Nonce})";

    internal static void WriteNonce(Span<byte> destination, ulong n)
    {
        destination[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(destination[4..], n);
    }

    private static void CheckDestination(Span<byte> destination, int required, string name)
    {
        if (destination.Length < required)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; {required} are needed.", name);
        }
    }

    private void ThrowIfExhausted()
    {
        if (Nonce == ReservedNonce)
        {
            throw new NoiseException(NoiseError.NonceExhausted, "The Noise nonce is exhausted (2^64-1 is reserved); the session must end.");
        }
    }
}
