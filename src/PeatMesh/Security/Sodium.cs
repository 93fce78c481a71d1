using System.Runtime.InteropServices;

namespace PeatMesh.Security;

/// <summary>
/// P/Invoke surface of Debian's <c>libsodium23</c> (<c>libsodium.so.23</c>, libsodium 1.0.18) for the
/// primitives .NET does not ship: Ed25519 (RFC 8032) and X25519 (RFC 7748).
/// </summary>
/// <remarks>
/// Thread-safe: libsodium's functions are re-entrant once <c>sodium_init</c> has run, which
/// <see cref="EnsureInitialized"/> guarantees exactly once per process.
/// </remarks>
internal static partial class Sodium
{
    private const string Library = "libsodium.so.23";

    /// <summary>Ed25519 public key length in bytes.</summary>
    public const int Ed25519PublicKeyBytes = 32;

    /// <summary>Ed25519 secret key length in bytes as libsodium stores it (seed || public key).</summary>
    public const int Ed25519SecretKeyBytes = 64;

    /// <summary>Ed25519 seed (RFC 8032 private key) length in bytes.</summary>
    public const int Ed25519SeedBytes = 32;

    /// <summary>Ed25519 signature length in bytes.</summary>
    public const int Ed25519SignatureBytes = 64;

    /// <summary>X25519 scalar and point length in bytes.</summary>
    public const int X25519Bytes = 32;

    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs <c>sodium_init</c> once.</summary>
    /// <exception cref="DllNotFoundException">libsodium.so.23 is not installed (Debian package <c>libsodium23</c>).</exception>
    /// <exception cref="InvalidOperationException">sodium_init reported a failure.</exception>
    public static void EnsureInitialized() => _ = Initialized.Value;

    private static bool Initialize()
    {
        var rc = sodium_init();
        if (rc < 0)
        {
            throw new InvalidOperationException("libsodium failed to initialize (sodium_init returned " + rc + ").");
        }

        return true;
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    internal static partial int crypto_sign_ed25519_seed_keypair(Span<byte> pk, Span<byte> sk, ReadOnlySpan<byte> seed);

    [LibraryImport(Library)]
    internal static partial int crypto_sign_ed25519_detached(
        Span<byte> sig, out ulong siglen, ReadOnlySpan<byte> m, ulong mlen, ReadOnlySpan<byte> sk);

    [LibraryImport(Library)]
    internal static partial int crypto_sign_ed25519_verify_detached(
        ReadOnlySpan<byte> sig, ReadOnlySpan<byte> m, ulong mlen, ReadOnlySpan<byte> pk);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519(Span<byte> q, ReadOnlySpan<byte> n, ReadOnlySpan<byte> p);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519_base(Span<byte> q, ReadOnlySpan<byte> n);

    [LibraryImport(Library)]
    internal static partial void sodium_memzero(Span<byte> pnt, nuint len);
}
