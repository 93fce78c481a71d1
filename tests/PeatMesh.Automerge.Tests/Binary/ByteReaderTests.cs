using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class ByteReaderTests
{
    [Fact]
    public void ReadBytes_PastEnd_ThrowsFormatException()
    {
        var ok = false;
        try
        {
            var reader = new ByteReader([1, 2, 3]);
            reader.ReadBytes(2);
            ok = true;
            reader.ReadBytes(2);
        }
        catch (AutomergeFormatException)
        {
            Assert.True(ok);
            return;
        }

        Assert.Fail("Reading past the end did not throw.");
    }

    [Fact]
    public void ReadLength_LongerThanInput_Throws()
    {
        Assert.Throws<AutomergeFormatException>(() =>
        {
            var reader = new ByteReader([0x05, 1, 2]);
            return reader.ReadLength();
        });
    }

    [Fact]
    public void ReadCount_HugeCount_ThrowsBeforeAllocating()
    {
        // 2^63 hashes claimed by a 10-byte input.
        Assert.Throws<AutomergeFormatException>(() =>
        {
            var reader = new ByteReader(Convert.FromHexString("ffffffffffffffff7f00"));
            return reader.ReadChangeHashes().Length;
        });
    }

    [Fact]
    public void ReadString_InvalidUtf8_Throws()
    {
        Assert.Throws<AutomergeFormatException>(() =>
        {
            var reader = new ByteReader([0x02, 0xc3, 0x28]);
            return reader.ReadString();
        });
    }

    [Fact]
    public void ReadString_ValidUtf8_RoundTripsThroughWriter()
    {
        var writer = new ByteWriter();
        writer.WriteString("héllo 🇬🇧");
        writer.WriteUInt64(300);
        writer.WriteInt64(-3);
        var reader = new ByteReader(writer.WrittenSpan);
        Assert.Equal("héllo 🇬🇧", reader.ReadString());
        Assert.Equal(300UL, reader.ReadUInt64());
        Assert.Equal(-3L, reader.ReadInt64());
        Assert.True(reader.IsEnd);
    }

    [Fact]
    public void WriteString_LoneSurrogate_ThrowsArgumentException()
    {
        var writer = new ByteWriter();
        Assert.Throws<ArgumentException>(() => writer.WriteString("a\ud800b"));
    }

    [Fact]
    public void ByteWriter_ManyWrites_GrowsAndKeepsContent()
    {
        var writer = new ByteWriter(1);
        for (var i = 0; i < 5000; i++)
        {
            writer.WriteByte((byte)i);
        }

        Assert.Equal(5000, writer.Length);
        Assert.Equal((byte)(4999 & 0xff), writer.WrittenSpan[4999]);
    }
}
