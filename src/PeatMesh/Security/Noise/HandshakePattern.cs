using System.Collections.Immutable;
using System.Globalization;

namespace PeatMesh.Security.Noise;

/// <summary>
/// A Noise handshake pattern: pre-messages and message patterns (rev 34 §7), optionally with
/// <c>pskN</c> modifiers applied (rev 34 §9.2). Supports every fundamental one-way (§7.4) and
/// interactive (§7.5) pattern and every deferred pattern (§18.1), e.g. <c>XX</c>, <c>IK</c>,
/// <c>X1X</c>, <c>XXpsk3</c>, <c>NNpsk0+psk2</c>.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed partial class HandshakePattern
{
    private const string ProtocolPrefix = "Noise_";
    private const string SupportedSuffix = "_25519_ChaChaPoly_SHA256";

    private HandshakePattern(
        string name,
        string baseName,
        ImmutableArray<NoiseToken> initiatorPreMessage,
        ImmutableArray<NoiseToken> responderPreMessage,
        ImmutableArray<MessagePattern> messages)
    {
        Name = name;
        BaseName = baseName;
        InitiatorPreMessage = initiatorPreMessage;
        ResponderPreMessage = responderPreMessage;
        Messages = messages;
        PskCount = messages.Sum(m => m.Tokens.Count(t => t == NoiseToken.Psk));
        IsOneWay = messages.All(m => m.FromInitiator);
    }

    /// <summary>The full pattern name with modifiers, e.g. <c>XXpsk3</c>.</summary>
    public string Name { get; }

    /// <summary>The pattern name without modifiers, e.g. <c>XX</c>.</summary>
    public string BaseName { get; }

    /// <summary>Tokens of the initiator's pre-message (<c>-&gt; s</c> in K patterns); empty when none.</summary>
    public ImmutableArray<NoiseToken> InitiatorPreMessage { get; }

    /// <summary>Tokens of the responder's pre-message (<c>&lt;- s</c> in NK, IK, ...); empty when none.</summary>
    public ImmutableArray<NoiseToken> ResponderPreMessage { get; }

    /// <summary>The handshake messages in order.</summary>
    public ImmutableArray<MessagePattern> Messages { get; }

    /// <summary>Number of <c>psk</c> tokens, i.e. how many 32-byte PSKs each party must supply.</summary>
    public int PskCount { get; }

    /// <summary>
    /// <see langword="true"/> for one-way patterns (N, K, X and their psk variants): every message,
    /// including transport messages, goes from initiator to responder (rev 34 §7.4).
    /// </summary>
    public bool IsOneWay { get; }

    /// <summary>The names of the supported base patterns (without modifiers).</summary>
    public static IEnumerable<string> SupportedBaseNames => Catalog.Keys;

    /// <summary>
    /// Parses a pattern name with optional psk modifiers (rev 34 §8, §9.2), e.g. <c>IK</c> or <c>XXpsk0+psk3</c>.
    /// </summary>
    /// <param name="name">The pattern name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="FormatException">The name is malformed or the modifiers are invalid.</exception>
    /// <exception cref="NotSupportedException">The base pattern or a modifier (e.g. <c>fallback</c>) is not supported.</exception>
    public static HandshakePattern Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var pskStart = name.IndexOf("psk", StringComparison.Ordinal);
        var baseName = pskStart < 0 ? name : name[..pskStart];
        if (baseName.Length == 0 || !Catalog.TryGetValue(baseName, out var notation))
        {
            throw new NotSupportedException($"Unsupported Noise handshake pattern '{name}'.");
        }

        var (initiatorPre, responderPre, messages) = ParseNotation(notation);
        if (pskStart >= 0)
        {
            ApplyPskModifiers(name, name[pskStart..], messages);
        }

        return new HandshakePattern(
            name,
            baseName,
            initiatorPre,
            responderPre,
            [.. messages.Select(m => new MessagePattern(m.FromInitiator, [.. m.Tokens]))]);
    }

    /// <summary>
    /// Parses a full protocol name <c>Noise_&lt;PATTERN&gt;_25519_ChaChaPoly_SHA256</c> (rev 34 §8) and returns its pattern.
    /// </summary>
    /// <param name="protocolName">The protocol name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="protocolName"/> is null.</exception>
    /// <exception cref="FormatException">The name does not have the Noise protocol name shape.</exception>
    /// <exception cref="NotSupportedException">The DH, cipher or hash is not 25519/ChaChaPoly/SHA256, or the pattern is unsupported.</exception>
    public static HandshakePattern FromProtocolName(string protocolName)
    {
        ArgumentNullException.ThrowIfNull(protocolName);
        if (!protocolName.StartsWith(ProtocolPrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"'{protocolName}' is not a Noise protocol name (must start with '{ProtocolPrefix}').");
        }

        if (!protocolName.EndsWith(SupportedSuffix, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only '{SupportedSuffix[1..]}' primitives are supported, not those of '{protocolName}'.");
        }

        var patternName = protocolName[ProtocolPrefix.Length..^SupportedSuffix.Length];
        if (patternName.Length == 0 || patternName.Contains('_', StringComparison.Ordinal))
        {
            throw new FormatException($"'{protocolName}' has no valid pattern section.");
        }

        return Parse(patternName);
    }

    /// <summary>The full protocol name for this pattern with 25519/ChaChaPoly/SHA256, e.g. <c>Noise_XX_25519_ChaChaPoly_SHA256</c>.</summary>
    public string ProtocolName => ProtocolPrefix + Name + SupportedSuffix;

    /// <summary>Renders the pattern in the spec's notation.</summary>
    public override string ToString()
    {
        var lines = new List<string> { Name + ":" };
        if (InitiatorPreMessage.Length > 0)
        {
            lines.Add("  -> " + string.Join(", ", InitiatorPreMessage.Select(TokenText)));
        }

        if (ResponderPreMessage.Length > 0)
        {
            lines.Add("  <- " + string.Join(", ", ResponderPreMessage.Select(TokenText)));
        }

        if (InitiatorPreMessage.Length > 0 || ResponderPreMessage.Length > 0)
        {
            lines.Add("  ...");
        }

        lines.AddRange(Messages.Select(m => "  " + m));
        return string.Join('\n', lines);
    }

    internal static string TokenText(NoiseToken token) => token switch
    {
        NoiseToken.E => "e",
        NoiseToken.S => "s",
        NoiseToken.EE => "ee",
        NoiseToken.ES => "es",
        NoiseToken.SE => "se",
        NoiseToken.SS => "ss",
        NoiseToken.Psk => "psk",
        _ => throw new ArgumentOutOfRangeException(nameof(token)),
    };

    private static void ApplyPskModifiers(string name, string modifiers, List<(bool FromInitiator, List<NoiseToken> Tokens)> messages)
    {
        var seen = new HashSet<int>();
        foreach (var modifier in modifiers.Split('+'))
        {
            if (!modifier.StartsWith("psk", StringComparison.Ordinal)
                || modifier.Length < 4
                || modifier.Length > 6
                || modifier.AsSpan(3).ContainsAnyExceptInRange('0', '9')
                || (modifier.Length > 4 && modifier[3] == '0'))
            {
                throw new FormatException($"Invalid or unsupported modifier '{modifier}' in pattern '{name}'.");
            }

            var position = int.Parse(modifier.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture);
            if (position > messages.Count)
            {
                throw new FormatException($"Modifier '{modifier}' in pattern '{name}' refers past its {messages.Count} messages.");
            }

            if (!seen.Add(position))
            {
                throw new FormatException($"Modifier '{modifier}' appears twice in pattern '{name}'.");
            }

            if (position == 0)
            {
                messages[0].Tokens.Insert(0, NoiseToken.Psk);
            }
            else
            {
                messages[position - 1].Tokens.Add(NoiseToken.Psk);
            }
        }
    }

    private static (ImmutableArray<NoiseToken> InitiatorPre, ImmutableArray<NoiseToken> ResponderPre, List<(bool FromInitiator, List<NoiseToken> Tokens)> Messages)
        ParseNotation(string notation)
    {
        var lines = notation.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var separator = Array.IndexOf(lines, "...");
        var initiatorPre = ImmutableArray<NoiseToken>.Empty;
        var responderPre = ImmutableArray<NoiseToken>.Empty;
        for (var i = 0; i < separator; i++)
        {
            var (fromInitiator, tokens) = ParseLine(lines[i]);
            if (fromInitiator)
            {
                initiatorPre = [.. tokens];
            }
            else
            {
                responderPre = [.. tokens];
            }
        }

        var messages = new List<(bool, List<NoiseToken>)>();
        for (var i = separator + 1; i < lines.Length; i++)
        {
            messages.Add(ParseLine(lines[i]));
        }

        return (initiatorPre, responderPre, messages);
    }

    private static (bool FromInitiator, List<NoiseToken> Tokens) ParseLine(string line)
    {
        var fromInitiator = line.StartsWith("->", StringComparison.Ordinal);
        var tokens = line[2..]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t switch
            {
                "e" => NoiseToken.E,
                "s" => NoiseToken.S,
                "ee" => NoiseToken.EE,
                "es" => NoiseToken.ES,
                "se" => NoiseToken.SE,
                "ss" => NoiseToken.SS,
                _ => throw new InvalidOperationException("Bad token in built-in pattern table: " + t),
            })
            .ToList();
        return (fromInitiator, tokens);
    }
}
