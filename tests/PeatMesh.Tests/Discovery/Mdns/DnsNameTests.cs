using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

public class DnsNameTests
{
    [Fact]
    public void Parse_EscapedDots_StayInsideTheLabel()
    {
        var name = DnsName.Parse(@"my\.node\\x._peat._udp.local.");

        Assert.Equal([@"my.node\x", "_peat", "_udp", "local"], name.Labels);
        Assert.Equal(@"my\.node\\x._peat._udp.local", name.ToString());
        Assert.Equal(name, DnsName.Parse(name.ToString()));
    }

    [Fact]
    public void Equals_IgnoresAsciiCaseOnly()
    {
        Assert.Equal(DnsName.Parse("Node-A.LOCAL"), DnsName.Parse("node-a.local"));
        Assert.Equal(DnsName.Parse("Node-A.LOCAL").GetHashCode(), DnsName.Parse("node-a.local").GetHashCode());
        Assert.NotEqual(DnsName.Parse("Éa.local"), DnsName.Parse("éa.local"));
        Assert.NotEqual(DnsName.Parse("a.local"), DnsName.Parse("a.local.x"));
    }

    [Fact]
    public void FromLabels_Limits_AreEnforced()
    {
        Assert.Equal(63 + 2, DnsName.FromLabels(new string('x', 63)).WireLength);
        Assert.Throws<ArgumentException>(() => DnsName.FromLabels(new string('x', 64)));
        Assert.Throws<ArgumentException>(() => DnsName.FromLabels("é" + new string('x', 62))); // 64 bytes of UTF-8
        Assert.Throws<ArgumentException>(() => DnsName.FromLabels(""));
        Assert.Throws<ArgumentException>(() => DnsName.FromLabels("\ud800"));
        var fourLabels = Enumerable.Repeat(new string('x', 62), 4).ToArray(); // 4 * 63 + 1 = 253 bytes
        Assert.Equal(253, DnsName.FromLabels(fourLabels).WireLength);
        Assert.Throws<ArgumentException>(() => DnsName.FromLabels([.. fourLabels, "ab"])); // 256 bytes
        Assert.Throws<FormatException>(() => DnsName.Parse("a..local"));
        Assert.Throws<FormatException>(() => DnsName.Parse("a.local\\"));
    }

    [Fact]
    public void IsChildOf_OnlyOneLabelBelow()
    {
        var service = DnsName.Parse("_peat._udp.local");

        Assert.True(DnsName.Parse("x._PEAT._udp.local").IsChildOf(service));
        Assert.False(DnsName.Parse("y.x._peat._udp.local").IsChildOf(service));
        Assert.False(service.IsChildOf(service));
        Assert.True(DnsName.Parse("y.x._peat._udp.local").EndsWith(service));
        Assert.Equal(".", DnsName.Root.ToString());
    }
}
