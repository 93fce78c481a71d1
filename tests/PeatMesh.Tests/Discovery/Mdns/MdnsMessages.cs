using System.Net;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>Classifies datagrams the nodes send, and builds what scripted peers send.</summary>
internal static class MdnsMessages
{
    public static readonly DnsName Service = DnsName.Parse("_peat._udp.local");

    public static bool IsProbe(DnsMessage m) => !m.IsResponse && m.Authorities.Count > 0;

    public static bool IsBrowse(DnsMessage m) => !m.IsResponse && m.Questions.Any(q => q.Name == Service && q.Type == DnsRecordType.Ptr);

    /// <summary>An unsolicited multicast response carrying the PTR, SRV, TXT and A records of the instance.</summary>
    public static bool IsAnnouncement(DnsMessage m, DnsName instance) =>
        m.IsResponse && m.Answers.Any(r => r.Type == DnsRecordType.Srv && r.Name == instance && r.Ttl > 0)
        && m.Answers.Any(r => r.Type == DnsRecordType.Ptr && r.Name == Service);

    public static DnsName InstanceOf(string label) => DnsName.FromLabels(label, "_peat", "_udp", "local");

    /// <summary>A full DNS-SD response for a scripted peer: PTR, SRV, TXT and A.</summary>
    public static DnsMessage ServiceResponse(string label, string host, ushort port, string address, uint ttl = 120, params (string Key, string? Value)[] txt)
    {
        var instance = InstanceOf(label);
        var hostName = DnsName.Parse(host);
        return new DnsMessage
        {
            Flags = DnsMessage.ResponseFlags,
            Answers =
            [
                new DnsResourceRecord(Service, new PtrRecordData(instance), ttl == 0 ? 0u : 4500u),
                new DnsResourceRecord(instance, new SrvRecordData(0, 0, port, hostName), ttl, CacheFlush: true),
                new DnsResourceRecord(instance, TxtRecordData.FromAttributes(txt.Select(t => new KeyValuePair<string, string?>(t.Key, t.Value))), ttl == 0 ? 0u : 4500u, CacheFlush: true),
                new DnsResourceRecord(hostName, new AddressRecordData(IPAddress.Parse(address)), ttl, CacheFlush: true),
            ],
        };
    }

    public static DnsMessage Query(params DnsQuestion[] questions) => new() { Questions = questions };
}
