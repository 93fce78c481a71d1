using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class ColumnMetadataTests
{
    private static RawColumn[] Read(string hex, bool allowDeflate = false)
    {
        var reader = new ByteReader(Convert.FromHexString(hex));
        return ColumnMetadata.Read(ref reader, allowDeflate, out _);
    }

    [Fact]
    public void Read_DemoChangeMetadata_ListsTenColumns()
    {
        // automerge.md §2.7: (1,2)(2,2)(17,4)(19,3)(52,2)(66,2)(86,3)(112,2)(148,2)(165,8) + 24 data bytes
        var hex = "0a" + "0102" + "0202" + "1104" + "1303" + "3402" + "4202" + "5603" + "7002" + "940102" + "a50108" + new string('0', 60);
        var columns = Read(hex);
        Assert.Equal(new uint[] { 1, 2, 17, 19, 52, 66, 86, 112, 148, 165 }, columns.Select(c => c.Spec.Raw).ToArray());
        Assert.Equal(new[] { 2, 2, 4, 3, 2, 2, 3, 2, 2, 8 }, columns.Select(c => c.Length).ToArray());
        Assert.Equal(0, columns[0].Offset);
        Assert.Equal(2 + 2 + 4 + 3 + 2 + 2 + 3 + 2 + 2, columns[^1].Offset);
    }

    [Theory]
    [InlineData("020200010000")] // 2 then 1: out of order
    [InlineData("02020102010000")] // duplicate spec 2
    [InlineData("02020102 0a01 0000")] // 2 and deflated 2 (10) normalize equal
    [InlineData("01570100")] // raw value column (87) without metadata
    [InlineData("010205")] // data longer than what follows
    [InlineData("01ffffffff1f01")] // spec above u32
    [InlineData("ff")] // truncated count
    public void Read_Invalid_Throws(string hex)
    {
        hex = hex.Replace(" ", string.Empty, StringComparison.Ordinal);
        Assert.Throws<AutomergeFormatException>(() => Read(hex));
    }

    [Fact]
    public void Read_ValueColumnAfterItsMetadata_Accepted()
    {
        var columns = Read("0256015701" + "7f00"); // (86,1)(87,1) + two data bytes
        Assert.Equal(new uint[] { 86, 87 }, columns.Select(c => c.Spec.Raw).ToArray());
    }

    [Fact]
    public void Read_DeflatedColumn_OnlyAllowedWhenRequested()
    {
        const string hex = "010a0100"; // spec 10 = id 0, deflate, Integer
        Assert.Throws<AutomergeFormatException>(() => Read(hex));
        Assert.True(Assert.Single(Read(hex, allowDeflate: true)).Spec.IsDeflated);
    }
}
