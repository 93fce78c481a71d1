using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

public class Leb128Tests
{
    // Standard LEB128 vectors (DWARF / Automerge binary format §2.1).
    [Theory]
    [InlineData("00", 0UL)]
    [InlineData("7f", 127UL)]
    [InlineData("8001", 128UL)]
    [InlineData("ff7f", 16383UL)]
    [InlineData("e58e26", 624485UL)]
    [InlineData("ffffffff0f", 4294967295UL)]
    [InlineData("ffffffffffffffffff01", ulong.MaxValue)]
    public void ReadUnsigned_ValidEncoding_ReturnsValueAndLength(string hex, ulong expected)
    {
        var bytes = Convert.FromHexString(hex);
        var value = Leb128.ReadUnsigned(bytes, out var read);
        Assert.Equal(expected, value);
        Assert.Equal(bytes.Length, read);
    }

    [Theory]
    [InlineData("00", 0L)]
    [InlineData("7f", -1L)]
    [InlineData("3f", 63L)]
    [InlineData("40", -64L)]
    [InlineData("8001", 128L)]
    [InlineData("ff3f", 8191L)]
    [InlineData("8040", -8192L)]
    [InlineData("c0bb78", -123456L)]
    [InlineData("817f", -127L)]
    [InlineData("ffffffffffffffffff00", long.MaxValue)]
    [InlineData("8080808080808080807f", long.MinValue)]
    public void ReadSigned_ValidEncoding_ReturnsValueAndLength(string hex, long expected)
    {
        var bytes = Convert.FromHexString(hex);
        var value = Leb128.ReadSigned(bytes, out var read);
        Assert.Equal(expected, value);
        Assert.Equal(bytes.Length, read);
    }

    [Theory]
    [InlineData("8100")] // overlong: final zero byte
    [InlineData("808000")]
    [InlineData("ffffffffffffffffff02")] // 65 bits
    [InlineData("818181818181818181818181")] // too many bytes
    [InlineData("ff")] // truncated
    [InlineData("")]
    public void ReadUnsigned_Invalid_Throws(string hex)
    {
        Assert.Throws<AutomergeFormatException>(() => Leb128.ReadUnsigned(Convert.FromHexString(hex), out _));
    }

    [Theory]
    [InlineData("bf00")] // overlong positive
    [InlineData("81ff7f")] // overlong negative
    [InlineData("ffffffffffffffffff01")] // too many positive bits
    [InlineData("8080808080808080807e")] // too many negative bits
    [InlineData("90")] // truncated
    public void ReadSigned_Invalid_Throws(string hex)
    {
        Assert.Throws<AutomergeFormatException>(() => Leb128.ReadSigned(Convert.FromHexString(hex), out _));
    }

    [Theory]
    [InlineData("ffffffff1f")]
    [InlineData("8080808010")]
    public void ReadUnsigned32_AboveU32_Throws(string hex)
    {
        Assert.Throws<AutomergeFormatException>(() => Leb128.ReadUnsigned32(Convert.FromHexString(hex), out _));
    }

    [Fact]
    public void ReadUnsigned32_Max_Accepted()
    {
        Assert.Equal(uint.MaxValue, Leb128.ReadUnsigned32(Convert.FromHexString("ffffffff0f"), out _));
    }

    [Fact]
    public void WriteUnsigned_RandomValues_RoundTripMinimally()
    {
        var random = new Random(1234);
        Span<byte> buffer = stackalloc byte[Leb128.MaxLength];
        for (var i = 0; i < 10_000; i++)
        {
            var value = (ulong)random.NextInt64() >> random.Next(64);
            var n = Leb128.WriteUnsigned(buffer, value);
            Assert.Equal(Leb128.UnsignedLength(value), n);
            Assert.Equal(value, Leb128.ReadUnsigned(buffer[..n], out var read));
            Assert.Equal(n, read);
        }
    }

    [Fact]
    public void WriteSigned_RandomValues_RoundTripMinimally()
    {
        var random = new Random(4321);
        Span<byte> buffer = stackalloc byte[Leb128.MaxLength];
        long[] edges = [0, -1, 63, 64, -64, -65, long.MaxValue, long.MinValue];
        foreach (var edge in edges)
        {
            var n = Leb128.WriteSigned(buffer, edge);
            Assert.Equal(edge, Leb128.ReadSigned(buffer[..n], out _));
        }

        for (var i = 0; i < 10_000; i++)
        {
            var value = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
            var n = Leb128.WriteSigned(buffer, value);
            Assert.Equal(Leb128.SignedLength(value), n);
            Assert.Equal(value, Leb128.ReadSigned(buffer[..n], out var read));
            Assert.Equal(n, read);
        }
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(127UL, 1)]
    [InlineData(128UL, 2)]
    [InlineData(ulong.MaxValue, 10)]
    public void UnsignedLength_KnownValues_Match(ulong value, int expected) => Assert.Equal(expected, Leb128.UnsignedLength(value));

    [Theory]
    [InlineData(63L, 1)]
    [InlineData(64L, 2)]
    [InlineData(-64L, 1)]
    [InlineData(-65L, 2)]
    [InlineData(long.MinValue, 10)]
    public void SignedLength_KnownValues_Match(long value, int expected) => Assert.Equal(expected, Leb128.SignedLength(value));

    [Fact]
    public void Lengths_AroundEveryPowerOfTwo_MatchSevenBitsPerByte()
    {
        for (var shift = 0; shift < 64; shift++)
        {
            foreach (var delta in new[] { -1L, 0L, 1L })
            {
                var unsigned = (1UL << shift) + (ulong)delta;
                Assert.Equal(ReferenceUnsignedLength(unsigned), Leb128.UnsignedLength(unsigned));
                var signed = (long)unsigned;
                Assert.Equal(ReferenceSignedLength(signed), Leb128.SignedLength(signed));
                Assert.Equal(ReferenceSignedLength(-signed), Leb128.SignedLength(-signed));
            }
        }

        static int ReferenceUnsignedLength(ulong value)
        {
            var length = 1;
            for (; value >= 0x80; value >>= 7)
            {
                length++;
            }

            return length;
        }

        static int ReferenceSignedLength(long value)
        {
            var length = 1;
            for (; value is < -64 or > 63; value >>= 7)
            {
                length++;
            }

            return length;
        }
    }
}
