using System.Security.Cryptography;

namespace PeatMesh.Security.Noise;

/// <summary>
/// Noise's HKDF (rev 34 §4.3) over HMAC-SHA256: temp = HMAC(ck, ikm); out1 = HMAC(temp, 0x01);
/// out2 = HMAC(temp, out1 ‖ 0x02); out3 = HMAC(temp, out2 ‖ 0x03).
/// </summary>
/// <remarks>Stateless; thread-safe. Intermediate values are zeroed.</remarks>
internal static class NoiseHkdf
{
    private const int H = NoiseConstants.HashLength;

    /// <summary>Derives two 32-byte outputs.</summary>
    public static void Derive(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output1, Span<byte> output2) =>
        Derive(chainingKey, inputKeyMaterial, output1, output2, Span<byte>.Empty);

    /// <summary>Derives two or three 32-byte outputs (three when <paramref name="output3"/> is not empty).</summary>
    public static void Derive(
        ReadOnlySpan<byte> chainingKey,
        ReadOnlySpan<byte> inputKeyMaterial,
        Span<byte> output1,
        Span<byte> output2,
        Span<byte> output3)
    {
        Span<byte> temp = stackalloc byte[H];
        Span<byte> block = stackalloc byte[H + 1];
        try
        {
            HMACSHA256.HashData(chainingKey, inputKeyMaterial, temp);

            block[0] = 0x01;
            HMACSHA256.HashData(temp, block[..1], output1);

            output1.CopyTo(block);
            block[H] = 0x02;
            HMACSHA256.HashData(temp, block, output2);

            if (!output3.IsEmpty)
            {
                output2.CopyTo(block);
                block[H] = 0x03;
                HMACSHA256.HashData(temp, block, output3);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(temp);
            CryptographicOperations.ZeroMemory(block);
        }
    }
}
