namespace PeatMesh.Security.Noise;

/// <summary>
/// Inputs of <c>HandshakeState.Initialize</c> (rev 34 §5.3) plus the pre-shared keys of psk patterns (rev 34 §9).
/// </summary>
/// <remarks>
/// A plain settings bag; not thread-safe while being built. <see cref="HandshakeState"/> copies every key
/// it is given, so the caller may zero its own buffers right after the constructor returns.
/// <see cref="ToString"/> never renders key material.
/// </remarks>
public sealed class HandshakeParameters
{
    /// <summary>The protocol name, e.g. <c>Noise_XXpsk3_25519_ChaChaPoly_SHA256</c> (rev 34 §8). Required.</summary>
    public required string ProtocolName { get; init; }

    /// <summary><see langword="true"/> for the initiator (sends the first message). Required.</summary>
    public required bool Initiator { get; init; }

    /// <summary>The prologue both parties must agree on (rev 34 §6); any length. Defaults to empty.</summary>
    public ReadOnlyMemory<byte> Prologue { get; init; }

    /// <summary>Our static X25519 private key <c>s</c> (32 bytes); required when the pattern sends or pre-shares our static key.</summary>
    public ReadOnlyMemory<byte> LocalStaticPrivateKey { get; init; }

    /// <summary>
    /// A fixed ephemeral X25519 private key <c>e</c> (32 bytes), for conformance tests and pre-message <c>e</c> only.
    /// Empty (the default) generates a fresh random key when the pattern needs one; production code leaves it empty.
    /// </summary>
    public ReadOnlyMemory<byte> LocalEphemeralPrivateKey { get; init; }

    /// <summary>The peer's static X25519 public key <c>rs</c> (32 bytes); required when the peer's pre-message has <c>s</c> (NK, IK, K, X, ...).</summary>
    public ReadOnlyMemory<byte> RemoteStaticPublicKey { get; init; }

    /// <summary>The peer's ephemeral X25519 public key <c>re</c> (32 bytes); required only when the peer's pre-message has <c>e</c>.</summary>
    public ReadOnlyMemory<byte> RemoteEphemeralPublicKey { get; init; }

    /// <summary>
    /// The 32-byte pre-shared keys, in the order their <c>psk</c> tokens occur (rev 34 §9.2). The count must equal
    /// <see cref="HandshakePattern.PskCount"/>. Defaults to none.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> PreSharedKeys { get; init; } = [];

    /// <summary>Returns the protocol name and role; never keys.</summary>
    public override string ToString() => $"HandshakeParameters({ProtocolName}, {(Initiator ? "initiator" : "responder")})";
}
