using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using PeatMesh.Internal;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// Parses DNS messages with every length and count bounded by the bytes actually present (RFC 1035 §4.1; RFC 6762
/// §18; name compression §4.1.4). See <see cref="DnsMessage"/> for the rules enforced.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class DnsMessageReader
{
    /// <summary>Most compression pointers one name may follow (a legal name has at most 127 labels).</summary>
    public const int MaxPointerHops = 127;

    private const int HeaderBytes = 12;
    private const int MinQuestionBytes = 5;
    private const int MinRecordBytes = 11;

    /// <summary>Parses <paramref name="packet"/>.</summary>
    /// <exception cref="DnsFormatException">The packet is malformed.</exception>
    public static DnsMessage Read(ReadOnlySpan<byte> packet)
    {
        if (packet.Length > DnsMessage.MaxPacketBytes)
        {
            throw Fail(DnsFormatError.PacketTooLarge, $"packet is {packet.Length} bytes (at most {DnsMessage.MaxPacketBytes})");
        }

        if (packet.Length < HeaderBytes)
        {
            throw Fail(DnsFormatError.Truncated, $"packet is {packet.Length} bytes, shorter than the 12-byte header");
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        int ar = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        var needed = ((long)qd * MinQuestionBytes) + ((long)(an + ns + ar) * MinRecordBytes);
        if (needed > packet.Length - HeaderBytes)
        {
            throw Fail(DnsFormatError.CountExceedsPacket,
                $"counts qd={qd} an={an} ns={ns} ar={ar} need at least {needed} bytes, the packet has {packet.Length - HeaderBytes} after the header");
        }

        var pos = HeaderBytes;
        var questions = new List<DnsQuestion>(qd);
        for (var i = 0; i < qd; i++)
        {
            var name = ReadName(packet, ref pos, packet.Length);
            Require(packet, pos, 4, "question type/class");
            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
            var cls = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]);
            pos += 4;
            questions.Add(new DnsQuestion(name, type, (cls & DnsClass.TopBit) != 0, (ushort)(cls & ~DnsClass.TopBit)));
        }

        var answers = ReadRecords(packet, ref pos, an);
        var authorities = ReadRecords(packet, ref pos, ns);
        var additionals = ReadRecords(packet, ref pos, ar);
        return new DnsMessage
        {
            Id = id,
            Flags = flags,
            Questions = questions,
            Answers = answers,
            Authorities = authorities,
            Additionals = additionals,
        };
    }

    private static List<DnsResourceRecord> ReadRecords(ReadOnlySpan<byte> packet, ref int pos, int count)
    {
        var records = new List<DnsResourceRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadName(packet, ref pos, packet.Length);
            Require(packet, pos, 10, "record header");
            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
            var cls = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(pos + 4)..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 8)..]);
            pos += 10;
            Require(packet, pos, length, "record data");
            var data = ReadData(packet, pos, length, type);
            pos += length;
            records.Add(new DnsResourceRecord(name, data, ttl, (cls & DnsClass.TopBit) != 0, (ushort)(cls & ~DnsClass.TopBit)));
        }

        return records;
    }

    private static DnsRecordData ReadData(ReadOnlySpan<byte> packet, int start, int length, ushort type)
    {
        var end = start + length;
        switch ((DnsRecordType)type)
        {
            case DnsRecordType.A or DnsRecordType.Aaaa:
                var size = type == (ushort)DnsRecordType.A ? 4 : 16;
                if (length != size)
                {
                    throw Fail(DnsFormatError.BadRecordData, $"{(DnsRecordType)type} data at {start} is {length} bytes, expected {size}");
                }

                return new AddressRecordData(new IPAddress(packet.Slice(start, length)));

            case DnsRecordType.Ptr:
                return ReadPtr(packet, start, end);

            case DnsRecordType.Srv:
                return ReadSrv(packet, start, end);

            case DnsRecordType.Txt:
                return ReadTxt(packet, start, end);

            case DnsRecordType.Nsec:
                return ReadNsec(packet, start, end);

            default:
                return new UnknownRecordData(type, packet.Slice(start, length).ToArray());
        }
    }

    private static PtrRecordData ReadPtr(ReadOnlySpan<byte> packet, int start, int end)
    {
        var pos = start;
        var target = ReadName(packet, ref pos, end);
        ExpectEnd(pos, end, "PTR");
        return new PtrRecordData(target);
    }

    private static SrvRecordData ReadSrv(ReadOnlySpan<byte> packet, int start, int end)
    {
        if (end - start < 7)
        {
            throw Fail(DnsFormatError.BadRecordData, $"SRV data at {start} is {end - start} bytes (at least 7)");
        }

        var pos = start + 6;
        var target = ReadName(packet, ref pos, end);
        ExpectEnd(pos, end, "SRV");
        return new SrvRecordData(
            BinaryPrimitives.ReadUInt16BigEndian(packet[start..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[(start + 2)..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[(start + 4)..]),
            target);
    }

    private static TxtRecordData ReadTxt(ReadOnlySpan<byte> packet, int start, int end)
    {
        var strings = new List<ReadOnlyMemory<byte>>();
        var pos = start;
        while (pos < end)
        {
            var len = packet[pos];
            if (pos + 1 + len > end)
            {
                throw Fail(DnsFormatError.BadRecordData, $"TXT string at {pos} of {len} bytes overruns the record data ending at {end}");
            }

            strings.Add(packet.Slice(pos + 1, len).ToArray());
            pos += 1 + len;
        }

        return new TxtRecordData(strings);
    }

    private static NsecRecordData ReadNsec(ReadOnlySpan<byte> packet, int start, int end)
    {
        var pos = start;
        var next = ReadName(packet, ref pos, end);
        var types = new List<DnsRecordType>();
        var lastWindow = -1;
        while (pos < end)
        {
            if (pos + 2 > end)
            {
                throw Fail(DnsFormatError.BadRecordData, $"NSEC bitmap header at {pos} overruns the record data");
            }

            int window = packet[pos];
            int length = packet[pos + 1];
            if (window <= lastWindow || length is < 1 or > 32 || pos + 2 + length > end)
            {
                throw Fail(DnsFormatError.BadRecordData, $"NSEC bitmap at {pos}: window {window} after {lastWindow}, length {length} (1-32) must fit the data");
            }

            for (var i = 0; i < length; i++)
            {
                var bits = packet[pos + 2 + i];
                for (var b = 0; b < 8; b++)
                {
                    if ((bits & (0x80 >> b)) != 0)
                    {
                        types.Add((DnsRecordType)((window << 8) | (i << 3) | b));
                    }
                }
            }

            lastWindow = window;
            pos += 2 + length;
        }

        return new NsecRecordData(next, types);
    }

    /// <summary>
    /// Reads a possibly compressed name starting at <paramref name="pos"/>; the uncompressed part must end before
    /// <paramref name="limit"/>. Pointers must point strictly before every byte of the name read so far, which
    /// rules out loops; at most <see cref="MaxPointerHops"/> are followed.
    /// </summary>
    private static DnsName ReadName(ReadOnlySpan<byte> packet, ref int pos, int limit)
    {
        var labels = new List<string>();
        var labelBytes = new List<byte[]>();
        var cursor = pos;
        var bound = limit;
        var lowest = pos;
        var jumped = false;
        var hops = 0;
        var wire = 1;
        while (true)
        {
            if (cursor >= bound)
            {
                throw Fail(DnsFormatError.Truncated, $"name starting at {pos} runs past byte {bound}");
            }

            var len = packet[cursor];
            switch (len & 0xC0)
            {
                case 0x00 when len == 0:
                    if (!jumped)
                    {
                        pos = cursor + 1;
                    }

                    return DnsName.FromChecked(labels, labelBytes);

                case 0x00:
                    if (cursor + 1 + len > bound)
                    {
                        throw Fail(DnsFormatError.Truncated, $"label at {cursor} of {len} bytes runs past byte {bound}");
                    }

                    wire += len + 1;
                    if (wire > DnsName.MaxWireBytes)
                    {
                        throw Fail(DnsFormatError.NameTooLong, $"name starting at {pos} exceeds {DnsName.MaxWireBytes} bytes");
                    }

                    var bytes = packet.Slice(cursor + 1, len);
                    var text = StrictUtf8.TryDecode(bytes)
                        ?? throw Fail(DnsFormatError.InvalidLabel, $"label at {cursor} is not valid UTF-8");
                    labels.Add(text);
                    labelBytes.Add(bytes.ToArray());
                    cursor += 1 + len;
                    break;

                case 0xC0:
                    if (cursor + 2 > bound)
                    {
                        throw Fail(DnsFormatError.Truncated, $"compression pointer at {cursor} runs past byte {bound}");
                    }

                    var target = ((len & 0x3F) << 8) | packet[cursor + 1];
                    if (target < HeaderBytes || target >= packet.Length)
                    {
                        throw Fail(DnsFormatError.BadPointer, $"compression pointer at {cursor} targets {target}, outside the message body");
                    }

                    if (target >= lowest || ++hops > MaxPointerHops)
                    {
                        throw Fail(DnsFormatError.CompressionLoop,
                            string.Create(CultureInfo.InvariantCulture, $"compression pointer at {cursor} targets {target}: not before {lowest}, or more than {MaxPointerHops} pointers"));
                    }

                    if (!jumped)
                    {
                        pos = cursor + 2;
                        jumped = true;
                    }

                    lowest = target;
                    cursor = target;
                    bound = packet.Length;
                    break;

                default:
                    throw Fail(DnsFormatError.BadLabelType, $"label type 0x{len & 0xC0:X2} at {cursor} is reserved or unsupported");
            }
        }
    }

    private static void Require(ReadOnlySpan<byte> packet, int pos, int count, string what)
    {
        if (pos + count > packet.Length)
        {
            throw Fail(DnsFormatError.Truncated, $"{what} at {pos} needs {count} bytes, the packet ends at {packet.Length}");
        }
    }

    private static void ExpectEnd(int pos, int end, string type)
    {
        if (pos != end)
        {
            throw Fail(DnsFormatError.BadRecordData, $"{type} name ends at {pos}, the record data at {end}");
        }
    }

    private static DnsFormatException Fail(DnsFormatError error, string detail) => new(error, "Malformed DNS message: " + detail + ".");
}
