using System.Text;
using PeatMesh.Internal;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// A DNS domain name: a sequence of labels, each 1–63 bytes of UTF-8, at most 255 bytes in wire form
/// (RFC 1035 §2.3.4, §3.1; RFC 6762 §16 for UTF-8). Labels may contain any character, including dots and
/// spaces (DNS-SD instance names, RFC 6763 §4.3).
/// </summary>
/// <remarks>
/// Immutable; thread-safe. Equality ignores ASCII case only (RFC 4343; RFC 6762 §16): <c>Node.LOCAL</c> equals
/// <c>node.local</c>, but non-ASCII letters are compared exactly. The text form joins labels with dots and
/// escapes a dot or backslash inside a label with a backslash (<c>my\.name._peat._udp.local</c>).
/// </remarks>
public sealed class DnsName : IEquatable<DnsName>
{
    /// <summary>Longest label, in bytes (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelBytes = 63;

    /// <summary>Longest name in wire form, in bytes, counting every length byte and the final zero byte (RFC 1035 §2.3.4).</summary>
    public const int MaxWireBytes = 255;

    private readonly string[] _labels;
    private readonly byte[][] _labelBytes;
    private readonly int _hash;

    private DnsName(string[] labels, byte[][] labelBytes)
    {
        _labels = labels;
        _labelBytes = labelBytes;
        WireLength = 1 + labelBytes.Sum(l => l.Length + 1);
        var hash = default(HashCode);
        foreach (var label in labelBytes)
        {
            hash.Add(label.Length);
            foreach (var b in label)
            {
                hash.Add(FoldAscii(b));
            }
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>The root name (no labels).</summary>
    public static DnsName Root { get; } = new([], []);

    /// <summary>The labels, most specific first (<c>["node", "local"]</c> for <c>node.local</c>).</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Length of the uncompressed wire form in bytes (1 for the root).</summary>
    public int WireLength { get; }

    /// <summary>Builds a name from labels.</summary>
    /// <param name="labels">The labels, most specific first; each 1–63 bytes of UTF-8.</param>
    /// <exception cref="ArgumentException">A label is empty, longer than 63 bytes or not encodable as UTF-8, or the name exceeds 255 bytes.</exception>
    public static DnsName FromLabels(params IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return TryFromLabels(labels, out var name, out var reason) ? name : throw new ArgumentException(reason, nameof(labels));
    }

    /// <summary>Builds a name from labels without throwing.</summary>
    /// <param name="labels">The labels, most specific first.</param>
    /// <param name="name">The name, when valid.</param>
    /// <returns><see langword="true"/> when every label and the whole name are within the limits.</returns>
    public static bool TryFromLabels(IEnumerable<string> labels, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DnsName? name) =>
        TryFromLabels(labels, out name, out _);

    /// <summary>
    /// Parses the text form: labels separated by dots, <c>\.</c> and <c>\\</c> escaping a dot or backslash inside a
    /// label; one trailing dot is allowed. <c>""</c> and <c>"."</c> are the root.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">An empty label, a dangling backslash, or a label/name over the limits.</exception>
    public static DnsName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text == ".")
        {
            return Root;
        }

        var labels = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    throw new FormatException($"'{text}' ends with a dangling backslash.");
                }

                current.Append(text[++i]);
            }
            else if (c == '.')
            {
                if (current.Length == 0)
                {
                    throw new FormatException($"'{text}' has an empty label.");
                }

                labels.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            labels.Add(current.ToString());
        }

        return TryFromLabels(labels, out var name, out var reason) ? name : throw new FormatException($"'{text}': {reason}");
    }

    /// <summary>This name with <paramref name="label"/> added in front (<c>"node"</c> + <c>local</c> = <c>node.local</c>).</summary>
    /// <exception cref="ArgumentException">The label or the result is over the limits.</exception>
    public DnsName Prepend(string label) => FromLabels([label, .. _labels]);

    /// <summary>Whether this name is exactly one label below <paramref name="parent"/>.</summary>
    public bool IsChildOf(DnsName parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return _labels.Length == parent._labels.Length + 1 && EndsWith(parent);
    }

    /// <summary>Whether the last labels of this name equal <paramref name="suffix"/> (every name ends with the root).</summary>
    public bool EndsWith(DnsName suffix)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        var offset = _labels.Length - suffix._labels.Length;
        if (offset < 0)
        {
            return false;
        }

        for (var i = 0; i < suffix._labels.Length; i++)
        {
            if (!LabelEquals(_labelBytes[offset + i], suffix._labelBytes[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name made of the labels from index <paramref name="start"/> on (<c>Suffix(1)</c> of <c>a.b.c</c> is <c>b.c</c>).</summary>
    internal DnsName Suffix(int start) => start == 0 ? this : new DnsName(_labels[start..], _labelBytes[start..]);

    /// <summary>The UTF-8 bytes of label <paramref name="index"/>.</summary>
    internal ReadOnlySpan<byte> LabelBytes(int index) => _labelBytes[index];

    /// <summary>Builds a name from labels already decoded and checked by the reader.</summary>
    internal static DnsName FromChecked(List<string> labels, List<byte[]> labelBytes) => new([.. labels], [.. labelBytes]);

    /// <inheritdoc />
    public bool Equals(DnsName? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._labelBytes.Length != _labelBytes.Length || other._hash != _hash)
        {
            return false;
        }

        for (var i = 0; i < _labelBytes.Length; i++)
        {
            if (!LabelEquals(_labelBytes[i], other._labelBytes[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DnsName);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>The text form (see the remarks); the root is <c>"."</c>.</summary>
    public override string ToString() => _labels.Length == 0
        ? "."
        : string.Join('.', _labels.Select(l => l.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(".", "\\.", StringComparison.Ordinal)));

    /// <summary>Equality operator (ASCII case-insensitive).</summary>
    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    private static bool TryFromLabels(IEnumerable<string> labels, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DnsName? name, out string reason)
    {
        name = null;
        var text = new List<string>();
        var bytes = new List<byte[]>();
        var wire = 1;
        foreach (var label in labels)
        {
            if (string.IsNullOrEmpty(label))
            {
                reason = "a label is empty";
                return false;
            }

            var count = StrictUtf8.TryGetByteCount(label);
            if (count < 0)
            {
                reason = "a label is not valid Unicode (lone surrogate)";
                return false;
            }

            if (count > MaxLabelBytes)
            {
                reason = $"a label is {count} bytes (at most {MaxLabelBytes})";
                return false;
            }

            wire += count + 1;
            if (wire > MaxWireBytes)
            {
                reason = $"the name exceeds {MaxWireBytes} bytes";
                return false;
            }

            text.Add(label);
            bytes.Add(StrictUtf8.Instance.GetBytes(label));
        }

        name = new DnsName([.. text], [.. bytes]);
        reason = string.Empty;
        return true;
    }

    private static bool LabelEquals(byte[] left, byte[] right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (FoldAscii(left[i]) != FoldAscii(right[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte FoldAscii(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
}
