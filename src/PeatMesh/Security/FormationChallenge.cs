using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using PeatMesh.Internal;

namespace PeatMesh.Security;

/// <summary>
/// A formation challenge (reference digest §2.3): the formation id and a 32-byte random nonce, encoded as
/// <c>[id_len:u16 LE][formation_id UTF-8][nonce:32]</c>, at most <see cref="FormationAuth.MaxChallengeBytes"/> bytes.
/// </summary>
/// <remarks>
/// Immutable; thread-safe. Decoding is stricter than the reference in two harmless ways: trailing bytes
/// after the nonce and an empty formation id are rejected (the reference's encoder produces neither).
/// </remarks>
public sealed class FormationChallenge
{
    private readonly byte[] _nonce;
    private readonly byte[] _formationIdBytes;

    /// <summary>Creates a challenge.</summary>
    /// <param name="formationId">The formation id, 1–990 UTF-8 bytes.</param>
    /// <param name="nonce">Exactly 32 bytes (copied).</param>
    /// <exception cref="ArgumentException">The id is invalid or the nonce is not 32 bytes.</exception>
    public FormationChallenge(string formationId, ReadOnlySpan<byte> nonce)
    {
        _formationIdBytes = FormationKey.EncodeFormationId(formationId);
        if (nonce.Length != FormationAuth.NonceSize)
        {
            throw new ArgumentException($"Expected {FormationAuth.NonceSize} bytes, got {nonce.Length}.", nameof(nonce));
        }

        FormationId = formationId;
        _nonce = nonce.ToArray();
    }

    /// <summary>The formation id the challenger belongs to.</summary>
    public string FormationId { get; }

    /// <summary>The 32-byte nonce.</summary>
    public ReadOnlyMemory<byte> Nonce => _nonce;

    /// <summary>Encodes as <c>[id_len:u16 LE][formation_id][nonce:32]</c>.</summary>
    public byte[] ToBytes()
    {
        var id = _formationIdBytes;
        var bytes = new byte[2 + id.Length + FormationAuth.NonceSize];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)id.Length);
        id.CopyTo(bytes.AsSpan(2));
        _nonce.CopyTo(bytes.AsSpan(2 + id.Length));
        return bytes;
    }

    /// <summary>Decodes a challenge body (without the stream's <c>u32</c> length prefix).</summary>
    /// <param name="encoded">The encoded challenge.</param>
    /// <param name="challenge">The challenge, or <see langword="null"/>.</param>
    /// <param name="error">Why decoding failed, or <see langword="null"/>.</param>
    /// <returns><see langword="false"/> when the input is longer than 1,024 bytes, truncated, has trailing
    /// bytes, or its id is empty or not UTF-8.</returns>
    public static bool TryParse(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out FormationChallenge? challenge, out string? error)
    {
        challenge = null;
        if (encoded.Length > FormationAuth.MaxChallengeBytes)
        {
            error = $"Challenge is {encoded.Length} bytes; at most {FormationAuth.MaxChallengeBytes} are accepted.";
            return false;
        }

        if (encoded.Length < 2)
        {
            error = "Challenge too short.";
            return false;
        }

        int idLength = BinaryPrimitives.ReadUInt16LittleEndian(encoded);
        var expected = 2 + idLength + FormationAuth.NonceSize;
        if (encoded.Length != expected)
        {
            error = encoded.Length < expected
                ? "Challenge truncated."
                : $"Challenge has {encoded.Length - expected} unexpected trailing bytes.";
            return false;
        }

        if (idLength == 0)
        {
            error = "Challenge formation id is empty.";
            return false;
        }

        var id = StrictUtf8.TryDecode(encoded.Slice(2, idLength));
        if (id is null)
        {
            error = "Challenge formation id is not valid UTF-8.";
            return false;
        }

        challenge = new FormationChallenge(id, encoded[(2 + idLength)..]);
        error = null;
        return true;
    }

    /// <summary>Decodes a challenge body or throws.</summary>
    /// <exception cref="FormatException">The input is not a valid challenge (see <see cref="TryParse"/>).</exception>
    public static FormationChallenge Parse(ReadOnlySpan<byte> encoded) =>
        TryParse(encoded, out var challenge, out var error) ? challenge : throw new FormatException(error);

    /// <summary>Names the formation; the nonce is not secret but is not printed either.</summary>
    public override string ToString() => "FormationChallenge(" + FormationId + ")";
}
