namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>Hand-assembles raw DNS packets (for the malformed corpus): a header then arbitrary byte runs.</summary>
internal static class DnsPacketBuilder
{
    /// <summary>A packet with id 0, the given flags and counts, followed by <paramref name="body"/>.</summary>
    public static byte[] Packet(ushort flags, ushort qd, ushort an, ushort ns, ushort ar, params byte[][] body)
    {
        var bytes = new List<byte>
        {
            0, 0, (byte)(flags >> 8), (byte)flags,
            (byte)(qd >> 8), (byte)qd, (byte)(an >> 8), (byte)an,
            (byte)(ns >> 8), (byte)ns, (byte)(ar >> 8), (byte)ar,
        };
        foreach (var part in body)
        {
            bytes.AddRange(part);
        }

        return [.. bytes];
    }

    /// <summary>A query with one question whose name bytes are <paramref name="name"/>, type PTR, class IN.</summary>
    public static byte[] Question(params byte[] name) => Packet(0, 1, 0, 0, 0, name, [0, 12, 0, 1]);

    /// <summary>An uncompressed wire name.</summary>
    public static byte[] Name(params string[] labels)
    {
        var bytes = new List<byte>();
        foreach (var label in labels)
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>A record header after the owner name: type, class IN, TTL 120, RDLENGTH.</summary>
    public static byte[] RecordHeader(ushort type, ushort rdLength) =>
        [(byte)(type >> 8), (byte)type, 0, 1, 0, 0, 0, 120, (byte)(rdLength >> 8), (byte)rdLength];

    /// <summary>A response with one answer record: root-named unless <paramref name="name"/> is given.</summary>
    public static byte[] Answer(ushort type, byte[] rdata, byte[]? name = null, ushort? rdLength = null) =>
        Packet(0x8400, 0, 1, 0, 0, name ?? [0], RecordHeader(type, rdLength ?? (ushort)rdata.Length), rdata);
}
