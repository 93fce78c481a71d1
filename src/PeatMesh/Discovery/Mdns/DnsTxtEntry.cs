namespace PeatMesh.Discovery.Mdns;

/// <summary>One DNS-SD TXT attribute (RFC 6763 §6.3–6.5): a key and, unless it is a boolean attribute, a value.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Key">The key: printable US-ASCII (0x20–0x7E) without <c>=</c>, compared case-insensitively.</param>
/// <param name="Value">The value bytes (opaque binary, usually UTF-8), or <see langword="null"/> for a key without <c>=</c> (boolean true).</param>
public sealed record DnsTxtEntry(string Key, ReadOnlyMemory<byte>? Value)
{
    /// <summary>The value as UTF-8 text: <c>""</c> for a boolean attribute, <see langword="null"/> when the bytes are not valid UTF-8.</summary>
    public string? ValueText => Value is { } v ? Internal.StrictUtf8.TryDecode(v.Span) : string.Empty;

    /// <summary><c>key=value</c> (or <c>key</c>).</summary>
    public override string ToString() => Value is null ? Key : Key + "=" + (ValueText ?? "<binary>");
}
