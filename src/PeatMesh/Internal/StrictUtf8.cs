using System.Text;

namespace PeatMesh.Internal;

/// <summary>A UTF-8 encoding without BOM that throws on invalid input in both directions.</summary>
/// <remarks>Thread-safe: <see cref="UTF8Encoding"/> instances are immutable.</remarks>
internal static class StrictUtf8
{
    /// <summary>Throws <see cref="EncoderFallbackException"/> on lone surrogates and
    /// <see cref="DecoderFallbackException"/> on malformed bytes, instead of substituting U+FFFD.</summary>
    public static readonly UTF8Encoding Instance = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="bytes"/>, or returns <see langword="null"/> when they are not valid UTF-8.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        return Instance.GetString(bytes);
    }

    /// <summary>The UTF-8 byte count of <paramref name="value"/>, or -1 when it has lone surrogates.</summary>
    public static int TryGetByteCount(string value)
    {
        try
        {
            return Instance.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return -1;
        }
    }
}
