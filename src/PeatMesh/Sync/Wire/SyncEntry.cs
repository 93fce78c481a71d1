namespace PeatMesh.Sync.Wire;

/// <summary>
/// One document's entry in a <see cref="SyncBatch"/> (reference digest §2.10.2, <c>SyncEntry</c>):
/// <c>[doc_key_len:u16 BE][doc_key][sync_type:u8][payload_len:u32 BE][payload]</c>, the frame layout.
/// </summary>
/// <remarks>
/// Immutable value; thread-safe to share as long as nobody mutates the memory behind <see cref="Payload"/>.
/// Entries decoded by <see cref="SyncBatchCodec"/> slice the decoded buffer without copying.
/// Allowed types follow the reference's entry decoder: 0x00–0x02 and 0x04–0x07; the reference's
/// receiver applies only 0x00, 0x01 and 0x04. Equality compares doc key, type and payload bytes.
/// </remarks>
public readonly struct SyncEntry : IEquatable<SyncEntry>
{
    private readonly string? _docKey;

    /// <summary>Creates an entry.</summary>
    /// <param name="docKey">The doc_key, e.g. <c>nodes:node-1</c> (validated when encoding).</param>
    /// <param name="type">The sync type.</param>
    /// <param name="payload">The payload; not copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="docKey"/> is null.</exception>
    public SyncEntry(string docKey, SyncMessageType type, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(docKey);
        _docKey = docKey;
        Type = type;
        Payload = payload;
    }

    /// <summary>The doc_key; empty for a default-initialised entry.</summary>
    public string DocKey => _docKey ?? string.Empty;

    /// <summary>The sync type.</summary>
    public SyncMessageType Type { get; }

    /// <summary>The payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Whether <paramref name="type"/> may appear in an entry (0x00–0x02, 0x04–0x07).</summary>
    public static bool IsEntryType(SyncMessageType type) => SyncWireFormat.CheckEntryType((byte)type) == SyncWireError.None;

    /// <inheritdoc />
    public bool Equals(SyncEntry other) =>
        string.Equals(DocKey, other.DocKey, StringComparison.Ordinal)
        && Type == other.Type
        && Payload.Span.SequenceEqual(other.Payload.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SyncEntry other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(DocKey), Type, Payload.Length);

    /// <summary>Describes the entry (type, doc_key, payload size; not the payload).</summary>
    public override string ToString() => $"SyncEntry({Type}, \"{DocKey}\", {Payload.Length} bytes)";

    /// <summary>Equality.</summary>
    public static bool operator ==(SyncEntry left, SyncEntry right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(SyncEntry left, SyncEntry right) => !left.Equals(right);
}
