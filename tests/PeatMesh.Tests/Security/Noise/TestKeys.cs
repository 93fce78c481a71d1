using PeatMesh.Security;
using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>Deterministic (seeded) keys and options for channel tests.</summary>
internal static class TestKeys
{
    public static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static DeviceKeypair Identity(int seed) => DeviceKeypair.FromSeed(Bytes(32, seed));

    public static byte[] Psk(int seed) => Bytes(NoiseConstants.PskSize, seed);

    public static SecureChannelOptions Options(DeviceKeypair identity, byte[] psk, TimeSpan? handshakeTimeout = null) => new()
    {
        Identity = identity,
        PreSharedKey = psk,
        HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(10),
    };
}
