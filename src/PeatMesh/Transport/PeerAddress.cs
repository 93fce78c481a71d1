using System.Globalization;
using System.Net;

namespace PeatMesh.Transport;

/// <summary>
/// A dialable mesh address <c>host:port</c> (host = DNS name, IPv4 literal, or bracketed IPv6 literal),
/// as listed in <c>PEAT_STATIC_PEERS</c>.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Host">Host name or IP literal (without brackets).</param>
/// <param name="Port">TCP port, 1–65535.</param>
public sealed record PeerAddress(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c> or <c>[v6]:port</c>.</summary>
    /// <exception cref="FormatException">Not of that form, or the port is out of range.</exception>
    public static PeerAddress Parse(string text)
    {
        if (!TryParse(text, out var address))
        {
            throw new FormatException($"'{text}' is not host:port (port 1-65535).");
        }

        return address;
    }

    /// <summary>Parses <c>host:port</c> or <c>[v6]:port</c> without throwing.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PeerAddress? address)
    {
        address = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string host;
        string port;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 1 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535
            || host.Length > 253 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        address = new PeerAddress(host, p);
        return true;
    }

    /// <summary>The address for a peer seen at <paramref name="endPoint"/> that listens on <paramref name="listenPort"/>.</summary>
    public static PeerAddress? FromEndPoint(EndPoint? endPoint, int listenPort) => endPoint switch
    {
        IPEndPoint ip when listenPort is > 0 and <= 65535 => new PeerAddress(
            (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(), listenPort),
        DnsEndPoint dns when listenPort is > 0 and <= 65535 => new PeerAddress(dns.Host, listenPort),
        _ => null,
    };

    /// <summary><c>host:port</c>, with brackets around IPv6 literals.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal)
        ? "[" + Host + "]:" + Port.ToString(CultureInfo.InvariantCulture)
        : Host + ":" + Port.ToString(CultureInfo.InvariantCulture);
}
