using System.Net;

namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// Publishes this node's DNS-SD service (RFC 6762 §6–10, RFC 6763): probes the instance and host names, renames on
/// conflict, announces, answers queries (known-answer suppression, QU and legacy unicast, delayed shared answers,
/// duplicate-answer suppression, per-interface rate limiting) and sends goodbyes.
/// </summary>
/// <remarks>Every member is called under <see cref="MdnsDiscovery"/>'s gate; not thread-safe on its own.</remarks>
internal sealed class MdnsResponder(MdnsRuntime runtime)
{
    /// <summary>Probes sent before the names count as ours (RFC 6762 §8.1).</summary>
    public const int ProbeCount = 3;

    /// <summary>Time between probes (RFC 6762 §8.1).</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Least time between multicasts of one record on one interface (RFC 6762 §6).</summary>
    public static readonly TimeSpan MulticastRateLimit = TimeSpan.FromSeconds(1);

    /// <summary>Least time between multicasts of one record when defending it against a probe (RFC 6762 §6).</summary>
    public static readonly TimeSpan ProbeDefenseRateLimit = TimeSpan.FromMilliseconds(250);

    /// <summary>Wait after losing a simultaneous-probe tiebreak (RFC 6762 §8.2).</summary>
    public static readonly TimeSpan TiebreakDeferral = TimeSpan.FromSeconds(1);

    /// <summary>Wait before probing when 15 conflicts happened within 10 seconds (RFC 6762 §8.1).</summary>
    public static readonly TimeSpan ConflictBackoff = TimeSpan.FromSeconds(5);

    /// <summary>TTL cap of legacy unicast answers (RFC 6762 §6.7).</summary>
    public const uint LegacyUnicastMaxTtl = 10;

    private static readonly TimeSpan ConflictWindow = TimeSpan.FromSeconds(10);
    private const int ConflictBurst = 15;

    private readonly Dictionary<(int Interface, DnsResourceRecord Record), TimeSpan> _lastMulticast = [];
    private readonly Dictionary<int, PendingResponse> _pending = [];
    private readonly Queue<TimeSpan> _conflicts = new();
    private readonly HashSet<(int, int)> _linked = [];
    private string _nodeId = string.Empty;
    private TxtRecordData _txt = new([]);
    private ushort _port;
    private int _instanceAttempt = 1;
    private int _hostAttempt = 1;
    private int _generation;
    private int _probesSent;
    private int _announcementsSent;

    /// <summary>The current state.</summary>
    public MdnsResponderState State { get; private set; } = MdnsResponderState.Idle;

    /// <summary>The records under the current names (null before <see cref="Start"/>).</summary>
    public MdnsLocalService? Service { get; private set; }

    /// <summary>Builds the names from <paramref name="nodeId"/> and starts probing after a random 0–250 ms (RFC 6762 §8.1).</summary>
    public void Start(string nodeId, ushort port, TxtRecordData txt)
    {
        _nodeId = nodeId;
        _port = port;
        _txt = txt;
        Service = BuildService();
        BeginProbing(runtime.RandomDelay(0, 250));
    }

    /// <summary>Handles a query received on <paramref name="nic"/>.</summary>
    public void OnQuery(DnsMessage query, IPEndPoint source, MdnsInterface nic)
    {
        NoteOwnDatagram(source, nic);
        if (State == MdnsResponderState.Probing)
        {
            Tiebreak(query, nic);
            return;
        }

        if (State is not (MdnsResponderState.Announcing or MdnsResponderState.Announced) || Service is not { } service)
        {
            return;
        }

        var answers = new List<DnsResourceRecord>();
        var answered = new List<DnsQuestion>();
        var unicastAsked = false;
        var published = service.On(nic.Index);
        foreach (var question in query.Questions)
        {
            if (question.Class is not (DnsClass.Internet or DnsClass.Any))
            {
                continue;
            }

            var matched = published.Where(question.IsAnsweredBy).ToList();
            if (matched.Count == 0 && question.Type != DnsRecordType.Any)
            {
                // Negative answer for a name we own exclusively (RFC 6762 §6.1).
                if (question.Name == service.Instance)
                {
                    matched.Add(service.InstanceNsec);
                }
                else if (question.Name == service.Host)
                {
                    matched.Add(service.HostNsec(nic.Index));
                }
            }

            if (matched.Count > 0)
            {
                answered.Add(question);
                unicastAsked |= question.UnicastResponse;
                AddDistinct(answers, matched);
            }
        }

        // Known-answer suppression (RFC 6762 §7.1).
        answers.RemoveAll(a => IsKnown(query.Answers, a));
        if (answers.Count == 0)
        {
            return;
        }

        var additionals = AdditionalsFor(service, answers, nic).Where(r => !answers.Contains(r) && !IsKnown(query.Answers, r)).ToList();
        if (source.Port != runtime.Options.Port)
        {
            SendLegacyReply(query, answered, answers, additionals, source);
            return;
        }

        if (unicastAsked && answers.All(a => MulticastWithin(nic, a, TimeSpan.FromSeconds(a.Ttl / 4.0))))
        {
            runtime.SendUnicastResponse(source, query.Id, [], answers, additionals);
            return;
        }

        var limit = query.Authorities.Count > 0 ? ProbeDefenseRateLimit : MulticastRateLimit;
        answers.RemoveAll(a => MulticastWithin(nic, a, limit));
        if (answers.Count == 0)
        {
            return;
        }

        if (answers.Any(IsShared))
        {
            Defer(nic, answers, additionals);
        }
        else
        {
            Multicast(nic, answers, additionals);
        }
    }

    /// <summary>Handles a response (from the mDNS port) received on <paramref name="nic"/>: duplicate-answer suppression and conflict detection.</summary>
    public void OnResponse(DnsMessage response, IPEndPoint source, MdnsInterface nic)
    {
        if (Service is null || State is MdnsResponderState.Idle or MdnsResponderState.Stopped)
        {
            return;
        }

        NoteOwnDatagram(source, nic);
        var service = Service;

        // Duplicate answer suppression (RFC 6762 §7.4).
        if (_pending.TryGetValue(nic.Index, out var pending))
        {
            pending.Answers.RemoveAll(a => IsKnown(response.Answers, a));
        }

        foreach (var record in response.Answers.Concat(response.Additionals))
        {
            var instanceHit = record.Name == service.Instance;
            var hostHit = record.Name == service.Host;
            if (record.Ttl == 0 || !(instanceHit || hostHit) || service.IsOurs(record))
            {
                continue;
            }

            if (State == MdnsResponderState.Probing)
            {
                // Any record for a name being probed means someone owns it (RFC 6762 §8.1).
                Rename(instanceHit, hostHit, record.Name);
                return;
            }

            var sameRRset = (instanceHit && record.Type is DnsRecordType.Srv or DnsRecordType.Txt)
                || (hostHit && record.Type is DnsRecordType.A or DnsRecordType.Aaaa);
            if (sameRRset)
            {
                // A conflicting unique record after announcing: probe the name again (RFC 6762 §9).
                MdnsLog.AnnouncedConflict(runtime.Logger, record);
                RegisterConflict();
                BeginProbing(ConflictDelay());
                return;
            }
        }
    }

    /// <summary>Sends goodbyes (every published record with TTL 0, RFC 6762 §10.1) if the names were announced, and stops.</summary>
    /// <returns>Whether goodbyes were sent.</returns>
    public bool Stop()
    {
        var announced = State is MdnsResponderState.Announcing or MdnsResponderState.Announced;
        State = MdnsResponderState.Stopped;
        _generation++;
        _pending.Clear();
        if (!announced || Service is not { } service)
        {
            return false;
        }

        foreach (var nic in runtime.Interfaces)
        {
            // The service enumeration PTR is shared with every other Peat node on the link: no goodbye for it.
            var goodbyes = service.On(nic.Index).Where(r => r != service.ServiceEnumeration).Select(r => r with { Ttl = 0 }).ToList();
            runtime.SendResponse(nic, goodbyes, []);
        }

        return true;
    }

    /// <summary>
    /// A datagram we sent from one interface that arrives on another shows the two share a link (RFC 6762 §14): from
    /// then on each publishes both interfaces' addresses, and the merged address set is announced at once.
    /// </summary>
    private void NoteOwnDatagram(IPEndPoint source, MdnsInterface arrival)
    {
        var sender = runtime.Interfaces.FirstOrDefault(n => n.IPv4Addresses.Contains(source.Address));
        if (sender is null || sender.Index == arrival.Index || sender.IsLoopback || arrival.IsLoopback
            || !_linked.Add((Math.Min(sender.Index, arrival.Index), Math.Max(sender.Index, arrival.Index))))
        {
            return;
        }

        Service = BuildService();
        if (State is MdnsResponderState.Announcing or MdnsResponderState.Announced)
        {
            foreach (var nic in new[] { sender, arrival })
            {
                var addresses = Service.AddressesOn(nic.Index).ToList();
                runtime.SendResponse(nic, addresses, []);
                MarkMulticast(nic, addresses);
            }
        }
    }

    /// <summary>The interfaces known to share <paramref name="index"/>'s link (connected through observed pairs), itself included.</summary>
    private IReadOnlySet<int> SameLink(int index)
    {
        var group = new HashSet<int> { index };
        var grew = true;
        while (grew)
        {
            grew = false;
            foreach (var (x, y) in _linked)
            {
                if (group.Contains(x) != group.Contains(y))
                {
                    group.Add(x);
                    group.Add(y);
                    grew = true;
                }
            }
        }

        return group;
    }

    private MdnsLocalService BuildService()
    {
        var domain = runtime.ServiceType.Labels.Skip(2).ToList();
        var instance = DnsName.FromLabels([MdnsNames.InstanceLabel(_nodeId, _instanceAttempt), .. runtime.ServiceType.Labels]);
        var host = DnsName.FromLabels([MdnsNames.HostLabel(_nodeId, _hostAttempt), .. domain]);
        return new MdnsLocalService(runtime.ServiceType, instance, host, _port, _txt, runtime.Interfaces, SameLink, runtime.Options);
    }

    private void BeginProbing(TimeSpan delay)
    {
        var generation = ++_generation;
        State = MdnsResponderState.Probing;
        _probesSent = 0;
        _pending.Clear();
        runtime.Scheduler.Schedule(delay, () => SendProbe(generation));
    }

    private void SendProbe(int generation)
    {
        if (generation != _generation || Service is not { } service)
        {
            return;
        }

        foreach (var nic in runtime.Interfaces)
        {
            DnsQuestion[] questions =
            [
                new(service.Instance, DnsRecordType.Any, UnicastResponse: true),
                new(service.Host, DnsRecordType.Any, UnicastResponse: true),
            ];
            runtime.SendQuery(nic, questions, [], [.. service.ProposedOn(nic.Index)]);
        }

        _probesSent++;
        runtime.Scheduler.Schedule(ProbeInterval, () =>
        {
            if (generation != _generation)
            {
                return;
            }

            if (_probesSent < ProbeCount)
            {
                SendProbe(generation);
            }
            else
            {
                State = MdnsResponderState.Announcing;
                _announcementsSent = 0;
                SendAnnouncement(generation);
            }
        });
    }

    private void SendAnnouncement(int generation)
    {
        if (generation != _generation || Service is not { } service)
        {
            return;
        }

        foreach (var nic in runtime.Interfaces)
        {
            var records = service.On(nic.Index);
            runtime.SendResponse(nic, records, []);
            MarkMulticast(nic, records);
        }

        _announcementsSent++;
        if (_announcementsSent < runtime.Options.AnnounceCount)
        {
            var interval = runtime.Options.AnnounceInterval * Math.Pow(2, _announcementsSent - 1);
            runtime.Scheduler.Schedule(interval, () => SendAnnouncement(generation));
        }
        else
        {
            State = MdnsResponderState.Announced;
            MdnsLog.Announced(runtime.Logger, service.Instance, service.Host);
        }
    }

    /// <summary>Simultaneous probe tiebreaking (RFC 6762 §8.2).</summary>
    private void Tiebreak(DnsMessage probe, MdnsInterface nic)
    {
        if (probe.Authorities.Count == 0 || Service is not { } service)
        {
            return;
        }

        foreach (var name in new[] { service.Instance, service.Host })
        {
            var theirs = probe.Authorities.Where(r => r.Name == name).ToList();
            if (theirs.Count == 0 || theirs.All(service.IsOurs))
            {
                // Our own probe, looped back or heard through another of our interfaces on the same link.
                continue;
            }

            var ours = service.ProposedOn(nic.Index).Where(r => r.Name == name).ToList();
            if (CompareLexicographically(ours, theirs) < 0)
            {
                MdnsLog.TiebreakLost(runtime.Logger, name);
                BeginProbing(TiebreakDeferral);
                return;
            }
        }
    }

    /// <summary>
    /// Orders two record sets as RFC 6762 §8.2 does: each sorted by class, type, then raw uncompressed rdata; compared
    /// pairwise; when one runs out first it is the earlier.
    /// </summary>
    internal static int CompareLexicographically(IReadOnlyList<DnsResourceRecord> ours, IReadOnlyList<DnsResourceRecord> theirs)
    {
        static List<(ushort Class, ushort Type, byte[] Data)> Sorted(IEnumerable<DnsResourceRecord> records) => records
            .Select(r => (r.Class, (ushort)r.Type, r.Data.ToCanonicalBytes()))
            .OrderBy(t => t.Class).ThenBy(t => t.Item2).ThenBy(t => t.Item3, ByteOrder.Instance)
            .ToList();

        var a = Sorted(ours);
        var b = Sorted(theirs);
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = a[i].Class.CompareTo(b[i].Class);
            c = c != 0 ? c : a[i].Type.CompareTo(b[i].Type);
            c = c != 0 ? c : ByteOrder.Instance.Compare(a[i].Data, b[i].Data);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private void Rename(bool instance, bool host, DnsName conflicted)
    {
        if (instance)
        {
            _instanceAttempt++;
        }

        if (host)
        {
            _hostAttempt++;
        }

        Service = BuildService();
        _lastMulticast.Clear();
        MdnsLog.NameConflict(runtime.Logger, conflicted, Service.Instance, Service.Host);
        RegisterConflict();
        BeginProbing(ConflictDelay());
    }

    private void RegisterConflict()
    {
        _conflicts.Enqueue(runtime.Now);
        while (_conflicts.Count > 0 && runtime.Now - _conflicts.Peek() > ConflictWindow)
        {
            _conflicts.Dequeue();
        }
    }

    private TimeSpan ConflictDelay() => _conflicts.Count >= ConflictBurst ? ConflictBackoff : runtime.RandomDelay(0, 250);

    private void Defer(MdnsInterface nic, List<DnsResourceRecord> answers, List<DnsResourceRecord> additionals)
    {
        // Shared answers wait 20-120 ms so that several responders do not collide (RFC 6762 §6).
        if (!_pending.TryGetValue(nic.Index, out var pending))
        {
            pending = new PendingResponse();
            _pending[nic.Index] = pending;
            var generation = _generation;
            runtime.Scheduler.Schedule(runtime.RandomDelay(20, 120), () =>
            {
                if (generation != _generation || !_pending.Remove(nic.Index, out var due) || due != pending)
                {
                    return;
                }

                due.Answers.RemoveAll(a => MulticastWithin(nic, a, MulticastRateLimit));
                if (due.Answers.Count > 0)
                {
                    Multicast(nic, due.Answers, [.. due.Additionals.Where(r => !due.Answers.Contains(r))]);
                }
            });
        }

        AddDistinct(pending.Answers, answers);
        AddDistinct(pending.Additionals, additionals);
    }

    private void Multicast(MdnsInterface nic, List<DnsResourceRecord> answers, List<DnsResourceRecord> additionals)
    {
        runtime.SendResponse(nic, answers, additionals);
        MarkMulticast(nic, answers);
        MarkMulticast(nic, additionals);
    }

    private void SendLegacyReply(
        DnsMessage query, List<DnsQuestion> answered, List<DnsResourceRecord> answers, List<DnsResourceRecord> additionals, IPEndPoint source)
    {
        // RFC 6762 §6.7: echo id and question, TTL at most 10 s, no cache-flush bit.
        static DnsResourceRecord Legacy(DnsResourceRecord r) => r with { Ttl = Math.Min(r.Ttl, LegacyUnicastMaxTtl), CacheFlush = false };
        runtime.SendUnicastResponse(source, query.Id, answered, [.. answers.Select(Legacy)], [.. additionals.Select(Legacy)]);
    }

    private static IEnumerable<DnsResourceRecord> AdditionalsFor(MdnsLocalService service, List<DnsResourceRecord> answers, MdnsInterface nic)
    {
        // RFC 6763 §12.1-12.2: a PTR answer brings SRV, TXT and addresses; an SRV answer brings the addresses.
        var result = new List<DnsResourceRecord>();
        if (answers.Contains(service.Pointer))
        {
            AddDistinct(result, [service.Service, service.Text]);
        }

        if (answers.Contains(service.Pointer) || answers.Contains(service.Service))
        {
            AddDistinct(result, [.. service.AddressesOn(nic.Index), service.HostNsec(nic.Index)]);
        }

        return result;
    }

    private static bool IsKnown(IReadOnlyList<DnsResourceRecord> known, DnsResourceRecord ours) =>
        known.Any(k => k.HasSameData(ours) && k.Ttl >= ours.Ttl / 2);

    private static bool IsShared(DnsResourceRecord record) => record.Type == DnsRecordType.Ptr;

    private static void AddDistinct(List<DnsResourceRecord> list, IEnumerable<DnsResourceRecord> records)
    {
        foreach (var record in records)
        {
            if (!list.Contains(record))
            {
                list.Add(record);
            }
        }
    }

    private bool MulticastWithin(MdnsInterface nic, DnsResourceRecord record, TimeSpan window) =>
        _lastMulticast.TryGetValue((nic.Index, record), out var at) && runtime.Now - at < window;

    private void MarkMulticast(MdnsInterface nic, IEnumerable<DnsResourceRecord> records)
    {
        foreach (var record in records)
        {
            _lastMulticast[(nic.Index, record)] = runtime.Now;
        }
    }

    private sealed class PendingResponse
    {
        public List<DnsResourceRecord> Answers { get; } = [];

        public List<DnsResourceRecord> Additionals { get; } = [];
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
