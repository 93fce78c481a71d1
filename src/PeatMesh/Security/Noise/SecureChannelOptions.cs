namespace PeatMesh.Security.Noise;

/// <summary>
/// Settings for one <see cref="SecureChannel"/> handshake. Built per connection by the transport (the identity and
/// PSK are runtime objects, not bound from configuration), so it is validated by <see cref="Validate"/> rather than
/// through <c>IValidateOptions</c>.
/// </summary>
/// <remarks>
/// Immutable after construction and safe to share between concurrent handshakes. The channel copies the PSK into
/// its own buffer (zeroed after the handshake); the caller owns and should zero its own copy.
/// <see cref="ToString"/> never renders the PSK.
/// </remarks>
public sealed class SecureChannelOptions
{
    /// <summary>The default <see cref="HandshakeTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The node's Ed25519 identity; it signs our per-channel Noise static key. Required. Not disposed by the channel.</summary>
    public required DeviceKeypair Identity { get; init; }

    /// <summary>
    /// The 32-byte Noise PSK mixed at <c>psk3</c>; derived elsewhere from the formation secret. Required; must not be
    /// all zeros. Peers with different PSKs fail the handshake without learning each other's identity.
    /// </summary>
    public required ReadOnlyMemory<byte> PreSharedKey { get; init; }

    /// <summary>
    /// Upper bound for the whole handshake (all three Noise messages and the responder's identity message), measured
    /// with <see cref="TimeProvider"/>. Defaults to 10 seconds: generous for a LAN or a slow cellular link while
    /// freeing a slot held by a silent peer quickly. <see cref="Timeout.InfiniteTimeSpan"/> disables it (rely on the
    /// cancellation token). Must be positive and at most <see cref="int.MaxValue"/> milliseconds otherwise.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    /// <summary>The clock for <see cref="HandshakeTimeout"/>. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and says why (never printing the key).</exception>
    public void Validate()
    {
        if (Identity is null)
        {
            throw new ArgumentException("SecureChannelOptions.Identity is required.", nameof(Identity));
        }

        if (PreSharedKey.Length != NoiseConstants.PskSize)
        {
            throw new ArgumentException(
                $"SecureChannelOptions.PreSharedKey must be {NoiseConstants.PskSize} bytes, got {PreSharedKey.Length}.",
                nameof(PreSharedKey));
        }

        if (!PreSharedKey.Span.ContainsAnyExcept((byte)0))
        {
            throw new ArgumentException("SecureChannelOptions.PreSharedKey is all zeros; it was probably never derived.", nameof(PreSharedKey));
        }

        if (HandshakeTimeout != Timeout.InfiniteTimeSpan
            && (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentException(
                $"SecureChannelOptions.HandshakeTimeout must be positive and at most {int.MaxValue} ms, or Timeout.InfiniteTimeSpan; got {HandshakeTimeout}.",
                nameof(HandshakeTimeout));
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("SecureChannelOptions.TimeProvider must not be null.", nameof(TimeProvider));
        }
    }

    /// <summary>Describes the settings with the PSK redacted.</summary>
    public override string ToString() =>
        $"SecureChannelOptions(Identity={Identity?.DeviceId.ToString() ?? "<none>"}, PreSharedKey=<redacted {PreSharedKey.Length} bytes>, HandshakeTimeout={HandshakeTimeout})";
}
