using System.Collections.Immutable;

namespace PeatMesh.Security.Noise;

/// <summary>One message of a handshake pattern: its direction and tokens (rev 34 §7.1).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed class MessagePattern
{
    /// <summary>Creates a message pattern.</summary>
    /// <param name="fromInitiator"><see langword="true"/> for <c>-&gt;</c> (initiator to responder).</param>
    /// <param name="tokens">The tokens in processing order.</param>
    public MessagePattern(bool fromInitiator, ImmutableArray<NoiseToken> tokens)
    {
        FromInitiator = fromInitiator;
        Tokens = tokens.IsDefault ? [] : tokens;
    }

    /// <summary><see langword="true"/> when the initiator sends this message (<c>-&gt;</c>).</summary>
    public bool FromInitiator { get; }

    /// <summary>The tokens in processing order.</summary>
    public ImmutableArray<NoiseToken> Tokens { get; }

    /// <summary>Renders the message in the spec's notation, e.g. <c>-&gt; e, es</c>.</summary>
    public override string ToString() =>
        (FromInitiator ? "-> " : "<- ") + string.Join(", ", Tokens.Select(HandshakePattern.TokenText));
}
