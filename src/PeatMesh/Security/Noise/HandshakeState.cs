using System.Security.Cryptography;

namespace PeatMesh.Security.Noise;

/// <summary>
/// A Noise <c>HandshakeState</c> (rev 34 §5.3) for <c>25519_ChaChaPoly_SHA256</c>: processes the tokens of a
/// <see cref="HandshakePattern"/> (incl. <c>psk</c>, rev 34 §9) and, after the last message, yields a
/// <see cref="NoiseTransport"/> via <see cref="Split"/>.
/// </summary>
/// <remarks>
/// <para>Construction performs <c>Initialize</c>: InitializeSymmetric(protocol name), MixHash(prologue), then MixHash
/// of each pre-message public key, initiator's first. In a pattern containing <c>psk</c>, every <c>e</c> token also
/// performs MixKey(e.pub) (rev 34 §9.2).</para>
/// <para>Any error while writing or reading a message (including a failed decryption) aborts the handshake: the
/// state zeroes its secrets and every later call throws <see cref="InvalidOperationException"/>.</para>
/// <para>Not thread-safe. <see cref="Dispose"/> zeroes every private key, PSK and the chaining key.</para>
/// </remarks>
public sealed class HandshakeState : IDisposable
{
    private const int DhLen = NoiseConstants.DhLength;

    private readonly SymmetricState _symmetric;
    private readonly bool _hasPsk;
    private readonly byte[] _s = new byte[DhLen];
    private readonly byte[] _sPublic = new byte[DhLen];
    private readonly byte[] _e = new byte[DhLen];
    private readonly byte[] _ePublic = new byte[DhLen];
    private readonly byte[] _rs = new byte[DhLen];
    private readonly byte[] _re = new byte[DhLen];
    private readonly byte[][] _psks;
    private bool _fixedEphemeral;
    private bool _hasS;
    private bool _hasE;
    private bool _hasRs;
    private bool _hasRe;
    private int _pskIndex;
    private int _messageIndex;
    private bool _failed;
    private bool _disposed;
    private byte[]? _handshakeHash;
    private NoiseTransport? _transport;

    /// <summary>Initializes the handshake (rev 34 §5.3 Initialize).</summary>
    /// <param name="parameters">Protocol name, role, prologue and keys.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentException">A key has the wrong length, a key the pattern needs is missing, or the PSK count does not match.</exception>
    /// <exception cref="FormatException">The protocol name is malformed.</exception>
    /// <exception cref="NotSupportedException">The protocol's pattern or primitives are not supported.</exception>
    public HandshakeState(HandshakeParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Pattern = HandshakePattern.FromProtocolName(parameters.ProtocolName);
        IsInitiator = parameters.Initiator;
        _hasPsk = Pattern.PskCount > 0;

        var psks = parameters.PreSharedKeys ?? [];
        if (psks.Count != Pattern.PskCount)
        {
            throw new ArgumentException($"Pattern {Pattern.Name} needs {Pattern.PskCount} pre-shared key(s), got {psks.Count}.", nameof(parameters));
        }

        _psks = new byte[psks.Count][];
        _symmetric = new SymmetricState(parameters.ProtocolName);
        try
        {
            Initialize(parameters, psks);
        }
        catch
        {
            // Do not leave copies of keys behind when the parameters are rejected.
            ZeroSecrets();
            throw;
        }
    }

    /// <summary>The handshake pattern.</summary>
    public HandshakePattern Pattern { get; }

    /// <summary><see langword="true"/> for the initiator.</summary>
    public bool IsInitiator { get; }

    /// <summary>Index of the next handshake message (0-based).</summary>
    public int MessageIndex => _messageIndex;

    /// <summary><see langword="true"/> after the last handshake message was written or read.</summary>
    public bool IsCompleted => _messageIndex == Pattern.Messages.Length && !_failed;

    /// <summary><see langword="true"/> when the next handshake message is ours to write (false once completed).</summary>
    public bool IsMyTurnToWrite => !IsCompleted && !_failed && Pattern.Messages[_messageIndex].FromInitiator == IsInitiator;

    /// <summary>
    /// The handshake hash <c>h</c> (32 bytes): the running value during the handshake, the final channel-binding
    /// value (rev 34 §11.2) once <see cref="IsCompleted"/>.
    /// </summary>
    public ReadOnlySpan<byte> HandshakeHash => _handshakeHash ?? _symmetric.HandshakeHash;

    /// <summary>Our static public key (32 bytes), or empty when we have none.</summary>
    public ReadOnlySpan<byte> LocalStaticPublicKey => _hasS ? _sPublic : [];

    /// <summary>Our ephemeral public key (32 bytes) once generated, else empty.</summary>
    public ReadOnlySpan<byte> LocalEphemeralPublicKey => _hasE ? _ePublic : [];

    /// <summary>The peer's static public key <c>rs</c> (32 bytes) once known, else empty.</summary>
    public ReadOnlySpan<byte> RemoteStaticPublicKey => _hasRs ? _rs : [];

    /// <summary>The peer's ephemeral public key <c>re</c> (32 bytes) once known, else empty.</summary>
    public ReadOnlySpan<byte> RemoteEphemeralPublicKey => _hasRe ? _re : [];

    private string Role => IsInitiator ? "initiator" : "responder";

    /// <summary>
    /// The exact length of our next handshake message carrying <paramref name="payloadLength"/> payload bytes.
    /// </summary>
    /// <param name="payloadLength">The payload length in bytes.</param>
    /// <exception cref="InvalidOperationException">It is not our turn to write.</exception>
    public int GetWriteMessageLength(int payloadLength)
    {
        ThrowIfUnusable();
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        if (!IsMyTurnToWrite)
        {
            throw new InvalidOperationException($"It is not the {Role}'s turn to write handshake message {_messageIndex}.");
        }

        return MessageOverhead(Pattern.Messages[_messageIndex], out var keyed) + payloadLength + (keyed ? NoiseConstants.TagSize : 0);
    }

    /// <summary>Writes the next handshake message (rev 34 §5.3 WriteMessage).</summary>
    /// <param name="payload">The payload; encrypted once a key exists.</param>
    /// <param name="message">Receives the message; at least <see cref="GetWriteMessageLength"/> bytes.</param>
    /// <returns>The message length.</returns>
    /// <exception cref="InvalidOperationException">It is not our turn, the handshake is complete, or it has failed.</exception>
    /// <exception cref="ArgumentException">The message would exceed 65,535 bytes or <paramref name="message"/> is too small.</exception>
    /// <exception cref="NoiseException">A DH produced all zeros (<see cref="NoiseError.InvalidPublicKey"/>); the handshake is aborted.</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public int WriteMessage(ReadOnlySpan<byte> payload, Span<byte> message)
    {
        var length = GetWriteMessageLength(payload.Length);
        if (length > NoiseConstants.MaxMessageSize)
        {
            throw new ArgumentException($"The handshake message would be {length} bytes; the Noise limit is {NoiseConstants.MaxMessageSize}.", nameof(payload));
        }

        if (message.Length < length)
        {
            throw new ArgumentException($"The message buffer holds {message.Length} bytes; {length} are needed.", nameof(message));
        }

        try
        {
            var offset = 0;
            foreach (var token in Pattern.Messages[_messageIndex].Tokens)
            {
                switch (token)
                {
                    case NoiseToken.E:
                        if (!_fixedEphemeral)
                        {
                            RandomNumberGenerator.Fill(_e);
                        }

                        X25519.DerivePublicKey(_e, _ePublic);
                        _hasE = true;
                        _ePublic.CopyTo(message[offset..]);
                        offset += DhLen;
                        _symmetric.MixHash(_ePublic);
                        if (_hasPsk)
                        {
                            _symmetric.MixKey(_ePublic);
                        }

                        break;
                    case NoiseToken.S:
                        offset += _symmetric.EncryptAndHash(_sPublic, message[offset..]);
                        break;
                    case NoiseToken.Psk:
                        _symmetric.MixKeyAndHash(_psks[_pskIndex++]);
                        break;
                    default:
                        MixDh(token);
                        break;
                }
            }

            offset += _symmetric.EncryptAndHash(payload, message[offset..]);
            Advance();
            return offset;
        }
        catch
        {
            Fail();
            throw;
        }
    }

    /// <summary>Convenience overload of <see cref="WriteMessage(ReadOnlySpan{byte}, Span{byte})"/> returning a new array.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The message.</returns>
    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        var message = new byte[GetWriteMessageLength(payload.Length)];
        var written = WriteMessage(payload, message);
        return written == message.Length ? message : message[..written];
    }

    /// <summary>
    /// The payload length a received handshake message of <paramref name="messageLength"/> bytes carries, or −1 when
    /// that length is too short for the next message's tokens.
    /// </summary>
    /// <param name="messageLength">The received message length in bytes.</param>
    /// <exception cref="InvalidOperationException">It is not the peer's turn.</exception>
    public int GetReadPayloadLength(int messageLength)
    {
        ThrowIfUnusable();
        if (IsCompleted || IsMyTurnToWrite)
        {
            throw new InvalidOperationException($"The {Role} is not expecting handshake message {_messageIndex}.");
        }

        var payload = messageLength - MessageOverhead(Pattern.Messages[_messageIndex], out var keyed) - (keyed ? NoiseConstants.TagSize : 0);
        return payload < 0 ? -1 : payload;
    }

    /// <summary>Reads the peer's next handshake message (rev 34 §5.3 ReadMessage).</summary>
    /// <param name="message">The received message, at most 65,535 bytes.</param>
    /// <param name="payload">Receives the decrypted payload; at least <see cref="GetReadPayloadLength"/> bytes.</param>
    /// <returns>The payload length.</returns>
    /// <exception cref="NoiseException">
    /// The message is malformed (<see cref="NoiseError.InvalidMessage"/>), fails authentication
    /// (<see cref="NoiseError.DecryptionFailed"/>) or carries a low-order key (<see cref="NoiseError.InvalidPublicKey"/>);
    /// the handshake is aborted.
    /// </exception>
    /// <exception cref="InvalidOperationException">It is not the peer's turn, the handshake is complete, or it has failed.</exception>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is too small (the state is unchanged).</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public int ReadMessage(ReadOnlySpan<byte> message, Span<byte> payload)
    {
        var payloadLength = GetReadPayloadLength(message.Length);
        if (message.Length > NoiseConstants.MaxMessageSize || payloadLength < 0)
        {
            Fail();
            throw new NoiseException(
                NoiseError.InvalidMessage,
                $"Handshake message {_messageIndex} has an invalid length of {message.Length} bytes.");
        }

        if (payload.Length < payloadLength)
        {
            throw new ArgumentException($"The payload buffer holds {payload.Length} bytes; {payloadLength} are needed.", nameof(payload));
        }

        try
        {
            var offset = 0;
            foreach (var token in Pattern.Messages[_messageIndex].Tokens)
            {
                switch (token)
                {
                    case NoiseToken.E:
                        message.Slice(offset, DhLen).CopyTo(_re);
                        _hasRe = true;
                        offset += DhLen;
                        _symmetric.MixHash(_re);
                        if (_hasPsk)
                        {
                            _symmetric.MixKey(_re);
                        }

                        break;
                    case NoiseToken.S:
                        var length = DhLen + (_symmetric.HasKey ? NoiseConstants.TagSize : 0);
                        _symmetric.DecryptAndHash(message.Slice(offset, length), _rs);
                        _hasRs = true;
                        offset += length;
                        break;
                    case NoiseToken.Psk:
                        _symmetric.MixKeyAndHash(_psks[_pskIndex++]);
                        break;
                    default:
                        MixDh(token);
                        break;
                }
            }

            var written = _symmetric.DecryptAndHash(message[offset..], payload);
            Advance();
            return written;
        }
        catch
        {
            Fail();
            throw;
        }
    }

    /// <summary>Convenience overload of <see cref="ReadMessage(ReadOnlySpan{byte}, Span{byte})"/> returning a new array.</summary>
    /// <param name="message">The received message.</param>
    /// <returns>The payload.</returns>
    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        var length = GetReadPayloadLength(message.Length);
        var payload = new byte[Math.Max(length, 0)];
        var written = ReadMessage(message, payload);
        return written == payload.Length ? payload : payload[..written];
    }

    /// <summary>
    /// Hands over the transport cipher states produced by Split() after the final message (rev 34 §5.3).
    /// Ownership passes to the caller; this can be called once.
    /// </summary>
    /// <returns>The transport phase.</returns>
    /// <exception cref="InvalidOperationException">The handshake is not complete, or the transport was already taken.</exception>
    public NoiseTransport Split()
    {
        ThrowIfUnusable();
        if (!IsCompleted)
        {
            throw new InvalidOperationException("The Noise handshake is not complete.");
        }

        var transport = _transport ?? throw new InvalidOperationException("The transport was already taken.");
        _transport = null;
        return transport;
    }

    /// <summary>Zeroes all private keys, PSKs and the chaining key, and disposes an untaken transport. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ZeroSecrets();
        _transport?.Dispose();
        _transport = null;
    }

    /// <summary>Returns the protocol, role and progress; never keys.</summary>
    public override string ToString() => $"HandshakeState({Pattern.ProtocolName}, {Role}, message {_messageIndex}/{Pattern.Messages.Length})";

    private void Initialize(HandshakeParameters parameters, IReadOnlyList<ReadOnlyMemory<byte>> psks)
    {
        for (var i = 0; i < psks.Count; i++)
        {
            _psks[i] = CopyKey(psks[i].Span, NoiseConstants.PskSize, "pre-shared key");
        }

        var localPre = IsInitiator ? Pattern.InitiatorPreMessage : Pattern.ResponderPreMessage;
        var remotePre = IsInitiator ? Pattern.ResponderPreMessage : Pattern.InitiatorPreMessage;
        var sendsStatic = Pattern.Messages.Any(m => m.FromInitiator == IsInitiator && m.Tokens.Contains(NoiseToken.S));

        _hasS = LoadKey(parameters.LocalStaticPrivateKey.Span, _s, "local static private key");
        if (_hasS)
        {
            X25519.DerivePublicKey(_s, _sPublic);
        }
        else if (sendsStatic || localPre.Contains(NoiseToken.S))
        {
            throw new ArgumentException($"Pattern {Pattern.Name} needs our static key ({Role}).", nameof(parameters));
        }

        _fixedEphemeral = LoadKey(parameters.LocalEphemeralPrivateKey.Span, _e, "local ephemeral private key");
        if (localPre.Contains(NoiseToken.E))
        {
            if (!_fixedEphemeral)
            {
                throw new ArgumentException($"Pattern {Pattern.Name} pre-shares our ephemeral key; supply it.", nameof(parameters));
            }

            X25519.DerivePublicKey(_e, _ePublic);
            _hasE = true;
        }

        _hasRs = LoadKey(parameters.RemoteStaticPublicKey.Span, _rs, "remote static public key");
        if (!_hasRs && remotePre.Contains(NoiseToken.S))
        {
            throw new ArgumentException($"Pattern {Pattern.Name} needs the peer's static public key ({Role}).", nameof(parameters));
        }

        _hasRe = LoadKey(parameters.RemoteEphemeralPublicKey.Span, _re, "remote ephemeral public key");
        if (!_hasRe && remotePre.Contains(NoiseToken.E))
        {
            throw new ArgumentException($"Pattern {Pattern.Name} needs the peer's pre-shared ephemeral key.", nameof(parameters));
        }

        _symmetric.MixHash(parameters.Prologue.Span);
        MixPreMessage(Pattern.InitiatorPreMessage, IsInitiator);
        MixPreMessage(Pattern.ResponderPreMessage, !IsInitiator);
    }

    private static bool LoadKey(ReadOnlySpan<byte> source, byte[] destination, string what)
    {
        if (source.IsEmpty)
        {
            return false;
        }

        if (source.Length != DhLen)
        {
            throw new ArgumentException($"The {what} must be {DhLen} bytes, got {source.Length}.", nameof(source));
        }

        source.CopyTo(destination);
        return true;
    }

    private static byte[] CopyKey(ReadOnlySpan<byte> source, int size, string what)
    {
        if (source.Length != size)
        {
            throw new ArgumentException($"Each {what} must be {size} bytes, got {source.Length}.", nameof(source));
        }

        return source.ToArray();
    }

    private int MessageOverhead(MessagePattern pattern, out bool keyedAtEnd)
    {
        var keyed = _symmetric.HasKey;
        var length = 0;
        foreach (var token in pattern.Tokens)
        {
            switch (token)
            {
                case NoiseToken.E:
                    length += DhLen;
                    keyed |= _hasPsk;
                    break;
                case NoiseToken.S:
                    length += DhLen + (keyed ? NoiseConstants.TagSize : 0);
                    break;
                default:
                    keyed = true;
                    break;
            }
        }

        keyedAtEnd = keyed;
        return length;
    }

    private void MixPreMessage(IEnumerable<NoiseToken> tokens, bool local)
    {
        foreach (var token in tokens)
        {
            var key = (token, local) switch
            {
                (NoiseToken.E, true) => _ePublic,
                (NoiseToken.S, true) => _sPublic,
                (NoiseToken.E, false) => _re,
                (NoiseToken.S, false) => _rs,
                _ => throw new InvalidOperationException("Pre-messages hold only e and s."),
            };
            _symmetric.MixHash(key);
        }
    }

    private void MixDh(NoiseToken token)
    {
        // rev 34 §5.3: "es" = DH(e, rs) for the initiator, DH(s, re) for the responder; "se" mirrors it.
        var (useLocalStatic, useRemoteStatic) = token switch
        {
            NoiseToken.EE => (false, false),
            NoiseToken.SS => (true, true),
            NoiseToken.ES => IsInitiator ? (false, true) : (true, false),
            NoiseToken.SE => IsInitiator ? (true, false) : (false, true),
            _ => throw new InvalidOperationException("Not a DH token: " + token),
        };

        if ((useLocalStatic ? !_hasS : !_hasE) || (useRemoteStatic ? !_hasRs : !_hasRe))
        {
            throw new InvalidOperationException($"Token '{HandshakePattern.TokenText(token)}' needs a key the {Role} does not have.");
        }

        Span<byte> shared = stackalloc byte[DhLen];
        try
        {
            if (!X25519.TryAgree(useLocalStatic ? _s : _e, useRemoteStatic ? _rs : _re, shared))
            {
                throw new NoiseException(NoiseError.InvalidPublicKey, $"The peer's key made '{HandshakePattern.TokenText(token)}' produce an all-zero shared secret.");
            }

            _symmetric.MixKey(shared);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    private void Advance()
    {
        _messageIndex++;
        if (_messageIndex == Pattern.Messages.Length)
        {
            var (c1, c2) = _symmetric.Split();
            _handshakeHash = _symmetric.HandshakeHash.ToArray();
            _transport = new NoiseTransport(c1, c2, _handshakeHash, IsInitiator, Pattern.IsOneWay);
            ZeroSecrets();
        }
    }

    private void Fail()
    {
        _failed = true;
        ZeroSecrets();
    }

    private void ZeroSecrets()
    {
        CryptographicOperations.ZeroMemory(_s);
        CryptographicOperations.ZeroMemory(_e);
        foreach (var psk in _psks)
        {
            if (psk is not null)
            {
                CryptographicOperations.ZeroMemory(psk);
            }
        }

        _symmetric.Dispose();
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            throw new InvalidOperationException("The Noise handshake failed earlier and cannot continue.");
        }
    }
}
