using System.Text;
using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

public class MdnsNamesTests
{
    [Theory]
    [InlineData("peat-mesh-0", "peat-mesh-0")]
    [InlineData("Node_A.1", "node-a-1")]
    [InlineData("--x--", "x")]
    [InlineData("ÆØÅ", "peat")]
    public void HostLabel_Sanitises(string nodeId, string expected) => Assert.Equal(expected, MdnsNames.HostLabel(nodeId, 1));

    [Fact]
    public void HostLabel_Conflict_AppendsCounterWithinSixtyThreeBytes()
    {
        Assert.Equal("node-a-2", MdnsNames.HostLabel("node-a", 2));
        var renamed = MdnsNames.HostLabel(new string('h', 70), 12);
        Assert.Equal(63, renamed.Length);
        Assert.EndsWith("-12", renamed);
    }

    [Fact]
    public void InstanceLabel_KeepsAnyCharacter_AndCutsAtCharacterBoundaries()
    {
        Assert.Equal("Node A.1", MdnsNames.InstanceLabel("Node A.1", 1));
        Assert.Equal("Node A.1 (2)", MdnsNames.InstanceLabel("Node A.1", 2));
        var longId = new string('x', 61) + "éé"; // 65 bytes
        var cut = MdnsNames.InstanceLabel(longId, 1);
        Assert.Equal(new string('x', 61) + "é", cut);
        Assert.Equal(63, Encoding.UTF8.GetByteCount(cut));
        var renamed = MdnsNames.InstanceLabel(longId, 3);
        Assert.True(Encoding.UTF8.GetByteCount(renamed) <= 63);
        Assert.EndsWith(" (3)", renamed);
        Assert.Equal("a", MdnsNames.TruncateUtf8("a😀", 4)); // the emoji needs 4 bytes, only 3 are left
    }
}
