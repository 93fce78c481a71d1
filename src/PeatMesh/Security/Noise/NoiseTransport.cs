namespace PeatMesh.Security.Noise;

/// <summary>
/// The transport phase of a Noise session (rev 34 §5.3 "Split", §7.4): the two <see cref="CipherState"/>s
/// produced by <see cref="SymmetricState.Split"/>, oriented for our role, and the final handshake hash.
/// Transport messages use empty associated data.
/// </summary>
/// <remarks>
/// Not thread-safe; sending and receiving use separate cipher states, so one sender and one receiver may run
/// concurrently. <see cref="Dispose"/> zeroes both keys.
/// </remarks>
public sealed class NoiseTransport : IDisposable
{
    private readonly CipherState _send;
    private readonly CipherState _receive;
    private readonly byte[] _handshakeHash;

    internal NoiseTransport(CipherState initiatorToResponder, CipherState responderToInitiator, ReadOnlySpan<byte> handshakeHash, bool isInitiator, bool isOneWay)
    {
        _send = isInitiator ? initiatorToResponder : responderToInitiator;
        _receive = isInitiator ? responderToInitiator : initiatorToResponder;
        _handshakeHash = handshakeHash.ToArray();
        IsInitiator = isInitiator;
        IsOneWay = isOneWay;
    }

    /// <summary><see langword="true"/> when we were the initiator.</summary>
    public bool IsInitiator { get; }

    /// <summary><see langword="true"/> for one-way patterns: only the initiator sends (rev 34 §7.4).</summary>
    public bool IsOneWay { get; }

    /// <summary>The final handshake hash <c>h</c> (32 bytes), for channel binding (rev 34 §11.2).</summary>
    public ReadOnlySpan<byte> HandshakeHash => _handshakeHash;

    /// <summary>The cipher state we encrypt with (c1 for the initiator, c2 for the responder).</summary>
    public CipherState SendCipher => _send;

    /// <summary>The cipher state we decrypt with (c2 for the initiator, c1 for the responder).</summary>
    public CipherState ReceiveCipher => _receive;

    /// <summary>Encrypts one transport message.</summary>
    /// <param name="payload">At most <see cref="NoiseConstants.MaxPlaintextSize"/> (65,519) bytes.</param>
    /// <param name="message">Receives payload length + 16 bytes.</param>
    /// <returns>The message length.</returns>
    /// <exception cref="ArgumentException">The payload is too large or <paramref name="message"/> too small.</exception>
    /// <exception cref="InvalidOperationException">We are the responder of a one-way pattern.</exception>
    /// <exception cref="NoiseException">The nonce is exhausted.</exception>
    public int WriteMessage(ReadOnlySpan<byte> payload, Span<byte> message)
    {
        if (IsOneWay && !IsInitiator)
        {
            throw new InvalidOperationException("The responder of a one-way Noise pattern cannot send.");
        }

        if (payload.Length > NoiseConstants.MaxPlaintextSize)
        {
            throw new ArgumentException($"A Noise transport payload is at most {NoiseConstants.MaxPlaintextSize} bytes, got {payload.Length}.", nameof(payload));
        }

        return _send.EncryptWithAd(ReadOnlySpan<byte>.Empty, payload, message);
    }

    /// <summary>Decrypts one transport message. On failure the receive nonce does not advance.</summary>
    /// <param name="message">The message (ciphertext and tag), at most 65,535 bytes.</param>
    /// <param name="payload">Receives message length − 16 bytes.</param>
    /// <returns>The payload length.</returns>
    /// <exception cref="NoiseException">Authentication failed, the message is malformed, or the nonce is exhausted.</exception>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is too small.</exception>
    /// <exception cref="InvalidOperationException">We are the initiator of a one-way pattern.</exception>
    public int ReadMessage(ReadOnlySpan<byte> message, Span<byte> payload)
    {
        if (IsOneWay && IsInitiator)
        {
            throw new InvalidOperationException("The initiator of a one-way Noise pattern cannot receive.");
        }

        if (message.Length > NoiseConstants.MaxMessageSize)
        {
            throw new NoiseException(NoiseError.InvalidMessage, $"A Noise message is at most {NoiseConstants.MaxMessageSize} bytes, got {message.Length}.");
        }

        return _receive.DecryptWithAd(ReadOnlySpan<byte>.Empty, message, payload);
    }

    /// <summary>Zeroes both keys. Idempotent.</summary>
    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }

    /// <summary>Returns a description without key material.</summary>
    public override string ToString() => $"NoiseTransport({(IsInitiator ? "initiator" : "responder")}, sent={_send.Nonce}, received={_receive.Nonce})";
}
