using System.Globalization;
using System.Text;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// Derives the advertised names from a node id: the DNS-SD instance label (RFC 6763 §4.1.1: up to 63 bytes of
/// UTF-8, any characters) and the host label (letters, digits and hyphens), and their successors after a name
/// conflict (RFC 6762 §9: <c>name (2)</c> for instances, <c>host-2</c> for hosts, as avahi does).
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class MdnsNames
{
    /// <summary>The instance label: the node id, cut to 63 bytes at a character boundary.</summary>
    public static string InstanceLabel(string nodeId, int attempt)
    {
        if (attempt <= 1)
        {
            return TruncateUtf8(nodeId, DnsName.MaxLabelBytes);
        }

        var suffix = string.Create(CultureInfo.InvariantCulture, $" ({attempt})");
        return TruncateUtf8(nodeId, DnsName.MaxLabelBytes - suffix.Length) + suffix;
    }

    /// <summary>
    /// The host label: the node id lower-cased, every character other than <c>a-z</c>, <c>0-9</c> and <c>-</c>
    /// replaced by <c>-</c>, leading/trailing hyphens removed, at most 63 characters (<c>peat</c> if nothing is left).
    /// </summary>
    public static string HostLabel(string nodeId, int attempt)
    {
        var builder = new StringBuilder(nodeId.Length);
        foreach (var c in nodeId)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        var label = builder.ToString().Trim('-');
        if (label.Length == 0)
        {
            label = "peat";
        }

        if (attempt <= 1)
        {
            return label.Length > DnsName.MaxLabelBytes ? label[..DnsName.MaxLabelBytes].TrimEnd('-') : label;
        }

        var suffix = "-" + attempt.ToString(CultureInfo.InvariantCulture);
        var room = DnsName.MaxLabelBytes - suffix.Length;
        return (label.Length > room ? label[..room] : label) + suffix;
    }

    /// <summary>The longest prefix of <paramref name="text"/> whose UTF-8 form fits <paramref name="maxBytes"/>, never splitting a character.</summary>
    public static string TruncateUtf8(string text, int maxBytes)
    {
        var bytes = 0;
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > maxBytes)
            {
                break;
            }

            length += rune.Utf16SequenceLength;
        }

        return text[..length];
    }
}
