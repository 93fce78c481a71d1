namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// Builds one DNS message section by section within a size budget (RFC 1035 §4.1; RFC 6762 §17 caps mDNS
/// messages at 9000 bytes). Owner names, question names and PTR targets are compressed when asked; SRV and NSEC
/// names never are.
/// </summary>
/// <remarks>Not thread-safe. An entry that would exceed the budget is not written (<c>TryAdd…</c> returns
/// <see langword="false"/>) and the message stays valid.</remarks>
internal sealed class DnsMessageWriter
{
    private const int HeaderBytes = 12;
    private readonly DnsWireWriter _wire = new(compressionTable: true);
    private readonly int _maxBytes;
    private readonly bool _compress;
    private readonly int[] _counts = new int[4];
    private DnsSection _section = DnsSection.Question;

    /// <summary>Starts a message.</summary>
    /// <param name="id">The message id (0 for mDNS multicast, RFC 6762 §18.1).</param>
    /// <param name="flags">The flags word (QR, opcode, AA, TC, RD, RA, Z, RCODE).</param>
    /// <param name="maxBytes">Size budget in bytes, at least 12.</param>
    /// <param name="compressNames">Whether names use compression pointers.</param>
    public DnsMessageWriter(ushort id, ushort flags, int maxBytes = DnsMessage.MaxPacketBytes, bool compressNames = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, HeaderBytes);
        _maxBytes = maxBytes;
        _compress = compressNames;
        _wire.WriteUInt16(id);
        _wire.WriteUInt16(flags);
        for (var i = 0; i < 4; i++)
        {
            _wire.WriteUInt16(0);
        }
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _wire.Length;

    /// <summary>Entries written in <paramref name="section"/>.</summary>
    public int Count(DnsSection section) => _counts[(int)section];

    /// <summary>Appends a question, unless it would exceed the budget.</summary>
    /// <exception cref="InvalidOperationException">A later section was already started.</exception>
    public bool TryAddQuestion(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        Enter(DnsSection.Question);
        var mark = _wire.Mark();
        _wire.WriteName(question.Name, _compress);
        _wire.WriteUInt16((ushort)question.Type);
        _wire.WriteUInt16((ushort)(question.Class | (question.UnicastResponse ? DnsClass.TopBit : 0)));
        return Commit(DnsSection.Question, mark);
    }

    /// <summary>Appends a record to <paramref name="section"/>, unless it would exceed the budget.</summary>
    /// <exception cref="InvalidOperationException">A later section was already started, or <paramref name="section"/> is the question section.</exception>
    public bool TryAddRecord(DnsSection section, DnsResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (section == DnsSection.Question)
        {
            throw new InvalidOperationException("Records go in the answer, authority or additional section.");
        }

        Enter(section);
        var mark = _wire.Mark();
        _wire.WriteName(record.Name, _compress);
        _wire.WriteUInt16((ushort)record.Type);
        _wire.WriteUInt16((ushort)(record.Class | (record.CacheFlush ? DnsClass.TopBit : 0)));
        _wire.WriteUInt32(record.Ttl);
        var lengthAt = _wire.Length;
        _wire.WriteUInt16(0);
        record.Data.Write(_wire, _compress);
        var dataLength = _wire.Length - lengthAt - 2;
        if (dataLength > ushort.MaxValue)
        {
            _wire.Rollback(mark);
            return false;
        }

        _wire.PatchUInt16(lengthAt, (ushort)dataLength);
        return Commit(section, mark);
    }

    /// <summary>The finished message.</summary>
    public byte[] ToArray()
    {
        for (var i = 0; i < 4; i++)
        {
            _wire.PatchUInt16(4 + (2 * i), (ushort)_counts[i]);
        }

        return _wire.ToArray();
    }

    private void Enter(DnsSection section)
    {
        if (section < _section)
        {
            throw new InvalidOperationException($"The {section} section comes before the {_section} section already written.");
        }

        _section = section;
    }

    private bool Commit(DnsSection section, (int Length, int Journal) mark)
    {
        if (_wire.Length > _maxBytes || _counts[(int)section] == ushort.MaxValue)
        {
            _wire.Rollback(mark);
            return false;
        }

        _counts[(int)section]++;
        return true;
    }
}
