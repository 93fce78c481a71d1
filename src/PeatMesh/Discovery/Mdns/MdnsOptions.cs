namespace PeatMesh.Discovery.Mdns;

/// <summary>Settings of <see cref="MdnsDiscovery"/> (mDNS, RFC 6762; DNS-SD, RFC 6763).</summary>
/// <remarks>
/// Plain mutable settings object for the Options pattern, validated by <see cref="MdnsOptionsValidator"/> (the
/// <see cref="MdnsDiscovery"/> constructor validates again). Not thread-safe while being configured; treat as
/// read-only once a discovery is created with it. The defaults are the RFC values and what avahi expects.
/// </remarks>
public sealed class MdnsOptions
{
    /// <summary>The UDP port of mDNS (RFC 6762 §3): 5353.</summary>
    public const int DefaultPort = 5353;

    /// <summary>
    /// The DNS-SD service type, <c>_name._udp</c> or <c>_name._tcp</c> (RFC 6763 §7: name 1–15 characters of
    /// <c>a-z</c>, <c>0-9</c> and <c>-</c>, with a letter, not starting or ending with <c>-</c>). Defaults to
    /// <c>_peat._udp</c>, the reference's service type (RFC 6763 §7 asks for <c>_udp</c> for anything not TCP).
    /// </summary>
    public string ServiceType { get; set; } = "_peat._udp";

    /// <summary>The domain services live in. Defaults to <c>local</c>, the only domain mDNS serves (RFC 6762 §3).</summary>
    public string Domain { get; set; } = "local";

    /// <summary>
    /// Names of the network interfaces to use (e.g. <c>eth0</c>). Empty (the default) selects every interface that
    /// is up, has an IPv4 address and supports multicast, plus loopback when <see cref="IncludeLoopback"/> is set.
    /// A listed interface that is missing or has no IPv4 address fails <see cref="MdnsDiscovery.StartAsync"/>.
    /// </summary>
    public IList<string> Interfaces { get; set; } = [];

    /// <summary>
    /// Whether automatic interface selection includes loopback. Defaults to <see langword="true"/>: nodes on the same
    /// host then find each other at <c>127.0.0.1</c> (each interface advertises only its own addresses, so loopback
    /// addresses never reach other hosts), and a local avahi-daemon sees the node on <c>lo</c>.
    /// </summary>
    public bool IncludeLoopback { get; set; } = true;

    /// <summary>
    /// Whether AAAA records for each interface's IPv6 addresses are published (over IPv4 mDNS, as avahi's
    /// <c>publish-aaaa-on-ipv4</c> does). Defaults to <see langword="false"/> because the TCP mesh listener binds
    /// IPv4 by default, so IPv6 addresses would not be dialable. AAAA records of other hosts are always read.
    /// </summary>
    public bool PublishIPv6Addresses { get; set; }

    /// <summary>
    /// TTL of records that carry a host name (SRV, A, AAAA). Defaults to 120 seconds (RFC 6762 §10); a peer that
    /// vanishes without a goodbye is reported lost when these expire. Whole seconds, 1 second to 1 day.
    /// </summary>
    public TimeSpan HostRecordTtl { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>TTL of the other records (PTR, TXT). Defaults to 75 minutes (RFC 6762 §10). Whole seconds, 1 second to 1 day.</summary>
    public TimeSpan OtherRecordTtl { get; set; } = TimeSpan.FromMinutes(75);

    /// <summary>
    /// How many unsolicited announcements follow successful probing. Defaults to 3; must be 2–8 (RFC 6762 §8.3:
    /// at least two, at most eight).
    /// </summary>
    public int AnnounceCount { get; set; } = 3;

    /// <summary>
    /// Time between the first and second announcement; each later interval doubles. Defaults to 1 second (RFC 6762
    /// §8.3 requires at least one second); must be 1 second to 1 minute.
    /// </summary>
    public TimeSpan AnnounceInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Time between the first and second browse query (after a random 20–120 ms start delay); each later interval
    /// doubles up to <see cref="MaxQueryInterval"/> (RFC 6762 §5.2). Defaults to 1 second, the RFC minimum; must be
    /// 1 second to 1 hour.
    /// </summary>
    public TimeSpan InitialQueryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest time between browse queries. Defaults to 60 minutes, the cap RFC 6762 §5.2 allows. Peers announce
    /// themselves when they start, so this only matters for peers whose announcements were missed; lower it (down
    /// to <see cref="InitialQueryInterval"/>) to recover faster after a partition, at the cost of more traffic.
    /// </summary>
    public TimeSpan MaxQueryInterval { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// Most records held in the cache of other hosts' records (bounds what a flood of responses can allocate). When
    /// full, new records are dropped until entries expire. Defaults to 4096; must be 16–1 000 000.
    /// </summary>
    public int MaxCachedRecords { get; set; } = 4096;

    /// <summary>
    /// UDP port to bind and to send to. Defaults to 5353 (<see cref="DefaultPort"/>); only tests use another, since
    /// every other mDNS implementation listens on 5353 and avahi drops responses from other source ports.
    /// </summary>
    public int Port { get; set; } = DefaultPort;
}
