using PeatMesh.Security;

namespace PeatMesh.Tests.Security;

public class FormationChallengeTests
{
    private static readonly byte[] Nonce = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void ToBytes_Layout_IsLittleEndianLengthIdThenNonce()
    {
        // Reference digest §2.3: [id_len:u16 LE][formation_id][nonce:32].
        byte[] expected =
        [
            0x04, 0x00,             // id_len = 4, little-endian
            0x70, 0x65, 0x61, 0x74, // "peat"
            .. Nonce,               // nonce
        ];
        Assert.Equal(expected, new FormationChallenge("peat", Nonce).ToBytes());
    }

    [Fact]
    public void ToBytes_LongId_LengthIsLittleEndian()
    {
        var id = new string('f', 0x0102);
        var bytes = new FormationChallenge(id, Nonce).ToBytes();
        Assert.Equal(0x02, bytes[0]);
        Assert.Equal(0x01, bytes[1]);
        Assert.Equal(2 + 0x0102 + 32, bytes.Length);
    }

    [Fact]
    public void Parse_RoundTrip_PreservesIdAndNonce()
    {
        var original = new FormationChallenge("formação-α", Nonce);
        var parsed = FormationChallenge.Parse(original.ToBytes());
        Assert.Equal("formação-α", parsed.FormationId);
        Assert.Equal(Nonce, parsed.Nonce.ToArray());
    }

    [Fact]
    public void TryParse_TruncatedAtEveryOffset_Fails()
    {
        var bytes = new FormationChallenge("peat", Nonce).ToBytes();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(FormationChallenge.TryParse(bytes.AsSpan(0, length), out var challenge, out var error), "length " + length);
            Assert.Null(challenge);
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void TryParse_TrailingByte_Fails()
    {
        byte[] bytes = [.. new FormationChallenge("peat", Nonce).ToBytes(), 0x00];
        Assert.False(FormationChallenge.TryParse(bytes, out _, out var error));
        Assert.Contains("trailing", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OverMaximumSize_FailsBeforeParsing()
    {
        var bytes = new byte[FormationAuth.MaxChallengeBytes + 1];
        bytes[0] = 0xFF;
        bytes[1] = 0x03;
        Assert.False(FormationChallenge.TryParse(bytes, out _, out var error));
        Assert.Contains("1024", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MaximumSize_Succeeds()
    {
        var id = new string('m', FormationKey.MaxFormationIdBytes);
        var bytes = new FormationChallenge(id, Nonce).ToBytes();
        Assert.Equal(FormationAuth.MaxChallengeBytes, bytes.Length);
        Assert.True(FormationChallenge.TryParse(bytes, out var parsed, out _));
        Assert.Equal(id, parsed.FormationId);
    }

    [Fact]
    public void TryParse_EmptyOrInvalidUtf8Id_Fails()
    {
        byte[] empty = [0x00, 0x00, .. Nonce];
        Assert.False(FormationChallenge.TryParse(empty, out _, out var emptyError));
        Assert.Contains("empty", emptyError, StringComparison.Ordinal);

        byte[] badUtf8 = [0x02, 0x00, 0xC3, 0x28, .. Nonce];
        Assert.False(FormationChallenge.TryParse(badUtf8, out _, out var utf8Error));
        Assert.Contains("UTF-8", utf8Error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => FormationChallenge.Parse(badUtf8));
    }

    [Fact]
    public void Constructor_WrongNonceLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FormationChallenge("peat", new byte[31]));
        Assert.Throws<ArgumentException>(() => new FormationChallenge("peat", new byte[33]));
    }

    [Fact]
    public void Constructor_CopiesNonce()
    {
        var nonce = (byte[])Nonce.Clone();
        var challenge = new FormationChallenge("peat", nonce);
        nonce[0] ^= 0xFF;
        Assert.Equal(Nonce, challenge.Nonce.ToArray());
    }
}
