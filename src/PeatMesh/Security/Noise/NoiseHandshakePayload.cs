using System.Diagnostics.CodeAnalysis;
using System.Text;
using Google.Protobuf;

namespace PeatMesh.Security.Noise;

/// <summary>
/// The libp2p Noise handshake payload binding an Ed25519 identity to a Noise static key
/// (libp2p specs noise/README.md r5, "The libp2p Handshake Payload"; protocols.md §1):
/// protobuf <c>NoiseHandshakePayload { bytes identity_key = 1; bytes identity_sig = 2; NoiseExtensions extensions = 4; }</c>
/// where <c>identity_key</c> is <c>PublicKey { Type = 1 (Ed25519); Data = 32-byte key }</c> (bytes <c>08 01 12 20 ‖ pk</c>)
/// and <c>identity_sig</c> is the Ed25519 signature over UTF-8 <c>"noise-libp2p-static-key:"</c> ‖ the 32-byte
/// X25519 static public key.
/// </summary>
/// <remarks>
/// <para>Encoding is deterministic: fields in tag order, minimal varints, no extensions (104 bytes).</para>
/// <para>Decoding is strict and bounded: at most <see cref="MaxEncodedSize"/> bytes; <c>identity_key</c> and
/// <c>identity_sig</c> exactly once each; <c>identity_key</c> must be the deterministic encoding of an Ed25519
/// <c>PublicKey</c> (any other key type, length, field order or trailing byte is rejected); <c>identity_sig</c> is
/// 64 bytes; <c>extensions</c> (field 4) is skipped; any other field is rejected.</para>
/// <para>Immutable; thread-safe.</para>
/// </remarks>
public sealed class NoiseHandshakePayload
{
    /// <summary>The signature prefix, UTF-8 <c>noise-libp2p-static-key:</c>.</summary>
    public const string SignaturePrefix = "noise-libp2p-static-key:";

    /// <summary>Largest encoded payload accepted by <see cref="Decode"/>, in bytes (1,024; ours is 104).</summary>
    public const int MaxEncodedSize = 1024;

    /// <summary>Length of the encoded Ed25519 <c>PublicKey</c> protobuf (36 bytes).</summary>
    public const int EncodedIdentityKeySize = 4 + Ed25519.PublicKeySize;

    private const int IdentityKeyField = 1;
    private const int IdentitySigField = 2;
    private const int ExtensionsField = 4;
    private const int KeyTypeEd25519 = 1;

    private static readonly byte[] IdentityKeyPrefix = [0x08, KeyTypeEd25519, 0x12, Ed25519.PublicKeySize];

    private readonly byte[] _identityKey;
    private readonly byte[] _identitySignature;

    /// <summary>Creates a payload from its parts.</summary>
    /// <param name="identityKey">The raw 32-byte Ed25519 public key.</param>
    /// <param name="identitySignature">The 64-byte signature.</param>
    /// <exception cref="ArgumentException">A part has the wrong length.</exception>
    public NoiseHandshakePayload(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> identitySignature)
    {
        if (identityKey.Length != Ed25519.PublicKeySize)
        {
            throw new ArgumentException($"An Ed25519 identity key is {Ed25519.PublicKeySize} bytes, got {identityKey.Length}.", nameof(identityKey));
        }

        if (identitySignature.Length != Ed25519.SignatureSize)
        {
            throw new ArgumentException($"An Ed25519 signature is {Ed25519.SignatureSize} bytes, got {identitySignature.Length}.", nameof(identitySignature));
        }

        _identityKey = identityKey.ToArray();
        _identitySignature = identitySignature.ToArray();
        DeviceId = DeviceId.FromPublicKey(_identityKey);
    }

    /// <summary>The raw 32-byte Ed25519 identity public key.</summary>
    public ReadOnlyMemory<byte> IdentityKey => _identityKey;

    /// <summary>The 64-byte Ed25519 signature over the Noise static key.</summary>
    public ReadOnlyMemory<byte> IdentitySignature => _identitySignature;

    /// <summary>The device id of <see cref="IdentityKey"/>.</summary>
    public DeviceId DeviceId { get; }

    /// <summary>Signs <paramref name="noiseStaticPublicKey"/> with <paramref name="identity"/> and builds the payload.</summary>
    /// <param name="identity">The node's Ed25519 identity.</param>
    /// <param name="noiseStaticPublicKey">Our 32-byte X25519 static public key for this handshake.</param>
    /// <exception cref="ArgumentNullException"><paramref name="identity"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="noiseStaticPublicKey"/> is not 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="identity"/> was disposed.</exception>
    public static NoiseHandshakePayload Create(DeviceKeypair identity, ReadOnlySpan<byte> noiseStaticPublicKey)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var signature = identity.Sign(BuildSignedMessage(noiseStaticPublicKey));
        return new NoiseHandshakePayload(identity.PublicKey, signature);
    }

    /// <summary>The signed message: UTF-8 <c>"noise-libp2p-static-key:"</c> ‖ the 32-byte static key.</summary>
    /// <param name="noiseStaticPublicKey">The 32-byte X25519 static public key.</param>
    /// <exception cref="ArgumentException"><paramref name="noiseStaticPublicKey"/> is not 32 bytes.</exception>
    public static byte[] BuildSignedMessage(ReadOnlySpan<byte> noiseStaticPublicKey)
    {
        if (noiseStaticPublicKey.Length != X25519.KeySize)
        {
            throw new ArgumentException($"A Noise static key is {X25519.KeySize} bytes, got {noiseStaticPublicKey.Length}.", nameof(noiseStaticPublicKey));
        }

        var prefixLength = Encoding.UTF8.GetByteCount(SignaturePrefix);
        var message = new byte[prefixLength + X25519.KeySize];
        Encoding.UTF8.GetBytes(SignaturePrefix, message);
        noiseStaticPublicKey.CopyTo(message.AsSpan(prefixLength));
        return message;
    }

    /// <summary>Encodes a raw Ed25519 public key as the libp2p <c>PublicKey</c> protobuf <c>08 01 12 20 ‖ pk</c> (peer-ids spec).</summary>
    /// <param name="ed25519PublicKey">The 32-byte key.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static byte[] EncodeIdentityKey(ReadOnlySpan<byte> ed25519PublicKey)
    {
        if (ed25519PublicKey.Length != Ed25519.PublicKeySize)
        {
            throw new ArgumentException($"An Ed25519 key is {Ed25519.PublicKeySize} bytes, got {ed25519PublicKey.Length}.", nameof(ed25519PublicKey));
        }

        var buffer = new byte[EncodedIdentityKeySize];
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteEnum(KeyTypeEd25519);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(ed25519PublicKey.ToArray()));
        output.Flush();
        output.CheckNoSpaceLeft();
        return buffer;
    }

    /// <summary>Verifies <see cref="IdentitySignature"/> over the static key the peer used in the handshake.</summary>
    /// <param name="noiseStaticPublicKey">The 32-byte X25519 static key received in the Noise handshake.</param>
    /// <returns><see langword="true"/> when the signature is valid for <see cref="IdentityKey"/>.</returns>
    public bool VerifySignature(ReadOnlySpan<byte> noiseStaticPublicKey) =>
        noiseStaticPublicKey.Length == X25519.KeySize
        && Ed25519.Verify(_identityKey, BuildSignedMessage(noiseStaticPublicKey), _identitySignature);

    /// <summary>Encodes deterministically (identity_key, then identity_sig; 104 bytes).</summary>
    public byte[] Encode()
    {
        var identityKey = ByteString.CopyFrom(EncodeIdentityKey(_identityKey));
        var signature = ByteString.CopyFrom(_identitySignature);
        var size = CodedOutputStream.ComputeTagSize(IdentityKeyField) + CodedOutputStream.ComputeBytesSize(identityKey)
            + CodedOutputStream.ComputeTagSize(IdentitySigField) + CodedOutputStream.ComputeBytesSize(signature);
        var buffer = new byte[size];
        var output = new CodedOutputStream(buffer);
        output.WriteTag(IdentityKeyField, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(identityKey);
        output.WriteTag(IdentitySigField, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(signature);
        output.Flush();
        output.CheckNoSpaceLeft();
        return buffer;
    }

    /// <summary>Decodes a payload strictly (see remarks). The signature is NOT verified; call <see cref="VerifySignature"/>.</summary>
    /// <param name="encoded">The encoded payload.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="FormatException">The bytes are not a valid Ed25519 handshake payload; the message says why.</exception>
    public static NoiseHandshakePayload Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedSize)
        {
            throw new FormatException($"Handshake payload is {encoded.Length} bytes; at most {MaxEncodedSize} are accepted.");
        }

        ByteString? identityKey = null;
        ByteString? signature = null;
        try
        {
            var input = new CodedInputStream(encoded.ToArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var field = WireFormat.GetTagFieldNumber(tag);
                var wireType = WireFormat.GetTagWireType(tag);
                if (wireType != WireFormat.WireType.LengthDelimited)
                {
                    throw new FormatException($"Handshake payload field {field} has wire type {wireType}; bytes expected.");
                }

                switch (field)
                {
                    case IdentityKeyField when identityKey is null:
                        identityKey = input.ReadBytes();
                        break;
                    case IdentitySigField when signature is null:
                        signature = input.ReadBytes();
                        break;
                    case IdentityKeyField or IdentitySigField:
                        throw new FormatException($"Handshake payload repeats field {field}.");
                    case ExtensionsField:
                        input.SkipLastField();
                        break;
                    default:
                        throw new FormatException($"Handshake payload has unexpected field {field}.");
                }
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException("Handshake payload is not valid protobuf: " + ex.Message, ex);
        }

        if (identityKey is null || signature is null)
        {
            throw new FormatException("Handshake payload lacks " + (identityKey is null ? "identity_key" : "identity_sig") + ".");
        }

        var key = DecodeIdentityKey(identityKey.Span);
        if (signature.Length != Ed25519.SignatureSize)
        {
            throw new FormatException($"identity_sig is {signature.Length} bytes; an Ed25519 signature is {Ed25519.SignatureSize}.");
        }

        return new NoiseHandshakePayload(key, signature.Span);
    }

    /// <summary>As <see cref="Decode"/>, returning <see langword="false"/> instead of throwing.</summary>
    /// <param name="encoded">The encoded payload.</param>
    /// <param name="payload">The payload on success.</param>
    /// <returns><see langword="true"/> when the bytes are a valid payload.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out NoiseHandshakePayload? payload)
    {
        try
        {
            payload = Decode(encoded);
            return true;
        }
        catch (FormatException)
        {
            payload = null;
            return false;
        }
    }

    /// <summary>Returns the device id; the payload holds no secret.</summary>
    public override string ToString() => "NoiseHandshakePayload(" + DeviceId + ")";

    private static ReadOnlySpan<byte> DecodeIdentityKey(ReadOnlySpan<byte> encoded)
    {
        // PublicKey { required KeyType Type = 1; required bytes Data = 2; } in its deterministic form only.
        if (encoded.Length < 2 || encoded[0] != IdentityKeyPrefix[0])
        {
            throw new FormatException("identity_key does not start with the PublicKey Type field.");
        }

        if (encoded[1] != KeyTypeEd25519)
        {
            throw new FormatException("identity_key has an unsupported key type (only Ed25519 = 1 is accepted).");
        }

        if (encoded.Length < 4 || encoded[2] != IdentityKeyPrefix[2])
        {
            throw new FormatException("identity_key lacks the PublicKey Data field.");
        }

        if (encoded[3] != Ed25519.PublicKeySize || encoded.Length < EncodedIdentityKeySize)
        {
            throw new FormatException($"identity_key Data is not {Ed25519.PublicKeySize} bytes.");
        }

        if (encoded.Length != EncodedIdentityKeySize)
        {
            throw new FormatException($"identity_key has {encoded.Length - EncodedIdentityKeySize} trailing byte(s).");
        }

        return encoded[IdentityKeyPrefix.Length..];
    }
}
