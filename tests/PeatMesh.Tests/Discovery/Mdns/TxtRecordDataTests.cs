using System.Text;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>DNS-SD TXT attribute rules (RFC 6763 §6.3-6.6).</summary>
public class TxtRecordDataTests
{
    private static TxtRecordData Raw(params string[] strings) => new(strings.Select(s => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(s)));

    [Fact]
    public void Entries_FirstOccurrenceWins_CaseInsensitively()
    {
        var entries = Raw("Node_Id=first", "node_id=second", "proto=1").Entries;

        Assert.Equal(["Node_Id=first", "proto=1"], entries.Select(e => e.ToString()));
    }

    [Fact]
    public void Entries_BooleanEmptyAndEqualsInValue()
    {
        var entries = Raw("flag", "empty=", "eq=a=b").Entries;

        Assert.Null(entries[0].Value);
        Assert.Equal(string.Empty, entries[0].ValueText);
        Assert.Equal(0, entries[1].Value!.Value.Length);
        Assert.Equal("a=b", entries[2].ValueText);
    }

    [Fact]
    public void Entries_SkipsEmptyStringsMissingKeysAndNonPrintableKeys()
    {
        var entries = Raw("", "=novalue", "bad\u0001key=x", "ok=1").Entries;

        Assert.Equal(["ok=1"], entries.Select(e => e.ToString()));
    }

    [Fact]
    public void Entries_BinaryValue_HasNoText()
    {
        var txt = new TxtRecordData([new byte[] { (byte)'k', (byte)'=', 0xFF, 0xFE }]);

        var entry = Assert.Single(txt.Entries);
        Assert.Null(entry.ValueText);
        Assert.Equal(new byte[] { 0xFF, 0xFE }, entry.Value!.Value.ToArray());
    }

    [Fact]
    public void FromAttributes_RejectsBadKeysAndLongEntries()
    {
        Assert.Throws<ArgumentException>(() => TxtRecordData.FromAttributes([new("", "x")]));
        Assert.Throws<ArgumentException>(() => TxtRecordData.FromAttributes([new("a=b", "x")]));
        Assert.Throws<ArgumentException>(() => TxtRecordData.FromAttributes([new("k\u00e9y", "x")]));
        Assert.Throws<ArgumentException>(() => TxtRecordData.FromAttributes([new("key", new string('v', 252))]));
        Assert.Equal(255, TxtRecordData.FromAttributes([new("key", new string('v', 251))]).Strings[0].Length);
    }

    [Fact]
    public void Empty_IsWrittenAsOneEmptyString()
    {
        var record = new DnsResourceRecord(DnsName.Parse("x._peat._udp.local"), new TxtRecordData([]), 4500);

        var bytes = new DnsMessage { Answers = [record] }.ToArray();

        Assert.Equal(new byte[] { 0, 1, 0 }, bytes[^3..]); // RDLENGTH 1, then the zero-length string
    }
}
