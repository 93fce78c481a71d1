namespace PeatMesh.Security;

/// <summary>
/// Constants and small wire helpers of the reference's formation challenge/response procedure
/// (reference digest §2.3, <c>formation_key.rs</c> and <c>mesh_sync_transport.rs</c>).
/// </summary>
/// <remarks>
/// <para>
/// Procedure: the connector opens the first stream; the acceptor writes <c>[len:u32 LE][challenge]</c>
/// (<see cref="FormationChallenge"/>); the connector checks the formation id and writes
/// <c>[len:u32 LE][response]</c>; the acceptor writes one result byte (<see cref="EncodeResult"/>) and
/// finishes. Each length prefix must be checked against <see cref="MaxChallengeBytes"/> or
/// <see cref="MaxResponseBytes"/> before reading the body, and each step is bounded by <see cref="Timeout"/>.
/// </para>
/// <para>Thread-safe: stateless.</para>
/// </remarks>
public static class FormationAuth
{
    /// <summary>The formation id the reference node binary uses: <c>peat</c>.</summary>
    public const string DefaultFormationId = "peat";

    /// <summary>Challenge nonce length in bytes (32).</summary>
    public const int NonceSize = 32;

    /// <summary>Response (HMAC-SHA256) length in bytes (32).</summary>
    public const int ResponseSize = 32;

    /// <summary>Largest encoded challenge accepted, in bytes (1,024, as the reference).</summary>
    public const int MaxChallengeBytes = 1024;

    /// <summary>Largest encoded response accepted, in bytes (256, as the reference).</summary>
    public const int MaxResponseBytes = 256;

    /// <summary>QUIC application close code the reference acceptor uses on failure (1).</summary>
    public const int FailureCloseCode = 1;

    /// <summary>Close reason the reference acceptor uses on failure.</summary>
    public const string FailureReason = "formation auth failed";

    /// <summary>Bound on every read and write of the procedure: 30 seconds (<c>FORMATION_AUTH_TIMEOUT</c>).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Encodes a result as its byte: 0x01 accepted, 0x00 rejected.</summary>
    public static byte EncodeResult(FormationAuthResult result) =>
        result == FormationAuthResult.Accepted ? (byte)0x01 : (byte)0x00;

    /// <summary>Decodes a result byte: exactly 0x01 is accepted, every other value rejected.</summary>
    public static FormationAuthResult DecodeResult(byte value) =>
        value == 0x01 ? FormationAuthResult.Accepted : FormationAuthResult.Rejected;

    /// <summary>
    /// Applies the reference's response decoding: at least 32 bytes, of which the first 32 are the HMAC;
    /// we additionally refuse more than <see cref="MaxResponseBytes"/>.
    /// </summary>
    /// <param name="encoded">The response body as received (without its length prefix).</param>
    /// <param name="response">The first 32 bytes of <paramref name="encoded"/> on success, else empty.</param>
    /// <returns><see langword="false"/> when <paramref name="encoded"/> is shorter than 32 or longer than 256 bytes.</returns>
    public static bool TryDecodeResponse(ReadOnlySpan<byte> encoded, out ReadOnlySpan<byte> response)
    {
        if (encoded.Length < ResponseSize || encoded.Length > MaxResponseBytes)
        {
            response = default;
            return false;
        }

        response = encoded[..ResponseSize];
        return true;
    }
}
