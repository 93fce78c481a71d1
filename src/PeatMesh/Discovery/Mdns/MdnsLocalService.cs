using System.Globalization;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// The records this node publishes for one set of names (RFC 6763 §4–6, §9, §12; RFC 6762 §6.1, §10): per interface,
/// <c>_services._dns-sd._udp PTR</c> (service enumeration), <c>service PTR instance</c>, <c>instance SRV 0 0 port host</c>,
/// <c>instance TXT</c>, and <c>host A/AAAA</c> with that interface's addresses only (plus those of our other interfaces on
/// the same link, RFC 6762 §14).
/// </summary>
/// <remarks>Immutable; thread-safe. Record instances are created once, so they can key "last multicast" bookkeeping.</remarks>
internal sealed class MdnsLocalService
{
    private readonly Dictionary<int, IReadOnlyList<DnsResourceRecord>> _byInterface = [];

    /// <summary>Builds the records for <paramref name="instance"/> and <paramref name="host"/> on every interface.</summary>
    /// <param name="serviceType">The service type name.</param>
    /// <param name="instance">The instance name.</param>
    /// <param name="host">The host name (SRV target).</param>
    /// <param name="port">The SRV port.</param>
    /// <param name="txt">The TXT data.</param>
    /// <param name="interfaces">The interfaces.</param>
    /// <param name="sameLink">
    /// For an interface index, the indexes of the interfaces known to share its link (itself included): their
    /// addresses are published together, so that peers caching cache-flush A records do not drop one interface's
    /// addresses whenever the other interface's arrive.
    /// </param>
    /// <param name="options">TTLs and whether IPv6 addresses are published.</param>
    public MdnsLocalService(
        DnsName serviceType, DnsName instance, DnsName host, ushort port, TxtRecordData txt,
        IReadOnlyList<MdnsInterface> interfaces, Func<int, IReadOnlySet<int>> sameLink, MdnsOptions options)
    {
        ServiceType = serviceType;
        Instance = instance;
        Host = host;
        var hostTtl = (uint)options.HostRecordTtl.TotalSeconds;
        var otherTtl = (uint)options.OtherRecordTtl.TotalSeconds;
        var domain = DnsName.FromLabels(serviceType.Labels.Skip(2));
        ServiceEnumeration = new DnsResourceRecord(
            DnsName.FromLabels(["_services", "_dns-sd", "_udp", .. domain.Labels]), new PtrRecordData(serviceType), otherTtl);
        Pointer = new DnsResourceRecord(serviceType, new PtrRecordData(instance), otherTtl);
        Service = new DnsResourceRecord(instance, new SrvRecordData(0, 0, port, host), hostTtl, CacheFlush: true);
        Text = new DnsResourceRecord(instance, txt, otherTtl, CacheFlush: true);
        InstanceNsec = new DnsResourceRecord(instance, new NsecRecordData(instance, [DnsRecordType.Txt, DnsRecordType.Srv]), hostTtl, CacheFlush: true);
        foreach (var nic in interfaces)
        {
            var group = sameLink(nic.Index);
            var addresses = interfaces.Where(n => group.Contains(n.Index))
                .SelectMany(n => n.IPv4Addresses.Concat(options.PublishIPv6Addresses ? n.IPv6Addresses : []))
                .Select(a => new DnsResourceRecord(host, new AddressRecordData(a), hostTtl, CacheFlush: true))
                .ToList();
            _byInterface[nic.Index] = [ServiceEnumeration, Pointer, Service, Text, .. addresses];
        }
    }

    /// <summary>The service type name, e.g. <c>_peat._udp.local</c>.</summary>
    public DnsName ServiceType { get; }

    /// <summary>The instance name, e.g. <c>node-a._peat._udp.local</c>.</summary>
    public DnsName Instance { get; }

    /// <summary>The host name, e.g. <c>node-a.local</c>.</summary>
    public DnsName Host { get; }

    /// <summary><c>_services._dns-sd._udp.local PTR _peat._udp.local</c> (RFC 6763 §9; shared).</summary>
    public DnsResourceRecord ServiceEnumeration { get; }

    /// <summary><c>_peat._udp.local PTR instance</c> (shared).</summary>
    public DnsResourceRecord Pointer { get; }

    /// <summary><c>instance SRV</c> (unique).</summary>
    public DnsResourceRecord Service { get; }

    /// <summary><c>instance TXT</c> (unique).</summary>
    public DnsResourceRecord Text { get; }

    /// <summary><c>instance NSEC TXT SRV</c>: asserts the instance has no other types (RFC 6762 §6.1).</summary>
    public DnsResourceRecord InstanceNsec { get; }

    /// <summary>Every record published on interface <paramref name="interfaceIndex"/> (empty for an unknown interface).</summary>
    public IReadOnlyList<DnsResourceRecord> On(int interfaceIndex) =>
        _byInterface.TryGetValue(interfaceIndex, out var records) ? records : [];

    /// <summary>The address records of the host on interface <paramref name="interfaceIndex"/>.</summary>
    public IEnumerable<DnsResourceRecord> AddressesOn(int interfaceIndex) => On(interfaceIndex).Where(r => r.Name == Host);

    /// <summary>The unique records proposed when probing on an interface (RFC 6762 §8.2 authority section).</summary>
    public IEnumerable<DnsResourceRecord> ProposedOn(int interfaceIndex) => [Service, Text, .. AddressesOn(interfaceIndex)];

    /// <summary>Whether <paramref name="record"/> equals (same name, type, class, data) one of ours on any interface.</summary>
    public bool IsOurs(DnsResourceRecord record) =>
        _byInterface.Values.Any(list => list.Any(r => r.HasSameData(record))) || InstanceNsec.HasSameData(record) || HostNsecs().Any(r => r.HasSameData(record));

    /// <summary>The NSEC record for the host on an interface: the address types it has there (RFC 6762 §6.1).</summary>
    public DnsResourceRecord HostNsec(int interfaceIndex)
    {
        var types = AddressesOn(interfaceIndex).Select(r => r.Type).Distinct().ToList();
        return new DnsResourceRecord(Host, new NsecRecordData(Host, types), Service.Ttl, CacheFlush: true);
    }

    /// <summary><c>instance on host:port</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Instance} on {Host}:{((SrvRecordData)Service.Data).Port}");

    private IEnumerable<DnsResourceRecord> HostNsecs() => _byInterface.Keys.Select(HostNsec);
}
