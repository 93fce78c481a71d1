namespace PeatMesh.Discovery.Mdns;

/// <summary>A question: a name, a type (or <see cref="DnsRecordType.Any"/>) and a class (RFC 1035 §4.1.2).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Name">The name asked about.</param>
/// <param name="Type">The record type asked for.</param>
/// <param name="UnicastResponse">The QU bit: the querier asks for a unicast response (RFC 6762 §5.4).</param>
/// <param name="Class">The class without the QU bit; defaults to <see cref="DnsClass.Internet"/>.</param>
public sealed record DnsQuestion(DnsName Name, DnsRecordType Type, bool UnicastResponse = false, ushort Class = DnsClass.Internet)
{
    /// <summary>Whether <paramref name="record"/> answers this question (name, class and type match; <c>ANY</c> matches every type).</summary>
    public bool IsAnsweredBy(DnsResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (Class == DnsClass.Any || Class == record.Class)
            && (Type == DnsRecordType.Any || Type == record.Type)
            && Name == record.Name;
    }

    /// <summary><c>name TYPE</c>, plus <c>QU</c> when a unicast response is asked for.</summary>
    public override string ToString() => $"{Name} {Type}{(UnicastResponse ? " QU" : string.Empty)}";
}
