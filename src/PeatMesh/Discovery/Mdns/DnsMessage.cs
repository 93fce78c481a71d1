using System.Diagnostics.CodeAnalysis;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// A DNS message as used by Multicast DNS (RFC 1035 §4.1, RFC 6762 §18): header, questions, answers, authority
/// and additional records.
/// </summary>
/// <remarks>
/// Immutable; thread-safe. <see cref="Parse"/> bounds everything it reads: packets over 9000 bytes, section counts
/// the packet cannot hold, labels over 63 bytes, names over 255 bytes, compression pointers that do not point
/// strictly backwards or chain more than 127 times, and record data that does not fill its length exactly are all
/// rejected with a <see cref="DnsFormatError"/>, before anything proportional to a count or length is allocated.
/// </remarks>
public sealed record DnsMessage
{
    /// <summary>Largest message accepted or written, in bytes (RFC 6762 §17).</summary>
    public const int MaxPacketBytes = 9000;

    /// <summary>Flags of an mDNS response: QR and AA set, opcode 0, RCODE 0 (RFC 6762 §18.2–18.4).</summary>
    public const ushort ResponseFlags = 0x8400;

    /// <summary>The QR bit (set in responses).</summary>
    public const ushort ResponseBit = 0x8000;

    /// <summary>The AA bit (authoritative answer).</summary>
    public const ushort AuthoritativeBit = 0x0400;

    /// <summary>The TC bit (truncated; in mDNS queries: more known answers follow, RFC 6762 §7.2).</summary>
    public const ushort TruncatedBit = 0x0200;

    /// <summary>The message id (0 in mDNS multicast; echoed in legacy unicast replies, RFC 6762 §6.7).</summary>
    public ushort Id { get; init; }

    /// <summary>The raw flags word.</summary>
    public ushort Flags { get; init; }

    /// <summary>The questions.</summary>
    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];

    /// <summary>The answer records.</summary>
    public IReadOnlyList<DnsResourceRecord> Answers { get; init; } = [];

    /// <summary>The authority records (proposed records in mDNS probes).</summary>
    public IReadOnlyList<DnsResourceRecord> Authorities { get; init; } = [];

    /// <summary>The additional records.</summary>
    public IReadOnlyList<DnsResourceRecord> Additionals { get; init; } = [];

    /// <summary>Whether QR is set (a response).</summary>
    public bool IsResponse => (Flags & ResponseBit) != 0;

    /// <summary>The opcode (bits 11–14); mDNS messages with a non-zero opcode are ignored (RFC 6762 §18.3).</summary>
    public int Opcode => (Flags >> 11) & 0xF;

    /// <summary>Whether AA is set.</summary>
    public bool IsAuthoritative => (Flags & AuthoritativeBit) != 0;

    /// <summary>Whether TC is set.</summary>
    public bool IsTruncated => (Flags & TruncatedBit) != 0;

    /// <summary>The response code (bits 0–3); mDNS messages with a non-zero code are ignored (RFC 6762 §18.11).</summary>
    public int ResponseCode => Flags & 0xF;

    /// <summary>Every record of the answer, authority and additional sections, in that order.</summary>
    public IEnumerable<DnsResourceRecord> AllRecords => Answers.Concat(Authorities).Concat(Additionals);

    /// <summary>Parses a message.</summary>
    /// <param name="packet">The UDP payload.</param>
    /// <exception cref="DnsFormatException">The packet is malformed; <see cref="DnsFormatException.Error"/> says how.</exception>
    public static DnsMessage Parse(ReadOnlySpan<byte> packet) => DnsMessageReader.Read(packet);

    /// <summary>Parses a message without throwing.</summary>
    /// <param name="packet">The UDP payload.</param>
    /// <param name="message">The message, when well-formed.</param>
    /// <param name="error">Why it was rejected, or <see cref="DnsFormatError.None"/>.</param>
    /// <returns><see langword="true"/> when the packet is a well-formed message.</returns>
    public static bool TryParse(ReadOnlySpan<byte> packet, [NotNullWhen(true)] out DnsMessage? message, out DnsFormatError error)
    {
        try
        {
            message = DnsMessageReader.Read(packet);
            error = DnsFormatError.None;
            return true;
        }
        catch (DnsFormatException e)
        {
            message = null;
            error = e.Error;
            return false;
        }
    }

    /// <summary>Serializes the message.</summary>
    /// <param name="compressNames">Whether names use compression pointers (RFC 1035 §4.1.4); SRV and NSEC data never do.</param>
    /// <exception cref="InvalidOperationException">The message would exceed <see cref="MaxPacketBytes"/>.</exception>
    public byte[] ToArray(bool compressNames = true)
    {
        var writer = new DnsMessageWriter(Id, Flags, MaxPacketBytes, compressNames);
        var fits = Questions.All(writer.TryAddQuestion)
            && Answers.All(r => writer.TryAddRecord(DnsSection.Answer, r))
            && Authorities.All(r => writer.TryAddRecord(DnsSection.Authority, r))
            && Additionals.All(r => writer.TryAddRecord(DnsSection.Additional, r));
        return fits ? writer.ToArray() : throw new InvalidOperationException($"The message exceeds {MaxPacketBytes} bytes.");
    }

    /// <summary>Value equality over the header and every section's contents.</summary>
    public bool Equals(DnsMessage? other) => other is not null
        && Id == other.Id && Flags == other.Flags
        && Questions.SequenceEqual(other.Questions) && Answers.SequenceEqual(other.Answers)
        && Authorities.SequenceEqual(other.Authorities) && Additionals.SequenceEqual(other.Additionals);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Flags, Questions.Count, Answers.Count, Authorities.Count, Additionals.Count);
}
