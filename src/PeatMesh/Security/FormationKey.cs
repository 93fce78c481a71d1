using System.Security.Cryptography;
using System.Text;
using PeatMesh.Internal;

namespace PeatMesh.Security;

/// <summary>
/// The formation key of the reference's challenge/response admission check (reference digest
/// §2.2–2.3, <c>formation_key.rs</c>): an HMAC-SHA256 key derived from the formation's 32-byte secret,
/// used to prove possession of the secret without revealing it.
/// </summary>
/// <remarks>
/// <para>
/// hmac_key = HKDF-SHA256(salt = UTF-8 formation id, ikm = 32-byte secret,
/// info = <c>"peat-protocol-v1-formation"</c>, L = 32); response = HMAC-SHA256(hmac_key,
/// nonce ‖ UTF-8 formation id), 32 bytes; verification is constant-time.
/// </para>
/// <para>
/// Formation ids are 1–<see cref="MaxFormationIdBytes"/> bytes of UTF-8, so that an encoded challenge
/// always fits the reference's 1,024-byte bound. The check itself is reference-compatible but weak on
/// its own (a relay can forward a challenge to a real member); PeatMesh channels rely on the Noise PSK
/// (<see cref="FormationSecret.DeriveNoisePsk()"/>) instead, and this type exists for interoperability.
/// </para>
/// <para>
/// Thread-safe for concurrent use. <see cref="Dispose"/> zeroes the HMAC key and must not race with
/// other calls; afterwards they throw <see cref="ObjectDisposedException"/>. <see cref="ToString"/> is redacted.
/// </para>
/// </remarks>
public sealed class FormationKey : IDisposable
{
    /// <summary>The HKDF info label of the HMAC key: <c>peat-protocol-v1-formation</c>.</summary>
    public const string HkdfInfo = "peat-protocol-v1-formation";

    /// <summary>Length of the normalised secret and of the HMAC key in bytes (32).</summary>
    public const int SecretSize = 32;

    /// <summary>
    /// Longest formation id in UTF-8 bytes (990 = 1,024-byte challenge bound − 2-byte length − 32-byte nonce).
    /// </summary>
    public const int MaxFormationIdBytes = FormationAuth.MaxChallengeBytes - 2 - FormationAuth.NonceSize;

    private static readonly byte[] HkdfInfoBytes = Encoding.UTF8.GetBytes(HkdfInfo);

    private readonly byte[] _hmacKey;
    private readonly byte[] _formationIdBytes;
    private bool _disposed;

    private FormationKey(string formationId, byte[] formationIdBytes, ReadOnlySpan<byte> secret32)
    {
        FormationId = formationId;
        _formationIdBytes = formationIdBytes;
        _hmacKey = GC.AllocateArray<byte>(SecretSize, pinned: true);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret32, _hmacKey, formationIdBytes, HkdfInfoBytes);
    }

    /// <summary>The formation id this key belongs to (not secret).</summary>
    public string FormationId { get; }

    /// <summary>
    /// The reference's <c>FormationKey::from_base64</c>: decodes the trimmed standard base64
    /// <paramref name="secretBase64"/>; a 32-byte result is used as-is, any other length is replaced by its SHA-256.
    /// </summary>
    /// <param name="formationId">The formation id, 1–990 UTF-8 bytes.</param>
    /// <param name="secretBase64">The formation secret (<c>PEAT_FORMATION_SECRET</c>).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="formationId"/> is empty, too long or not valid UTF-16.</exception>
    /// <exception cref="FormatException"><paramref name="secretBase64"/> is not valid base64 (the message never contains it).</exception>
    public static FormationKey FromBase64(string formationId, string secretBase64)
    {
        ArgumentNullException.ThrowIfNull(secretBase64);
        var idBytes = EncodeFormationId(formationId);
        var raw = Base64Secret.Decode(secretBase64, "The formation secret");
        try
        {
            return FromRawSecret(formationId, idBytes, raw);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>The reference's <c>FormationKey::new</c>: a key from an exact 32-byte secret.</summary>
    /// <param name="formationId">The formation id, 1–990 UTF-8 bytes.</param>
    /// <param name="secret">Exactly 32 bytes.</param>
    /// <exception cref="ArgumentException">The id is invalid or <paramref name="secret"/> is not 32 bytes.</exception>
    public static FormationKey Create(string formationId, ReadOnlySpan<byte> secret)
    {
        if (secret.Length != SecretSize)
        {
            throw new ArgumentException($"Expected {SecretSize} bytes, got {secret.Length}.", nameof(secret));
        }

        return new FormationKey(formationId, EncodeFormationId(formationId), secret);
    }

    /// <summary>Generates a new base64 secret (same as <see cref="FormationSecret.Generate"/>).</summary>
    public static string GenerateSecret() => FormationSecret.Generate();

    /// <summary>Normalises a raw decoded secret (32 bytes as-is, else SHA-256) and derives the key.</summary>
    internal static FormationKey FromRawSecret(string formationId, ReadOnlySpan<byte> raw) =>
        FromRawSecret(formationId, EncodeFormationId(formationId), raw);

    /// <summary>Creates a fresh challenge with a 32-byte random nonce for this formation.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public FormationChallenge CreateChallenge()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> nonce = stackalloc byte[FormationAuth.NonceSize];
        RandomNumberGenerator.Fill(nonce);
        return new FormationChallenge(FormationId, nonce);
    }

    /// <summary>
    /// Computes the 32-byte response HMAC-SHA256(hmac_key, nonce ‖ formation id) to a peer's challenge.
    /// </summary>
    /// <param name="challenge">The decoded challenge; its formation id must equal <see cref="FormationId"/>.</param>
    /// <param name="response">Receives exactly 32 bytes.</param>
    /// <returns><see langword="false"/> (and nothing written) when the challenge is for another formation:
    /// the connector must then abort, as the reference's stream procedure does.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="response"/> is not 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public bool TryRespondToChallenge(FormationChallenge challenge, Span<byte> response)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (response.Length != FormationAuth.ResponseSize)
        {
            throw new ArgumentException($"Expected {FormationAuth.ResponseSize} bytes, got {response.Length}.", nameof(response));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!string.Equals(challenge.FormationId, FormationId, StringComparison.Ordinal))
        {
            return false;
        }

        ComputeResponse(challenge.Nonce.Span, response);
        return true;
    }

    /// <summary>Computes the 32-byte response to a challenge of this formation.</summary>
    /// <param name="challenge">The decoded challenge.</param>
    /// <returns>HMAC-SHA256(hmac_key, nonce ‖ formation id).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is null.</exception>
    /// <exception cref="ArgumentException">The challenge is for another formation (its id is named in the message).</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] RespondToChallenge(FormationChallenge challenge)
    {
        var response = new byte[FormationAuth.ResponseSize];
        if (!TryRespondToChallenge(challenge, response))
        {
            throw new ArgumentException(
                $"The challenge is for formation '{challenge.FormationId}', this key is for '{FormationId}'.", nameof(challenge));
        }

        return response;
    }

    /// <summary>Checks a peer's response to a challenge this key created, in constant time.</summary>
    /// <param name="challenge">The challenge that was sent.</param>
    /// <param name="response">The peer's response; anything but 32 bytes is rejected
    /// (use <see cref="FormationAuth.TryDecodeResponse"/> to apply the reference's wire rule first).</param>
    /// <returns><see langword="true"/> when the response proves knowledge of the same secret and formation id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public bool VerifyResponse(FormationChallenge challenge, ReadOnlySpan<byte> response)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (response.Length != FormationAuth.ResponseSize
            || !string.Equals(challenge.FormationId, FormationId, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[FormationAuth.ResponseSize];
        ComputeResponse(challenge.Nonce.Span, expected);
        return CryptographicOperations.FixedTimeEquals(expected, response);
    }

    /// <summary>Zeroes the HMAC key. Idempotent.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_hmacKey);
        }
    }

    /// <summary>Returns the formation id; never key material.</summary>
    public override string ToString() => "FormationKey(" + FormationId + ", [redacted])";

    /// <summary>Encodes and validates a formation id.</summary>
    /// <exception cref="ArgumentNullException">The id is null.</exception>
    /// <exception cref="ArgumentException">The id is empty, longer than 990 UTF-8 bytes or has lone surrogates.</exception>
    internal static byte[] EncodeFormationId(string formationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(formationId);
        var count = StrictUtf8.TryGetByteCount(formationId);
        if (count < 0)
        {
            throw new ArgumentException("The formation id is not valid UTF-16 (lone surrogate).", nameof(formationId));
        }

        if (count > MaxFormationIdBytes)
        {
            throw new ArgumentException(
                $"The formation id is {count} UTF-8 bytes; at most {MaxFormationIdBytes} fit a challenge.", nameof(formationId));
        }

        return StrictUtf8.Instance.GetBytes(formationId);
    }

    private static FormationKey FromRawSecret(string formationId, byte[] idBytes, ReadOnlySpan<byte> raw)
    {
        if (raw.Length == SecretSize)
        {
            return new FormationKey(formationId, idBytes, raw);
        }

        Span<byte> normalised = stackalloc byte[SecretSize];
        try
        {
            SHA256.HashData(raw, normalised);
            return new FormationKey(formationId, idBytes, normalised);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(normalised);
        }
    }

    private void ComputeResponse(ReadOnlySpan<byte> nonce, Span<byte> destination)
    {
        Span<byte> message = stackalloc byte[nonce.Length + _formationIdBytes.Length];
        nonce.CopyTo(message);
        _formationIdBytes.CopyTo(message[nonce.Length..]);
        HMACSHA256.HashData(_hmacKey, message, destination);
    }
}
