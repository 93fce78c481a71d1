namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// Records learned from other responders, per interface, with expiry (RFC 6762 §10): goodbyes (TTL 0) expire in
/// one second (§10.1), a cache-flush record expires other data of its RRset received more than a second ago on the
/// same interface (§10.2), and each entry has refresh points at 80, 85, 90 and 95 % of its TTL plus 0–2 % jitter (§5.2).
/// </summary>
/// <remarks>Bounded by a capacity; not thread-safe (used under <see cref="MdnsDiscovery"/>'s gate).</remarks>
internal sealed class MdnsRecordCache(int capacity)
{
    /// <summary>How long a goodbye or flushed record lingers (RFC 6762 §10.1, §10.2).</summary>
    public static readonly TimeSpan GraceOnRemoval = TimeSpan.FromSeconds(1);

    /// <summary>Longest TTL honoured: larger values (up to 2^32-1 s on the wire) are capped at one day.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(1);

    private static readonly double[] RefreshFractions = [0.80, 0.85, 0.90, 0.95];
    private readonly Dictionary<(DnsName Name, DnsRecordType Type), List<Entry>> _sets = [];
    private int _count;

    /// <summary>Number of records held.</summary>
    public int Count => _count;

    /// <summary>Every entry.</summary>
    public IEnumerable<Entry> Entries => _sets.Values.SelectMany(s => s);

    /// <summary>The entries named <paramref name="name"/> of type <paramref name="type"/>, on every interface.</summary>
    public IReadOnlyList<Entry> Find(DnsName name, DnsRecordType type) =>
        _sets.TryGetValue((name, type), out var set) ? set : [];

    /// <summary>Adds or refreshes <paramref name="record"/> received on <paramref name="interfaceIndex"/>.</summary>
    /// <returns><see langword="false"/> when the cache is full and the record was dropped.</returns>
    public bool Add(DnsResourceRecord record, int interfaceIndex, TimeSpan now, Random random)
    {
        var key = (record.Name, record.Type);
        _sets.TryGetValue(key, out var set);
        if (record.CacheFlush && set is not null)
        {
            foreach (var other in set)
            {
                if (other.InterfaceIndex == interfaceIndex && !other.Record.HasSameData(record) && now - other.ReceivedAt > GraceOnRemoval)
                {
                    other.ExpireSoon(now + GraceOnRemoval);
                }
            }
        }

        var existing = set?.Find(e => e.InterfaceIndex == interfaceIndex && e.Record.HasSameData(record));
        if (record.Ttl == 0)
        {
            existing?.ExpireSoon(now + GraceOnRemoval);
            return true;
        }

        if (existing is not null)
        {
            existing.Refresh(record, now, random);
            return true;
        }

        if (_count >= capacity)
        {
            return false;
        }

        if (set is null)
        {
            set = [];
            _sets[key] = set;
        }

        var entry = new Entry(record, interfaceIndex);
        entry.Refresh(record, now, random);
        set.Add(entry);
        _count++;
        return true;
    }

    /// <summary>Removes every entry whose time is up.</summary>
    /// <returns>Whether anything was removed.</returns>
    public bool RemoveExpired(TimeSpan now)
    {
        var removed = false;
        foreach (var (key, set) in _sets.ToList())
        {
            var n = set.RemoveAll(e => e.ExpiresAt <= now);
            if (n > 0)
            {
                _count -= n;
                removed = true;
            }

            if (set.Count == 0)
            {
                _sets.Remove(key);
            }
        }

        return removed;
    }

    /// <summary>The earliest expiry or refresh point, if any entry exists.</summary>
    public TimeSpan? NextDue() => Entries.Select(e => (TimeSpan?)e.NextDue).Min();

    /// <summary>Entries at or past a refresh point (each point is reported once).</summary>
    public List<Entry> TakeDueRefreshes(TimeSpan now)
    {
        var due = new List<Entry>();
        foreach (var entry in Entries)
        {
            if (entry.NextRefreshAt is { } at && at <= now)
            {
                entry.AdvanceRefresh();
                due.Add(entry);
            }
        }

        return due;
    }

    /// <summary>One cached record.</summary>
    internal sealed class Entry(DnsResourceRecord record, int interfaceIndex)
    {
        private TimeSpan[] _refreshAt = [];
        private int _nextRefresh;

        /// <summary>The record as last received.</summary>
        public DnsResourceRecord Record { get; private set; } = record;

        /// <summary>The interface it was received on.</summary>
        public int InterfaceIndex { get; } = interfaceIndex;

        /// <summary>When it was last received.</summary>
        public TimeSpan ReceivedAt { get; private set; }

        /// <summary>When it expires.</summary>
        public TimeSpan ExpiresAt { get; private set; }

        /// <summary>Whether it was withdrawn (goodbye or flushed) and is only lingering.</summary>
        public bool IsExpiring { get; private set; }

        /// <summary>The next refresh point, or null when none is left.</summary>
        public TimeSpan? NextRefreshAt => !IsExpiring && _nextRefresh < _refreshAt.Length ? _refreshAt[_nextRefresh] : null;

        /// <summary>The earlier of expiry and the next refresh point.</summary>
        public TimeSpan NextDue => NextRefreshAt is { } r && r < ExpiresAt ? r : ExpiresAt;

        /// <summary>Remaining TTL at <paramref name="now"/>, in whole seconds.</summary>
        public uint RemainingTtl(TimeSpan now) => (uint)Math.Max(0, Math.Floor((ExpiresAt - now).TotalSeconds));

        /// <summary>Takes the newly received copy: new TTL, new refresh points.</summary>
        public void Refresh(DnsResourceRecord received, TimeSpan now, Random random)
        {
            var ttl = TimeSpan.FromSeconds(received.Ttl);
            ttl = ttl > MaxTtl ? MaxTtl : ttl;
            Record = received;
            ReceivedAt = now;
            ExpiresAt = now + ttl;
            IsExpiring = false;
            _refreshAt = [.. RefreshFractions.Select(f => now + (ttl * (f + (random.NextDouble() * 0.02))))];
            _nextRefresh = 0;
        }

        /// <summary>Makes the entry expire at <paramref name="at"/> (if sooner) without further refreshes.</summary>
        public void ExpireSoon(TimeSpan at)
        {
            IsExpiring = true;
            if (at < ExpiresAt)
            {
                ExpiresAt = at;
            }
        }

        /// <summary>Moves past the current refresh point.</summary>
        public void AdvanceRefresh() => _nextRefresh++;
    }
}
