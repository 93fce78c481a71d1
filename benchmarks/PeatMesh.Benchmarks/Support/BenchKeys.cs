using PeatMesh.Security;
using PeatMesh.Security.Noise;

namespace PeatMesh.Benchmarks.Support;

/// <summary>
/// Seeded (deterministic) identities and PSK for the loopback scenarios, derived as the secure-channel tests derive
/// theirs (<c>System.Random(seed)</c> bytes: identities 101 and 102, PSK seed 1). Benchmark keys only: never secret.
/// </summary>
public static class BenchKeys
{
    /// <summary>The responder's identity (seed 101). The caller disposes it.</summary>
    public static DeviceKeypair ServerIdentity() => DeviceKeypair.FromSeed(Bytes(32, seed: 101));

    /// <summary>The initiator's identity (seed 102). The caller disposes it.</summary>
    public static DeviceKeypair ClientIdentity() => DeviceKeypair.FromSeed(Bytes(32, seed: 102));

    /// <summary>Channel options for <paramref name="identity"/> with the shared benchmark PSK and a 10 s handshake timeout.</summary>
    public static SecureChannelOptions Options(DeviceKeypair identity) => new()
    {
        Identity = identity,
        PreSharedKey = Bytes(NoiseConstants.PskSize, seed: 1),
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary><paramref name="count"/> bytes from <c>System.Random(<paramref name="seed"/>)</c>.</summary>
    public static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
#pragma warning disable CA5394 // Deterministic benchmark input, not a secret.
        new Random(seed).NextBytes(bytes);
#pragma warning restore CA5394
        return bytes;
    }
}
