using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;

namespace PeatMesh.Automerge.Tests.Sync;

public class SyncStateEncodingTests
{
    [Fact]
    public void Encode_TwoHeads_HasSpecLayout()
    {
        var a = ChangeHash.FromBytes(Enumerable.Repeat((byte)0xaa, 32).ToArray());
        var b = ChangeHash.FromBytes(Enumerable.Repeat((byte)0xbb, 32).ToArray());
        var bytes = SyncStateEncoding.Encode([a, b]);
        Assert.Equal(1 + 1 + 64, bytes.Length);
        Assert.Equal(0x43, bytes[0]);
        Assert.Equal(2, bytes[1]);
        Assert.Equal(new[] { a, b }, SyncStateEncoding.Decode(bytes));
    }

    [Fact]
    public void Encode_NoHeads_IsTwoBytes()
    {
        Assert.Equal(new byte[] { 0x43, 0x00 }, SyncStateEncoding.Encode([]));
        Assert.Empty(SyncStateEncoding.Decode([0x43, 0x00]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4200")] // wrong type
    [InlineData("4301")] // truncated
    [InlineData("430000")] // trailing
    [InlineData("43ffffffff0f")] // count beyond input
    public void Decode_Malformed_Throws(string hex)
    {
        Assert.Throws<AutomergeFormatException>(() => SyncStateEncoding.Decode(Convert.FromHexString(hex)));
    }
}
