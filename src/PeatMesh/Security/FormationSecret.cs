using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PeatMesh.Security;

/// <summary>
/// The formation secret every node of a formation shares (<c>PEAT_FORMATION_SECRET</c>): standard
/// base64 with padding of arbitrary bytes, usually 32 random bytes (<c>openssl rand -base64 32</c>).
/// All of a node's long-term keys are derived from its raw decoded bytes.
/// </summary>
/// <remarks>
/// <para>
/// Derivations (HKDF-SHA256, RFC 5869, no salt, ikm = the raw decoded bytes of any length, L = 32):
/// the device key seed with info = <c>HOSTNAME</c> (README decision 1, reference digest §2.2, so the
/// same secret and hostname give the same <c>device_id</c> as peat-mesh), and the Noise PSK with
/// info = UTF-8 <c>"peat-mesh:noise-psk/1"</c> (our own label, decision 2; the reference has no Noise).
/// The formation HMAC key (§2.3) instead uses the normalised 32-byte secret; see
/// <see cref="CreateFormationKey(string)"/>.
/// </para>
/// <para>
/// Parsing follows the reference (Rust <c>base64::STANDARD</c> after <c>trim()</c>): the standard
/// alphabet, <c>=</c> padding required, no whitespace inside, and canonical trailing bits. Error
/// messages never contain the secret or any part of it; <see cref="ToString"/> is redacted.
/// </para>
/// <para>
/// Thread-safe for concurrent derivations. <see cref="Dispose"/> zeroes the secret and must not race
/// with a derivation; afterwards every derivation throws <see cref="ObjectDisposedException"/>.
/// </para>
/// </remarks>
public sealed class FormationSecret : IDisposable
{
    /// <summary>The environment variable the node reads the secret from.</summary>
    public const string EnvironmentVariable = "PEAT_FORMATION_SECRET";

    /// <summary>The HKDF info label of the Noise PSK (UTF-8): <c>peat-mesh:noise-psk/1</c>.</summary>
    public const string NoisePskInfo = "peat-mesh:noise-psk/1";

    /// <summary>Length of the Noise PSK in bytes (32, Noise rev 34 §9).</summary>
    public const int NoisePskSize = 32;

    /// <summary>Number of random bytes <see cref="Generate"/> encodes (32).</summary>
    public const int GeneratedSecretSize = 32;

    /// <summary>
    /// Longest accepted encoded secret in characters after trimming (4,096, i.e. 3,072 decoded bytes).
    /// Far above any real secret; it only stops a mistaken multi-megabyte value from being decoded.
    /// </summary>
    public const int MaxEncodedLength = 4096;

    private readonly byte[] _raw;
    private bool _disposed;

    private FormationSecret(byte[] raw) => _raw = raw;

    /// <summary>Length of the decoded secret in bytes (not secret; useful to warn about short secrets).</summary>
    public int DecodedLength => _raw.Length;

    /// <summary>
    /// The raw decoded secret, for derivations inside this assembly only. Never log or copy it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    internal ReadOnlySpan<byte> RawBytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _raw;
        }
    }

    /// <summary>Parses a base64 formation secret.</summary>
    /// <param name="base64">Standard base64 with padding; leading and trailing whitespace is ignored.</param>
    /// <returns>The secret; dispose it to zero its bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="base64"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The value is empty, too long or not canonical standard base64.
    /// The message never contains the value.</exception>
    public static FormationSecret Parse(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        var raw = Base64Secret.Decode(base64, "The formation secret");
        return new FormationSecret(raw);
    }

    /// <summary>Parses a base64 formation secret without throwing.</summary>
    /// <param name="base64">Standard base64 with padding; leading and trailing whitespace is ignored.</param>
    /// <param name="secret">The secret, or <see langword="null"/> when parsing failed.</param>
    /// <param name="error">Why parsing failed (never contains the value), or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="base64"/> is a valid secret.</returns>
    public static bool TryParse(string? base64, [NotNullWhen(true)] out FormationSecret? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        if (base64 is null)
        {
            error = "The formation secret is not set.";
            return false;
        }

        var raw = Base64Secret.TryDecode(base64, "The formation secret", out error);
        if (raw is null)
        {
            error ??= "The formation secret is invalid.";
            return false;
        }

        secret = new FormationSecret(raw);
        return true;
    }

    /// <summary>Reads and parses <c>PEAT_FORMATION_SECRET</c> from the process environment.</summary>
    /// <exception cref="InvalidOperationException">The variable is unset or empty, or its value is not a valid
    /// secret (the message names the variable and the problem, never the value).</exception>
    public static FormationSecret FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                EnvironmentVariable + " is not set. Generate one with `openssl rand -base64 32` and give every node of the formation the same value.");
        }

        if (!TryParse(value, out var secret, out var error))
        {
            throw new InvalidOperationException(EnvironmentVariable + ": " + error);
        }

        return secret;
    }

    /// <summary>Generates a new secret: standard base64 of 32 random bytes, like <c>openssl rand -base64 32</c>
    /// and the reference's <c>FormationKey::generate_secret</c>.</summary>
    /// <returns>A 44-character base64 string.</returns>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[GeneratedSecretSize];
        RandomNumberGenerator.Fill(bytes);
        try
        {
            return Convert.ToBase64String(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Derives the node's Ed25519 device key pair: seed = HKDF-SHA256(salt = none, ikm = raw secret,
    /// info = UTF-8 <paramref name="hostname"/>, L = 32) (README decision 1, reference digest §2.2).
    /// </summary>
    /// <param name="hostname">The node's <c>HOSTNAME</c>, e.g. <c>peat-mesh-0</c>; used exactly as given.</param>
    /// <returns>A new key pair the caller owns and disposes.</returns>
    /// <exception cref="ArgumentException"><paramref name="hostname"/> is null or empty (an empty hostname
    /// would give every such node the same identity).</exception>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public DeviceKeypair DeriveDeviceKeypair(string hostname)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostname);
        return DeriveKeypair(hostname);
    }

    /// <summary>
    /// Derives an Ed25519 key pair for any reference context label: seed = HKDF-SHA256(salt = none,
    /// ikm = raw secret, info = UTF-8 <paramref name="context"/>, L = 32), e.g.
    /// <c>"peat-mesh:authority-keypair"</c> or <c>"iroh:" + HOSTNAME</c> (reference digest §2.2).
    /// </summary>
    /// <param name="context">The HKDF info label; may be empty.</param>
    /// <returns>A new key pair the caller owns and disposes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public DeviceKeypair DeriveKeypair(string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return DeviceKeypair.Derive(RawBytes, context);
    }

    /// <summary>
    /// Derives the 32-byte Noise pre-shared key: HKDF-SHA256(salt = none, ikm = raw secret,
    /// info = UTF-8 <c>"peat-mesh:noise-psk/1"</c>, L = 32) (decision 2).
    /// </summary>
    /// <param name="destination">Receives exactly 32 bytes; the caller zeroes it when done.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public void DeriveNoisePsk(Span<byte> destination)
    {
        if (destination.Length != NoisePskSize)
        {
            throw new ArgumentException($"Expected {NoisePskSize} bytes, got {destination.Length}.", nameof(destination));
        }

        HKDF.DeriveKey(HashAlgorithmName.SHA256, RawBytes, destination, ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(NoisePskInfo));
    }

    /// <summary>Derives the 32-byte Noise PSK into a new array (see <see cref="DeriveNoisePsk(Span{byte})"/>).</summary>
    /// <returns>32 bytes the caller zeroes when done.</returns>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public byte[] DeriveNoisePsk()
    {
        var psk = new byte[NoisePskSize];
        DeriveNoisePsk(psk);
        return psk;
    }

    /// <summary>
    /// Creates the formation key of the reference's <c>FormationKey::from_base64</c> for this secret:
    /// the raw secret is used as-is when it is 32 bytes, else its SHA-256 (reference digest §2.2–2.3).
    /// </summary>
    /// <param name="formationId">The formation id (the node binary uses <see cref="FormationAuth.DefaultFormationId"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="formationId"/> is invalid (see <see cref="FormationKey"/>).</exception>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public FormationKey CreateFormationKey(string formationId) => FormationKey.FromRawSecret(formationId, RawBytes);

    /// <summary>Zeroes the secret. Idempotent.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_raw);
        }
    }

    /// <summary>Returns a redacted description; never the secret.</summary>
    public override string ToString() => "FormationSecret([redacted])";
}
