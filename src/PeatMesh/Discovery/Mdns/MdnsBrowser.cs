using System.Net;
using System.Net.Sockets;
using PeatMesh.Transport;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// Finds other instances of the service type (RFC 6763 §4) and resolves them (SRV + TXT + A/AAAA) into
/// <see cref="DiscoveredPeer"/>s: periodic PTR queries with known answers and doubling intervals (RFC 6762 §5.2,
/// §7.1), resolve queries for incomplete instances, cache refresh queries at 80–95 % of TTL, and Found/Updated/Lost
/// from every change of the record cache (goodbyes, cache flushes, expiry).
/// </summary>
/// <remarks>Every member except <see cref="Snapshot"/> is called under <see cref="MdnsDiscovery"/>'s gate.</remarks>
internal sealed class MdnsBrowser(
    MdnsRuntime runtime, Func<MdnsLocalService?> self, string ownNodeId, Action<DiscoveryEventKind, DiscoveredPeer, DnsName> raise)
{
    /// <summary>Resolve queries per round for an incomplete instance (at 0, 1, 2 and 4 s), and the pause between rounds.</summary>
    public const int ResolveAttempts = 4;

    private static readonly TimeSpan ResolveRoundPause = TimeSpan.FromMinutes(1);

    private readonly MdnsRecordCache _cache = new(runtime.Options.MaxCachedRecords);
    private readonly Dictionary<DnsName, ResolveState> _resolving = [];
    private Dictionary<DnsName, DiscoveredPeer> _peers = [];
    private DiscoveredPeer[] _snapshot = [];
    private TimeSpan _queryInterval;
    private TimeSpan? _maintenanceAt;
    private bool _cacheFullLogged;
    private bool _stopped;

    /// <summary>The peers currently resolved (an immutable snapshot; readable from any thread).</summary>
    public IReadOnlyCollection<DiscoveredPeer> Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Records cached (for tests and diagnostics).</summary>
    internal int CachedRecords => _cache.Count;

    /// <summary>Starts browsing: the first query goes out after 20–120 ms (RFC 6762 §5.2).</summary>
    public void Start()
    {
        _queryInterval = runtime.Options.InitialQueryInterval;
        runtime.Scheduler.Schedule(runtime.RandomDelay(20, 120), Browse);
    }

    /// <summary>Stops querying; peers are no longer updated.</summary>
    public void Stop() => _stopped = true;

    /// <summary>Caches the relevant records of a response and updates the peers.</summary>
    public void OnResponse(DnsMessage response, MdnsInterface nic)
    {
        if (_stopped)
        {
            return;
        }

        foreach (var record in response.Answers.Concat(response.Additionals))
        {
            if (IsRelevant(record) && !_cache.Add(record, nic.Index, runtime.Now, runtime.Random) && !_cacheFullLogged)
            {
                _cacheFullLogged = true;
                MdnsLog.CacheFull(runtime.Logger, runtime.Options.MaxCachedRecords);
            }
        }

        Reconcile();
        ScheduleMaintenance();
    }

    private void Browse()
    {
        if (_stopped)
        {
            return;
        }

        var now = runtime.Now;
        foreach (var nic in runtime.Interfaces)
        {
            // Known answers: PTR records with more than half their TTL left (RFC 6762 §7.1).
            var known = _cache.Find(runtime.ServiceType, DnsRecordType.Ptr)
                .Where(e => e.InterfaceIndex == nic.Index && !e.IsExpiring && e.RemainingTtl(now) > e.Record.Ttl / 2)
                .Select(e => e.Record with { Ttl = e.RemainingTtl(now), CacheFlush = false })
                .ToList();
            runtime.SendQuery(nic, [new DnsQuestion(runtime.ServiceType, DnsRecordType.Ptr)], known, []);
        }

        runtime.Scheduler.Schedule(_queryInterval, Browse);
        var doubled = _queryInterval * 2;
        _queryInterval = doubled > runtime.Options.MaxQueryInterval ? runtime.Options.MaxQueryInterval : doubled;
    }

    private bool IsRelevant(DnsResourceRecord record) => record.Type switch
    {
        DnsRecordType.Ptr => record.Name == runtime.ServiceType,
        DnsRecordType.Srv or DnsRecordType.Txt => record.Name.IsChildOf(runtime.ServiceType),
        DnsRecordType.A or DnsRecordType.Aaaa => true,
        _ => false,
    };

    private void ScheduleMaintenance()
    {
        if (_stopped || _cache.NextDue() is not { } due || (_maintenanceAt is { } armed && armed <= due))
        {
            return;
        }

        _maintenanceAt = due;
        runtime.Scheduler.Schedule(due - runtime.Now, () =>
        {
            if (_maintenanceAt == due)
            {
                _maintenanceAt = null;
            }

            Maintain();
        });
    }

    private void Maintain()
    {
        if (_stopped)
        {
            return;
        }

        var now = runtime.Now;
        var wanted = WantedNames();
        foreach (var group in _cache.TakeDueRefreshes(now).Where(e => wanted.Contains(e.Record.Name)).GroupBy(e => e.InterfaceIndex))
        {
            if (runtime.Interfaces.FirstOrDefault(n => n.Index == group.Key) is { } nic)
            {
                var questions = group.Select(e => new DnsQuestion(e.Record.Name, e.Record.Type)).Distinct().ToList();
                runtime.SendQuery(nic, questions, [], []);
            }
        }

        if (_cache.RemoveExpired(now))
        {
            Reconcile();
        }

        ScheduleMaintenance();
    }

    /// <summary>Names whose records are worth refreshing: the service type, known instances, and their SRV targets.</summary>
    private HashSet<DnsName> WantedNames()
    {
        var wanted = new HashSet<DnsName> { runtime.ServiceType };
        foreach (var instance in Instances())
        {
            wanted.Add(instance);
            foreach (var srv in Live(instance, DnsRecordType.Srv))
            {
                wanted.Add(((SrvRecordData)srv.Record.Data).Target);
            }
        }

        return wanted;
    }

    private IEnumerable<DnsName> Instances() => Live(runtime.ServiceType, DnsRecordType.Ptr)
        .Select(e => ((PtrRecordData)e.Record.Data).Target)
        .Where(t => t.IsChildOf(runtime.ServiceType))
        .Distinct();

    private IEnumerable<MdnsRecordCache.Entry> Live(DnsName name, DnsRecordType type) => _cache.Find(name, type).Where(e => !e.IsExpiring);

    private void Reconcile()
    {
        var own = self()?.Instance;
        var current = new Dictionary<DnsName, DiscoveredPeer>();
        var instances = Instances().ToHashSet();
        foreach (var instance in instances)
        {
            if (instance == own)
            {
                continue;
            }

            var peer = Resolve(instance);
            if (peer is null)
            {
                StartResolving(instance);
                continue;
            }

            _resolving.Remove(instance);
            if (peer.NodeId != ownNodeId)
            {
                current[instance] = peer;
            }
        }

        foreach (var stale in _resolving.Keys.Where(k => !instances.Contains(k)).ToList())
        {
            _resolving.Remove(stale);
        }

        var previous = _peers;
        _peers = current;
        Volatile.Write(ref _snapshot, [.. current.Values]);
        foreach (var (instance, peer) in previous)
        {
            if (!current.ContainsKey(instance))
            {
                raise(DiscoveryEventKind.Lost, peer, instance);
            }
        }

        foreach (var (instance, peer) in current)
        {
            if (!previous.TryGetValue(instance, out var before))
            {
                raise(DiscoveryEventKind.Found, peer, instance);
            }
            else if (!before.Equals(peer))
            {
                raise(DiscoveryEventKind.Updated, peer, instance);
            }
        }
    }

    /// <summary>The peer for <paramref name="instance"/>, or null while its SRV or an address of the SRV target is missing.</summary>
    private DiscoveredPeer? Resolve(DnsName instance)
    {
        var srvEntry = Live(instance, DnsRecordType.Srv).MaxBy(e => e.ReceivedAt);
        if (srvEntry is null || ((SrvRecordData)srvEntry.Record.Data) is not { Port: > 0 } srv)
        {
            return null;
        }

        var addresses = Live(srv.Target, DnsRecordType.A).Concat(Live(srv.Target, DnsRecordType.Aaaa))
            .Select(e => ToUsable(((AddressRecordData)e.Record.Data).Address, e.InterfaceIndex))
            .OfType<IPAddress>()
            .Distinct()
            .OrderBy(Rank).ThenBy(a => a.ToString(), StringComparer.Ordinal)
            .Select(a => new PeerAddress(a.ToString(), srv.Port))
            .ToList();
        if (addresses.Count == 0)
        {
            return null;
        }

        var txt = Live(instance, DnsRecordType.Txt).MaxBy(e => e.ReceivedAt)?.Record.Data as TxtRecordData;
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in txt?.Entries ?? [])
        {
            if (entry.ValueText is { } value)
            {
                metadata[entry.Key] = value;
            }
        }

        var nodeId = metadata.TryGetValue("node_id", out var id) && !string.IsNullOrWhiteSpace(id) ? id : instance.Labels[0];
        return new DiscoveredPeer(nodeId, addresses, MdnsDiscovery.StrategyName, metadata);
    }

    private void StartResolving(DnsName instance)
    {
        if (_resolving.ContainsKey(instance))
        {
            return;
        }

        var state = new ResolveState();
        _resolving[instance] = state;
        runtime.Scheduler.Schedule(runtime.RandomDelay(20, 120), () => ResolveStep(instance, state));
    }

    private void ResolveStep(DnsName instance, ResolveState state)
    {
        if (_stopped || !_resolving.TryGetValue(instance, out var current) || current != state)
        {
            return;
        }

        var questions = new List<DnsQuestion> { new(instance, DnsRecordType.Srv), new(instance, DnsRecordType.Txt) };
        foreach (var srv in Live(instance, DnsRecordType.Srv))
        {
            var target = ((SrvRecordData)srv.Record.Data).Target;
            questions.Add(new DnsQuestion(target, DnsRecordType.A));
        }

        foreach (var nic in runtime.Interfaces)
        {
            runtime.SendQuery(nic, [.. questions.Distinct()], [], []);
        }

        state.Attempts++;
        if (state.Attempts < ResolveAttempts)
        {
            runtime.Scheduler.Schedule(TimeSpan.FromSeconds(Math.Pow(2, state.Attempts - 1)), () => ResolveStep(instance, state));
        }
        else
        {
            runtime.Scheduler.Schedule(ResolveRoundPause, () =>
            {
                if (_resolving.TryGetValue(instance, out var s) && s == state)
                {
                    _resolving.Remove(instance);
                    Reconcile();
                }
            });
        }
    }

    /// <summary>The address as dialable from here: IPv6 link-local addresses get the scope of the interface they were seen on.</summary>
    private static IPAddress? ToUsable(IPAddress address, int interfaceIndex)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0 || b[0] >= 224 ? null : address;
        }

        if (address.IsIPv6Multicast || address.Equals(IPAddress.IPv6None))
        {
            return null;
        }

        return address.IsIPv6LinkLocal ? new IPAddress(address.GetAddressBytes(), interfaceIndex) : address;
    }

    /// <summary>Best first: routable IPv4, routable IPv6, loopback, IPv6 link-local.</summary>
    private static int Rank(IPAddress address) => address switch
    {
        _ when IPAddress.IsLoopback(address) => 2,
        _ when address.IsIPv6LinkLocal => 3,
        { AddressFamily: AddressFamily.InterNetwork } => 0,
        _ => 1,
    };

    private sealed class ResolveState
    {
        public int Attempts { get; set; }
    }
}
