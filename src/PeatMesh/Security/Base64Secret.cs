using System.Buffers;
using System.Security.Cryptography;

namespace PeatMesh.Security;

/// <summary>
/// Strict decoding of base64 secrets, matching Rust <c>base64::engine::general_purpose::STANDARD</c>
/// after <c>str::trim</c> (reference digest §2.1): standard alphabet, <c>=</c> padding required,
/// nothing but whitespace around the value, and zero trailing bits.
/// </summary>
/// <remarks>
/// Thread-safe (stateless). Decoded secrets are returned in pinned arrays so that the GC never leaves
/// stray copies behind when it compacts; error messages never contain any part of the input.
/// </remarks>
internal static class Base64Secret
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private static readonly SearchValues<char> AlphabetChars = SearchValues.Create(Alphabet);

    /// <summary>Decodes or throws <see cref="FormatException"/>.</summary>
    /// <param name="value">The encoded value.</param>
    /// <param name="what">What the value is, for messages, e.g. "The formation secret".</param>
    /// <exception cref="FormatException">The value is not a valid secret.</exception>
    public static byte[] Decode(string value, string what) =>
        TryDecode(value, what, out var error) ?? throw new FormatException(error);

    /// <summary>Decodes, or returns <see langword="null"/> with a message that does not echo the input.</summary>
    public static byte[]? TryDecode(string value, string what, out string? error)
    {
        var text = value.AsSpan().Trim();
        if (text.IsEmpty)
        {
            error = what + " is empty.";
            return null;
        }

        if (text.Length > FormationSecret.MaxEncodedLength)
        {
            error = $"{what} is too long: {text.Length} characters, at most {FormationSecret.MaxEncodedLength} are accepted.";
            return null;
        }

        if (text.Length % 4 != 0)
        {
            error = what + " is not valid base64: its length must be a multiple of 4 (standard alphabet with '=' padding).";
            return null;
        }

        var padding = text[^1] != '=' ? 0 : text[^2] == '=' ? 2 : 1;
        var body = text[..^padding];
        if (body.IndexOfAnyExcept(AlphabetChars) >= 0)
        {
            error = what + " is not valid base64: only A-Z a-z 0-9 + / are allowed, with '=' padding at the end only.";
            return null;
        }

        if (padding > 0)
        {
            var unusedBits = padding == 2 ? 0x0F : 0x03;
            if ((Alphabet.IndexOf(body[^1], StringComparison.Ordinal) & unusedBits) != 0)
            {
                error = what + " is not canonical base64: the bits after the last byte must be zero.";
                return null;
            }
        }

        var length = (text.Length / 4 * 3) - padding;
        var raw = GC.AllocateArray<byte>(length, pinned: true);
        if (!Convert.TryFromBase64Chars(text, raw, out var written) || written != length)
        {
            CryptographicOperations.ZeroMemory(raw);
            error = what + " is not valid base64.";
            return null;
        }

        error = null;
        return raw;
    }
}
