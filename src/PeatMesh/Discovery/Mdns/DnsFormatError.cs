namespace PeatMesh.Discovery.Mdns;

/// <summary>Why a DNS message was rejected by <see cref="DnsMessage.TryParse"/>.</summary>
public enum DnsFormatError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The packet is larger than <see cref="DnsMessage.MaxPacketBytes"/> (RFC 6762 §17).</summary>
    PacketTooLarge,

    /// <summary>The packet ends inside the header, a name, a question, a record header or record data.</summary>
    Truncated,

    /// <summary>The section counts need more bytes than the packet has (a question takes at least 5 bytes, a record 11).</summary>
    CountExceedsPacket,

    /// <summary>A label length byte uses the reserved 0x40/0x80 forms (extended labels are not supported; RFC 6891 §5).</summary>
    BadLabelType,

    /// <summary>A label is not valid UTF-8 (RFC 6762 §16 requires UTF-8 names).</summary>
    InvalidLabel,

    /// <summary>The name is longer than 255 bytes in wire form (RFC 1035 §2.3.4).</summary>
    NameTooLong,

    /// <summary>A compression pointer does not point strictly backwards, or a name follows too many pointers (RFC 1035 §4.1.4).</summary>
    CompressionLoop,

    /// <summary>A compression pointer points into the header or past the packet.</summary>
    BadPointer,

    /// <summary>Record data does not match its type's layout (wrong address length, name or strings not filling the data, bad NSEC bitmap).</summary>
    BadRecordData,
}
