using System.Net;
using Microsoft.Extensions.Logging;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// What the responder and the browser share: options, clock/scheduler, randomness, the transport, and packet
/// building that splits answers over several datagrams when they exceed <see cref="MaxSendBytes"/>.
/// </summary>
/// <remarks>Used only under <see cref="MdnsDiscovery"/>'s gate; not thread-safe on its own.</remarks>
internal sealed class MdnsRuntime(
    MdnsOptions options, MdnsScheduler scheduler, Random random, IMdnsTransport transport, DnsName serviceType, ILogger logger)
{
    /// <summary>
    /// Largest datagram sent, in bytes of UDP payload: fits a 1400-byte MTU with IPv4 and UDP headers (RFC 6762 §17
    /// asks to stay within the interface MTU). Answers beyond it go in further datagrams; additional records that do
    /// not fit are left out.
    /// </summary>
    public const int MaxSendBytes = 1300;

    /// <summary>The options.</summary>
    public MdnsOptions Options => options;

    /// <summary>The scheduler (and clock).</summary>
    public MdnsScheduler Scheduler => scheduler;

    /// <summary>The random source (seeded in tests).</summary>
    public Random Random => random;

    /// <summary>The logger.</summary>
    public ILogger Logger => logger;

    /// <summary>The service type name, e.g. <c>_peat._udp.local</c>.</summary>
    public DnsName ServiceType => serviceType;

    /// <summary>The interfaces in use.</summary>
    public IReadOnlyList<MdnsInterface> Interfaces => transport.Interfaces;

    /// <summary>Monotonic time since start.</summary>
    public TimeSpan Now => scheduler.Now;

    /// <summary>A uniformly random delay between <paramref name="minMilliseconds"/> and <paramref name="maxMilliseconds"/>.</summary>
    public TimeSpan RandomDelay(int minMilliseconds, int maxMilliseconds) =>
        TimeSpan.FromMilliseconds(minMilliseconds + (random.NextDouble() * (maxMilliseconds - minMilliseconds)));

    /// <summary>Sends a query (id 0) on <paramref name="via"/>; known answers beyond one datagram continue in more, TC set on all but the last (RFC 6762 §7.2).</summary>
    public void SendQuery(MdnsInterface via, IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsResourceRecord> knownAnswers, IReadOnlyList<DnsResourceRecord> authorities)
    {
        foreach (var packet in Build(0, 0, questions, knownAnswers, authorities, [], truncateFlag: true))
        {
            transport.SendMulticast(packet, via);
        }
    }

    /// <summary>Multicasts a response (id 0, flags 0x8400, no questions; RFC 6762 §18) on <paramref name="via"/>.</summary>
    public void SendResponse(MdnsInterface via, IReadOnlyList<DnsResourceRecord> answers, IReadOnlyList<DnsResourceRecord> additionals)
    {
        foreach (var packet in Build(0, DnsMessage.ResponseFlags, [], answers, [], additionals, truncateFlag: false))
        {
            transport.SendMulticast(packet, via);
        }
    }

    /// <summary>Unicasts a response to <paramref name="destination"/> (QU answers, RFC 6762 §5.4; legacy replies §6.7).</summary>
    public void SendUnicastResponse(
        IPEndPoint destination, ushort id, IReadOnlyList<DnsQuestion> questions,
        IReadOnlyList<DnsResourceRecord> answers, IReadOnlyList<DnsResourceRecord> additionals)
    {
        foreach (var packet in Build(id, DnsMessage.ResponseFlags, questions, answers, [], additionals, truncateFlag: false))
        {
            transport.SendUnicast(packet, destination);
        }
    }

    private static List<byte[]> Build(
        ushort id, ushort flags, IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsResourceRecord> answers,
        IReadOnlyList<DnsResourceRecord> authorities, IReadOnlyList<DnsResourceRecord> additionals, bool truncateFlag)
    {
        var packets = new List<byte[]>();
        var writer = new DnsMessageWriter(id, flags, MaxSendBytes);
        foreach (var question in questions)
        {
            writer.TryAddQuestion(question);
        }

        foreach (var record in answers)
        {
            if (!writer.TryAddRecord(DnsSection.Answer, record) && writer.Count(DnsSection.Answer) > 0)
            {
                // Continue in a new datagram; a lone record larger than the budget is dropped.
                packets.Add(Finish(writer, truncateFlag, flags));
                writer = new DnsMessageWriter(id, flags, MaxSendBytes);
                writer.TryAddRecord(DnsSection.Answer, record);
            }
        }

        foreach (var record in authorities)
        {
            writer.TryAddRecord(DnsSection.Authority, record);
        }

        foreach (var record in additionals)
        {
            writer.TryAddRecord(DnsSection.Additional, record);
        }

        if (writer.Count(DnsSection.Question) + writer.Count(DnsSection.Answer) + writer.Count(DnsSection.Authority) > 0)
        {
            packets.Add(writer.ToArray());
        }

        return packets;
    }

    private static byte[] Finish(DnsMessageWriter writer, bool truncateFlag, ushort flags)
    {
        var bytes = writer.ToArray();
        if (truncateFlag)
        {
            // Set TC in the flags word of the finished datagram (bytes 2-3).
            var withTc = (ushort)(flags | DnsMessage.TruncatedBit);
            bytes[2] = (byte)(withTc >> 8);
            bytes[3] = (byte)withTc;
        }

        return bytes;
    }
}
