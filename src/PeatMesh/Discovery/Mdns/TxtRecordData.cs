using System.Text;
using PeatMesh.Internal;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// The data of a TXT record (RFC 1035 §3.3.14): a list of strings of 0–255 bytes each. DNS-SD stores
/// <c>key=value</c> attributes in them (RFC 6763 §6); <see cref="Entries"/> parses them.
/// </summary>
/// <remarks>Immutable; thread-safe. There is always at least one string: empty data is the single empty string RFC 6763 §6.1 requires.</remarks>
public sealed record TxtRecordData : DnsRecordData
{
    /// <summary>Longest string, in bytes (one length byte).</summary>
    public const int MaxStringBytes = 255;

    private readonly ReadOnlyMemory<byte>[] _strings;

    /// <summary>Creates TXT data from raw strings.</summary>
    /// <param name="strings">The strings; each at most 255 bytes. None means one empty string (RFC 6763 §6.1).</param>
    /// <exception cref="ArgumentException">A string is longer than 255 bytes.</exception>
    public TxtRecordData(IEnumerable<ReadOnlyMemory<byte>> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        _strings = [.. strings];
        if (_strings.Length == 0)
        {
            _strings = [ReadOnlyMemory<byte>.Empty];
        }

        if (_strings.Any(s => s.Length > MaxStringBytes))
        {
            throw new ArgumentException($"A TXT string is longer than {MaxStringBytes} bytes.", nameof(strings));
        }
    }

    /// <summary>The raw strings, in wire order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Strings => _strings;

    /// <inheritdoc />
    public override DnsRecordType Type => DnsRecordType.Txt;

    /// <summary>
    /// The DNS-SD attributes (RFC 6763 §6.4): empty strings and strings starting with <c>=</c> are skipped, as are
    /// keys with characters outside 0x20–0x7E; for a key that repeats (case-insensitively) the first occurrence wins.
    /// </summary>
    public IReadOnlyList<DnsTxtEntry> Entries
    {
        get
        {
            var entries = new List<DnsTxtEntry>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var s in _strings)
            {
                var span = s.Span;
                var eq = span.IndexOf((byte)'=');
                var keyBytes = eq < 0 ? span : span[..eq];
                if (keyBytes.IsEmpty || keyBytes.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
                {
                    continue;
                }

                var key = Encoding.ASCII.GetString(keyBytes);
                if (seen.Add(key))
                {
                    entries.Add(new DnsTxtEntry(key, eq < 0 ? (ReadOnlyMemory<byte>?)null : s[(eq + 1)..]));
                }
            }

            return entries;
        }
    }

    /// <summary>Builds TXT data from <c>key=value</c> pairs in the given order; a <see langword="null"/> value writes the bare key.</summary>
    /// <exception cref="ArgumentException">A key is empty, has <c>=</c> or a character outside 0x20–0x7E, or an entry exceeds 255 bytes.</exception>
    public static TxtRecordData FromAttributes(IEnumerable<KeyValuePair<string, string?>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var strings = new List<ReadOnlyMemory<byte>>();
        foreach (var (key, value) in attributes)
        {
            if (string.IsNullOrEmpty(key) || key.Any(c => c is < (char)0x20 or > (char)0x7E or '='))
            {
                throw new ArgumentException($"TXT key '{key}' must be 1+ printable ASCII characters without '='.", nameof(attributes));
            }

            var text = value is null ? key : key + "=" + value;
            var count = StrictUtf8.TryGetByteCount(text);
            if (count is < 0 or > MaxStringBytes)
            {
                throw new ArgumentException($"TXT attribute '{key}' is not valid Unicode or longer than {MaxStringBytes} bytes.", nameof(attributes));
            }

            strings.Add(StrictUtf8.Instance.GetBytes(text));
        }

        return new TxtRecordData(strings);
    }

    /// <summary>Equality by the strings' bytes, in order.</summary>
    public bool Equals(TxtRecordData? other) => other is not null
        && other._strings.Length == _strings.Length
        && _strings.Zip(other._strings).All(p => p.First.Span.SequenceEqual(p.Second.Span));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var s in _strings)
        {
            hash.AddBytes(s.Span);
        }

        return hash.ToHashCode();
    }

    /// <summary>The strings, quoted, as avahi-browse prints them.</summary>
    public override string ToString() => string.Join(' ', _strings.Select(s => "\"" + (StrictUtf8.TryDecode(s.Span) ?? Convert.ToHexString(s.Span)) + "\""));

    /// <inheritdoc />
    internal override void Write(DnsWireWriter writer, bool compressNames)
    {
        foreach (var s in _strings)
        {
            writer.WriteByte((byte)s.Length);
            writer.WriteBytes(s.Span);
        }
    }
}
