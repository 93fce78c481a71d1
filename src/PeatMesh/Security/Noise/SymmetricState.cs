using System.Security.Cryptography;
using System.Text;

namespace PeatMesh.Security.Noise;

/// <summary>
/// A Noise <c>SymmetricState</c> (rev 34 §5.2) with SHA-256: chaining key <c>ck</c>, handshake hash
/// <c>h</c> and a <see cref="CipherState"/>.
/// </summary>
/// <remarks>Not thread-safe. <see cref="Dispose"/> zeroes <c>ck</c> and the key.</remarks>
public sealed class SymmetricState : IDisposable
{
    private readonly byte[] _ck = new byte[NoiseConstants.HashLength];
    private readonly byte[] _h = new byte[NoiseConstants.HashLength];
    private readonly CipherState _cipher = new();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _disposed;

    /// <summary>
    /// InitializeSymmetric(protocol_name) (rev 34 §5.2): <c>h</c> = the ASCII name zero-padded to 32 bytes
    /// when it is at most 32 bytes long, else SHA-256(name); <c>ck</c> = <c>h</c>; empty key.
    /// </summary>
    /// <param name="protocolName">The full protocol name, e.g. <c>Noise_XX_25519_ChaChaPoly_SHA256</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="protocolName"/> is empty or not ASCII.</exception>
    public SymmetricState(string protocolName)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocolName);
        if (!Ascii.IsValid(protocolName))
        {
            throw new ArgumentException("A Noise protocol name is ASCII.", nameof(protocolName));
        }

        var name = Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= NoiseConstants.HashLength)
        {
            name.CopyTo(_h, 0);
        }
        else
        {
            SHA256.HashData(name, _h);
        }

        _h.CopyTo(_ck, 0);
    }

    /// <summary>The current handshake hash <c>h</c> (32 bytes); after the handshake, the channel-binding value (rev 34 §11.2).</summary>
    public ReadOnlySpan<byte> HandshakeHash => _h;

    /// <summary><see langword="true"/> once a key has been mixed in.</summary>
    public bool HasKey => _cipher.HasKey;

    /// <summary>MixKey(ikm) (rev 34 §5.2): ck, temp_k = HKDF(ck, ikm, 2); InitializeKey(temp_k).</summary>
    /// <param name="inputKeyMaterial">0, 32 or DHLEN bytes.</param>
    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> newCk = stackalloc byte[NoiseConstants.HashLength];
        Span<byte> tempK = stackalloc byte[NoiseConstants.HashLength];
        try
        {
            NoiseHkdf.Derive(_ck, inputKeyMaterial, newCk, tempK);
            newCk.CopyTo(_ck);
            _cipher.InitializeKey(tempK);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(newCk);
            CryptographicOperations.ZeroMemory(tempK);
        }
    }

    /// <summary>MixHash(data) (rev 34 §5.2): h = SHA-256(h ‖ data).</summary>
    /// <param name="data">The bytes to mix.</param>
    public void MixHash(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _hash.AppendData(_h);
        _hash.AppendData(data);
        _hash.GetHashAndReset(_h);
    }

    /// <summary>
    /// MixKeyAndHash(ikm) (rev 34 §5.2), used for <c>psk</c> tokens: ck, temp_h, temp_k = HKDF(ck, ikm, 3);
    /// MixHash(temp_h); InitializeKey(temp_k).
    /// </summary>
    /// <param name="inputKeyMaterial">The 32-byte PSK.</param>
    public void MixKeyAndHash(ReadOnlySpan<byte> inputKeyMaterial)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> newCk = stackalloc byte[NoiseConstants.HashLength];
        Span<byte> tempH = stackalloc byte[NoiseConstants.HashLength];
        Span<byte> tempK = stackalloc byte[NoiseConstants.HashLength];
        try
        {
            NoiseHkdf.Derive(_ck, inputKeyMaterial, newCk, tempH, tempK);
            newCk.CopyTo(_ck);
            MixHash(tempH);
            _cipher.InitializeKey(tempK);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(newCk);
            CryptographicOperations.ZeroMemory(tempH);
            CryptographicOperations.ZeroMemory(tempK);
        }
    }

    /// <summary>EncryptAndHash(plaintext) (rev 34 §5.2): ciphertext = EncryptWithAd(h, plaintext); MixHash(ciphertext).</summary>
    /// <param name="plaintext">The plaintext.</param>
    /// <param name="ciphertext">Receives plaintext length (+16 once a key exists); must not overlap <paramref name="plaintext"/>.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="ciphertext"/> is too small.</exception>
    /// <exception cref="NoiseException">The nonce is exhausted.</exception>
    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var written = _cipher.EncryptWithAd(_h, plaintext, ciphertext);
        MixHash(ciphertext[..written]);
        return written;
    }

    /// <summary>DecryptAndHash(ciphertext) (rev 34 §5.2): plaintext = DecryptWithAd(h, ciphertext); MixHash(ciphertext).</summary>
    /// <param name="ciphertext">The ciphertext (with tag once a key exists).</param>
    /// <param name="plaintext">Receives the plaintext; must not overlap <paramref name="ciphertext"/>.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="NoiseException">Authentication failed (<see cref="NoiseError.DecryptionFailed"/>); <c>h</c> is then unchanged.</exception>
    /// <exception cref="ArgumentException"><paramref name="plaintext"/> is too small.</exception>
    public int DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var written = _cipher.DecryptWithAd(_h, ciphertext, plaintext);
        MixHash(ciphertext);
        return written;
    }

    /// <summary>
    /// Split() (rev 34 §5.2): temp_k1, temp_k2 = HKDF(ck, empty, 2); returns (c1, c2) keyed with them.
    /// The initiator sends with c1 and receives with c2; the responder the opposite. Zeroes <c>ck</c>.
    /// </summary>
    /// <returns>The two transport cipher states; the caller owns and disposes them.</returns>
    public (CipherState Initiator, CipherState Responder) Split()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> k1 = stackalloc byte[NoiseConstants.HashLength];
        Span<byte> k2 = stackalloc byte[NoiseConstants.HashLength];
        try
        {
            NoiseHkdf.Derive(_ck, ReadOnlySpan<byte>.Empty, k1, k2);
            CryptographicOperations.ZeroMemory(_ck);
            return (new CipherState(k1), new CipherState(k2));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k1);
            CryptographicOperations.ZeroMemory(k2);
        }
    }

    /// <summary>Zeroes <c>ck</c> and the cipher key. <c>h</c> stays readable (it is not secret). Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(_ck);
        _cipher.Dispose();
        _hash.Dispose();
    }

    /// <summary>Returns a description without key material.</summary>
    public override string ToString() => $"SymmetricState(HasKey={HasKey})";
}
