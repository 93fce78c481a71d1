using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// SHA-256 (FIPS 180-4) of many short inputs, such as change chunks (Automerge binary format §2.3: a change hash is
/// SHA-256 of type ‖ uLEB length ‖ body). On Linux it calls OpenSSL's digest functions <c>SHA256_Init</c>,
/// <c>SHA256_Update</c> and <c>SHA256_Final</c> in <c>libcrypto.so.3</c> (the library .NET's own cryptography loads
/// there) directly; elsewhere, or when that library or a function is missing or fails a self-test, it uses
/// <see cref="IncrementalHash"/>. The result is the same either way.
/// </summary>
/// <remarks>
/// Why (ADR 0028): <see cref="IncrementalHash"/> and <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> go
/// through OpenSSL 3's EVP layer, whose per-call provider dispatch costs ~400–550 ns for a 100-byte input; the digest
/// functions cost ~115 ns (SHA extensions where the CPU has them), and loading a document of 260k one-op changes hashes
/// 260k such chunks. OpenSSL 3 marks the functions deprecated but exports them in every 3.x release.
/// Not thread-safe: an instance holds one hash state; use <see cref="Shared"/> (one per thread).
/// Hashes only public content (no keys), so it has no constant-time requirement.
/// </remarks>
internal sealed partial class Sha256Hasher : IDisposable
{
    /// <summary>Digest length in bytes.</summary>
    public const int HashSize = 32;

    private const string Library = "libcrypto.so.3";

    // sizeof(SHA256_CTX) is 112 bytes in OpenSSL 3 (8 state words, two length words, 16 data words, num, md_len);
    // twice that leaves room for any layout change.
    private const int ContextSize = 224;

    [ThreadStatic]
    private static Sha256Hasher? t_shared;

    private static readonly Lazy<bool> NativeUsable = new(ProbeNative, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly byte[]? _context;
    private readonly IncrementalHash? _managed;

    private Sha256Hasher(bool native)
    {
        if (native)
        {
            _context = GC.AllocateUninitializedArray<byte>(ContextSize, pinned: true);
        }
        else
        {
            _managed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
    }

    /// <summary>This thread's hasher (native when usable).</summary>
    public static Sha256Hasher Shared => t_shared ??= Create(preferNative: true);

    /// <summary>Whether this process hashes through libcrypto's digest functions (false: <see cref="IncrementalHash"/>).</summary>
    public static bool IsNativeAvailable => NativeUsable.Value;

    /// <summary>Whether this instance uses libcrypto's digest functions.</summary>
    public bool IsNative => _context is not null;

    /// <summary>A new hasher; native only when <paramref name="preferNative"/> and <see cref="IsNativeAvailable"/>.</summary>
    public static Sha256Hasher Create(bool preferNative) => new(preferNative && IsNativeAvailable);

    /// <summary>Writes SHA-256(<paramref name="first"/> ‖ <paramref name="second"/>) to <paramref name="digest"/>.</summary>
    /// <param name="first">The first part of the input (may be empty).</param>
    /// <param name="second">The rest of the input (may be empty).</param>
    /// <param name="digest">At least <see cref="HashSize"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="digest"/> is shorter than 32 bytes.</exception>
    /// <exception cref="CryptographicException">libcrypto reported a failure (it never does for valid arguments).</exception>
    public void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> digest)
    {
        if (digest.Length < HashSize)
        {
            throw new ArgumentException("A SHA-256 digest needs 32 bytes.", nameof(digest));
        }

        if (_context is null)
        {
            _managed!.AppendData(first);
            _managed.AppendData(second);
            _managed.GetHashAndReset(digest);
            return;
        }

        if (SHA256_Init(_context) != 1
            || (!first.IsEmpty && SHA256_Update(_context, first, (nuint)first.Length) != 1)
            || (!second.IsEmpty && SHA256_Update(_context, second, (nuint)second.Length) != 1)
            || SHA256_Final(digest, _context) != 1)
        {
            throw new CryptographicException("libcrypto's SHA-256 failed.");
        }
    }

    /// <summary>Writes SHA-256(<paramref name="data"/>) to <paramref name="digest"/>.</summary>
    /// <inheritdoc cref="Hash(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})" path="/exception"/>
    public void Hash(ReadOnlySpan<byte> data, Span<byte> digest) => Hash(data, default, digest);

    /// <summary>Releases the managed hash state, if any (the native state is a pinned array the GC frees).</summary>
    public void Dispose() => _managed?.Dispose();

    private static readonly (string First, string Second, string Sha256)[] KnownAnswers =
    [
        ("", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("ab", "c", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighij", "hijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq", "klmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ];

    private static bool ProbeNative()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Library, typeof(Sha256Hasher).Assembly, null, out _))
        {
            return false;
        }

        try
        {
            // FIPS 180-2 known answers (empty, one block, two blocks split across the parts, four blocks), checked
            // against constants rather than the framework's SHA-256 so that a first load does not also initialise .NET's
            // OpenSSL shim (~3 ms).
            var hasher = new Sha256Hasher(native: true);
            Span<byte> ours = stackalloc byte[HashSize];
            foreach (var (first, second, expected) in KnownAnswers)
            {
                hasher.Hash(System.Text.Encoding.ASCII.GetBytes(first), System.Text.Encoding.ASCII.GetBytes(second), ours);
                if (!ours.SequenceEqual(Convert.FromHexString(expected)))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or CryptographicException)
        {
            return false;
        }
    }

    [LibraryImport(Library)]
    private static partial int SHA256_Init(Span<byte> context);

    [LibraryImport(Library)]
    private static partial int SHA256_Update(Span<byte> context, ReadOnlySpan<byte> data, nuint length);

    [LibraryImport(Library)]
    private static partial int SHA256_Final(Span<byte> digest, Span<byte> context);
}
