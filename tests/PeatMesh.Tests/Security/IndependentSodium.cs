using System.Runtime.InteropServices;

namespace PeatMesh.Tests.Security;

/// <summary>
/// A direct libsodium binding owned by the tests, so that derivations can be checked against a computation
/// that shares no code with <c>PeatMesh.Security</c>.
/// </summary>
internal static class IndependentSodium
{
    /// <summary>The Ed25519 public key of a 32-byte seed (libsodium <c>crypto_sign_seed_keypair</c>).</summary>
    public static byte[] PublicKeyFromSeed(byte[] seed)
    {
        Assert.Equal(32, seed.Length);
        Assert.True(NativeMethods.sodium_init() >= 0, "sodium_init failed");
        var pk = new byte[32];
        var sk = new byte[64];
        Assert.Equal(0, NativeMethods.crypto_sign_seed_keypair(pk, sk, seed));
        return pk;
    }

    private static class NativeMethods
    {
        [DllImport("libsodium.so.23", CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sodium_init();

        [DllImport("libsodium.so.23", CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int crypto_sign_seed_keypair(byte[] pk, byte[] sk, byte[] seed);
    }
}
